"""What every command shares: consoles, exit codes, input errors and writing results."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from matching.errors import AssignmentError, VerificationFailed
from models.loading import InputError, load_model
from models.problem import Problem
from models.solution import Solution, SolveStatus

ModelT = TypeVar("ModelT", Problem, Solution)

# User text (names, ids, paths) is escaped or passed as Text: never read as markup or emoji.
out = Console(emoji=False)
err = Console(stderr=True, emoji=False)

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
        err.print(f"[red]invalid input[/red] {escape(exc.source)}:", highlight=False)
        for line in exc.errors:
            err.print(f"  {line}", highlight=False, markup=False)
        raise typer.Exit(EXIT_INVALID) from None


def load_input(model: type[ModelT], path: Path) -> ModelT:
    """A Problem or Solution file, or its errors naming record and field and exit 2."""
    with input_errors():
        return load_model(model, path)


def output_folder(folder: Path) -> Path:
    """Check before any solving that the outputs can go to `folder`, and create it."""
    if folder.exists() and not folder.is_dir():
        raise InputError(str(folder), ["--out names a file; give a folder for the outputs"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            str(folder), [f"cannot create the output folder: {exc.strerror}"]
        ) from None
    return folder


@contextmanager
def output_errors() -> Iterator[None]:
    """A failed write (disk full, no permission) is reported, with exit 2, not a stack trace."""
    try:
        yield
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        err.print(f"[red]cannot write[/red]{escape(where)}: {escape(str(exc.strerror))}")
        raise typer.Exit(EXIT_INVALID) from None


def write_json(path: Path, data: object) -> None:
    """Indented JSON, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def write_restricted_json(path: Path, data: object) -> None:
    """JSON that holds personal data: readable by its owner only."""
    write_json(path, data)
    path.chmod(0o600)


def write_solution(path: Path, solution: Solution) -> list[Path]:
    """The solution, and the tie-break audit in its own file: a restricted record.

    An audit file left by an earlier solve to the same path is removed, so none is stale.
    """
    write_json(path, solution.model_dump(mode="json", exclude={"tie_breaks"}))
    audit = path.with_name(path.stem + ".tie_breaks.json")
    audit.unlink(missing_ok=True)
    if not solution.tie_breaks:
        return [path]
    write_restricted_json(audit, [t.model_dump(mode="json") for t in solution.tie_breaks])
    return [path, audit]


@contextmanager
def engine_errors(action: str = "solve") -> Iterator[None]:
    """A request the engine refuses (exit 2) or a solve whose answer fails verification
    (exit 4); `action` names what could not be done."""
    try:
        yield
    except VerificationFailed as exc:
        err.print(f"[red]engine defect, no solution returned[/red]: {escape(str(exc))}")
        raise typer.Exit(EXIT_NO_SOLUTION) from None
    except AssignmentError as exc:
        err.print(f"[red]cannot {action}[/red]: {escape(str(exc))}", highlight=False)
        raise typer.Exit(EXIT_INVALID) from None


def exit_for(solution: Solution) -> None:
    """Exit 3 when infeasible, 4 when no placement was found, else carry on."""
    if solution.status is SolveStatus.INFEASIBLE:
        raise typer.Exit(EXIT_INFEASIBLE)
    if not solution.status.is_ok:
        raise typer.Exit(EXIT_NO_SOLUTION)
