"""A live terminal view of a solve: stage, incumbent objective, bound, gap and elapsed time."""

import time

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from matching.progress import Progress
from matching.solve import solve
from models.problem import Problem
from models.solution import Solution


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.3f}"


class SolveView:
    """Records the latest Progress (from solver threads) and renders it on each refresh."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.started = time.perf_counter()
        self.latest = Progress("starting", 0.0)
        self.spinner = Spinner("dots")

    def __call__(self, progress: Progress) -> None:
        self.latest = progress

    def __rich__(self) -> RenderableType:
        p = self.latest
        table = Table.grid(padding=(0, 2))
        for name in ("stage", "elapsed", "incumbent", "bound", "gap"):
            table.add_column(name)
        table.add_row(
            f"[bold]{p.stage}[/bold]",
            f"{time.perf_counter() - self.started:6.1f} s",
            f"incumbent {_number(p.objective)}",
            f"bound {_number(p.bound)}",
            f"gap {'-' if p.gap is None else f'{100 * p.gap:.3f}%'}",
        )
        self.spinner.text = Text(self.title)
        return Group(self.spinner, table)


def solve_live(
    problem: Problem,
    console: Console,
    title: str,
    *,
    time_limit_s: float | None = None,
    workers: int | None = None,
) -> Solution:
    """Solve with a progress display that stays on screen as a record of the search."""
    view = SolveView(title)
    with Live(view, console=console, refresh_per_second=8):
        return solve(problem, time_limit_s=time_limit_s, workers=workers, progress=view)
