"""A solver-neutral integer linear model that the rules write to and each backend translates.

One formulation, several solvers: CP-SAT, CBC (PuLP) and the diagnosis of infeasibility all
read the same rows, so cross-checks compare solvers, not transcriptions.
"""

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Tag:
    """Which rule instance a row belongs to: used to name conflicts."""

    rule: str
    records: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Row:
    """lb <= sum(coefs * vars) <= ub, optionally only while `enforce` (a 0/1 variable) is 1."""

    vars: NDArray[np.int64]
    coefs: NDArray[np.int64]
    lb: int | None
    ub: int | None
    tag: Tag
    enforce: int | None = None


@dataclass
class Formulation:
    """Variables 0..n_pairs-1 are the pair decisions x; later ones are auxiliary."""

    n_pairs: int
    names: list[str] = field(default_factory=list)
    lower: list[int] = field(default_factory=list)
    upper: list[int] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    objective: dict[int, int] = field(default_factory=dict)
    pair_objective: NDArray[np.int64] | None = None
    objective_constant: int = 0

    def __post_init__(self) -> None:
        if not self.lower:
            self.lower = [0] * self.n_pairs
            self.upper = [1] * self.n_pairs

    def copy(self) -> "Formulation":
        """An independent copy to which more rows and variables can be added."""
        return replace(
            self,
            names=list(self.names),
            lower=list(self.lower),
            upper=list(self.upper),
            rows=list(self.rows),
            objective=dict(self.objective),
        )

    @property
    def n_vars(self) -> int:
        """Pair and auxiliary variables."""
        return len(self.lower)

    def new_var(self, name: str, lower: int, upper: int) -> int:
        """Add an auxiliary integer variable and return its index."""
        self.names.append(name)
        self.lower.append(lower)
        self.upper.append(upper)
        return self.n_vars - 1

    def add_row(
        self,
        vars_: NDArray[np.int64] | list[int],
        coefs: NDArray[np.int64] | list[int],
        lb: int | None,
        ub: int | None,
        tag: Tag,
        enforce: int | None = None,
    ) -> None:
        """Add lb <= coefs . vars <= ub (either side may be None)."""
        self.rows.append(
            Row(
                np.asarray(vars_, dtype=np.int64),
                np.asarray(coefs, dtype=np.int64),
                lb,
                ub,
                tag,
                enforce,
            )
        )

    def add_objective(self, var: int, coef: int) -> None:
        """Add coef * var to the (maximised) objective of auxiliary variables."""
        self.objective[var] = self.objective.get(var, 0) + coef

    def bounds(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Lower and upper bounds of every variable, as arrays."""
        return np.asarray(self.lower, dtype=np.int64), np.asarray(self.upper, dtype=np.int64)

    def activity_range(
        self, row: Row, bounds: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None
    ) -> tuple[int, int]:
        """Smallest and largest value the row's expression can take within variable bounds.

        Pass `bounds()` when calling for many rows, to convert the bounds once.
        """
        lower, upper = bounds if bounds is not None else self.bounds()
        low, high = lower[row.vars], upper[row.vars]
        pos = row.coefs > 0
        smallest = int(np.sum(np.where(pos, row.coefs * low, row.coefs * high)))
        largest = int(np.sum(np.where(pos, row.coefs * high, row.coefs * low)))
        return smallest, largest


def restrict(f: Formulation, keep: NDArray[np.bool_]) -> tuple[Formulation, NDArray[np.int64]]:
    """The formulation with only the kept pair variables (the others fixed at 0).

    Returns:
        The smaller formulation and, for each of its pair variables, the original index.
    """
    kept = np.flatnonzero(keep).astype(np.int64)
    new_index = np.full(f.n_vars, -1, dtype=np.int64)
    new_index[kept] = np.arange(kept.size)
    shift = kept.size - f.n_pairs
    new_index[f.n_pairs :] = np.arange(f.n_pairs, f.n_vars) + shift
    g = Formulation(n_pairs=int(kept.size))
    g.names = list(f.names)
    g.lower += f.lower[f.n_pairs :]
    g.upper += f.upper[f.n_pairs :]
    for row in f.rows:
        mapped = new_index[row.vars]
        present = mapped >= 0
        g.rows.append(
            Row(
                mapped[present],
                row.coefs[present],
                row.lb,
                row.ub,
                row.tag,
                None if row.enforce is None else int(new_index[row.enforce]),
            )
        )
    g.objective = {int(new_index[v]): c for v, c in f.objective.items()}
    g.objective_constant = f.objective_constant
    if f.pair_objective is not None:
        g.pair_objective = f.pair_objective[kept]
    return g, kept
