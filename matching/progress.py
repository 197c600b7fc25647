"""Progress of a running solve: what a progress display or a job status shows."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """A snapshot of a solve: the stage running, the best placement's objective and the bound."""

    stage: str
    elapsed_s: float
    objective: float | None = None
    bound: float | None = None

    @property
    def gap(self) -> float | None:
        """Relative gap between the incumbent and the bound, once both are known."""
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, self.bound - self.objective) / max(1.0, abs(self.bound))


#: Receives each snapshot; called from solver threads, so it must only record, not block.
ProgressFn = Callable[[Progress], None]

#: A backend's report of a new incumbent objective and/or bound, in scaled integer units.
IncumbentFn = Callable[[int | None, int | None], None]
