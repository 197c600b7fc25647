"""Solve a batch of problems on the chosen executor, with a progress bar."""

import os
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from models.problem import Problem
from models.solution import Solution
from scenarios.console import EXIT_INVALID, EXIT_NO_SOLUTION, err
from scenarios.disclosure import redact_for_comparison
from scenarios.executors import (
    ExecutorUnavailable,
    SolveFailed,
    SolveTask,
    run_local,
    run_ray,
)


class Executor(StrEnum):
    """Where the solves run."""

    LOCAL = "local"
    RAY = "ray"


ExecutorOption = Annotated[Executor, typer.Option(help="local processes or ray.")]
RayAddressOption = Annotated[
    str | None, typer.Option(help="An existing Ray cluster (default: start one).")
]
JobsOption = Annotated[int | None, typer.Option(min=1, help="Parallel local solves.")]
TimeLimitOption = Annotated[
    float | None, typer.Option(min=0.1, help="Seconds per solve (default: policy).")
]
WorkersOption = Annotated[int, typer.Option(min=1, help="Solver threads per solve.")]


def default_jobs(workers: int) -> int:
    """As many parallel solves as this machine's cores hold at `workers` threads each."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def solve_batch(
    labelled: Sequence[tuple[str, Problem]],
    console: Console,
    *,
    executor: Executor = Executor.LOCAL,
    jobs: int | None = None,
    ray_address: str | None = None,
    time_limit_s: float | None = None,
    workers: int = 1,
) -> list[Solution]:
    """Each problem's solution, in input order, whichever executor ran it.

    A solve that raises ends the batch with its label and error on stderr and exit 4.
    """
    tasks = [
        SolveTask(label, problem.model_dump_json(), time_limit_s, workers)
        for label, problem in labelled
    ]
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:
        task_id = bar.add_task(f"solving on {executor.value}", total=len(tasks))

        def done(_: int, __: Solution) -> None:
            bar.advance(task_id)

        try:
            if executor is Executor.RAY:
                return run_ray(tasks, done, address=ray_address, cpus_per_task=workers)
            return run_local(tasks, jobs or default_jobs(workers), done)
        except SolveFailed as exc:
            err.print(f"[red]solve failed[/red] {escape(str(exc))}", highlight=False)
            raise typer.Exit(EXIT_NO_SOLUTION) from None
        except ExecutorUnavailable as exc:
            err.print(f"[red]executor unavailable[/red] {escape(str(exc))}", highlight=False)
            raise typer.Exit(EXIT_INVALID) from None


def solve_side_by_side(
    labelled: Sequence[tuple[str, Problem]], console: Console, **options: Any
) -> list[Solution]:
    """Solve with `solve_batch`'s options, then withhold representation wherever shown
    columns could be differenced (see scenarios.disclosure), saying where."""
    solved = solve_batch(labelled, console, **options)
    shown = redact_for_comparison([problem for _, problem in labelled], solved)
    withheld = [
        label
        for (label, _), kept, raw in zip(labelled, shown, solved, strict=True)
        if kept is not raw
    ]
    if withheld:
        note = f"representation withheld in {', '.join(withheld)}: differs by too few people"
        console.print(Text(note))
    return shown
