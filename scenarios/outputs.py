"""A run's output folder: the resolved problem, the solution, placement tables and the report."""

from pathlib import Path

from models.problem import Problem
from models.solution import Solution
from scenarios.console import write_json, write_solution
from scenarios.report import write_report
from scenarios.tables import write_placements


def write_run_outputs(
    folder: Path, problem: Problem, solution: Solution, *, title: str, subtitle: str = ""
) -> list[Path]:
    """Everything a run leaves behind; problem.json lets anyone re-check with `verify`."""
    folder.mkdir(parents=True, exist_ok=True)
    problem_path = folder / "problem.json"
    write_json(problem_path, problem.model_dump(mode="json"))
    written = [problem_path, *write_solution(folder / "solution.json", solution)]
    written.extend(write_placements(problem, solution, folder))
    written.append(
        write_report(folder / "report.html", problem, solution, title=title, subtitle=subtitle)
    )
    return written
