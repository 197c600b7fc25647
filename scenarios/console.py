"""What every command shares: consoles, exit codes, input errors and writing results."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console

from models.loading import InputError
from models.solution import Solution, SolveStatus

out = Console()
err = Console(stderr=True)

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_INVALID = 2
EXIT_INFEASIBLE = 3
EXIT_NO_SOLUTION = 4


@contextmanager
def input_errors() -> Iterator[None]:
    """Show an InputError as its lines, then exit 2: never a stack trace."""
    try:
        yield
    except InputError as exc:
        err.print(f"[red]invalid input[/red] {exc.source}:", highlight=False)
        for line in exc.errors:
            err.print(f"  {line}", highlight=False, markup=False)
        raise typer.Exit(EXIT_INVALID) from None


def write_json(path: Path, data: object) -> None:
    """Indented JSON, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def write_solution(path: Path, solution: Solution) -> list[Path]:
    """The solution, and the tie-break audit in its own file: a restricted record."""
    write_json(path, solution.model_dump(mode="json", exclude={"tie_breaks"}))
    written = [path]
    if solution.tie_breaks:
        audit = path.with_name(path.stem + ".tie_breaks.json")
        write_json(audit, [t.model_dump(mode="json") for t in solution.tie_breaks])
        written.append(audit)
    return written


def exit_for(solution: Solution) -> None:
    """Exit 3 when infeasible, 4 when no placement was found, else carry on."""
    if solution.status is SolveStatus.INFEASIBLE:
        raise typer.Exit(EXIT_INFEASIBLE)
    if not solution.status.is_ok:
        raise typer.Exit(EXIT_NO_SOLUTION)
