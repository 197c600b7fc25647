"""A run's output folder: the resolved problem, the solution, placement tables and the report."""

from pathlib import Path

from models.problem import Problem
from models.solution import Solution
from scenarios.console import write_restricted_json, write_solution
from scenarios.report import write_report
from scenarios.tables import write_placements


def write_run_outputs(
    folder: Path, problem: Problem, solution: Solution, *, title: str, subtitle: str = ""
) -> list[Path]:
    """Everything a run leaves behind; problem.json lets anyone re-check with `verify`.

    problem.json holds the candidates' demographics (hard targets need them to be checked),
    so, like the tie-break audit, it is written readable by its owner only.
    """
    problem_path = folder / "problem.json"
    write_restricted_json(problem_path, problem.model_dump(mode="json"))
    written = [problem_path, *write_solution(folder / "solution.json", solution)]
    written.extend(write_placements(problem, solution, folder))
    written.append(
        write_report(folder / "report.html", problem, solution, title=title, subtitle=subtitle)
    )
    return written
