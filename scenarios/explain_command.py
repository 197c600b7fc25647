"""`placement explain`: why each placement, its runner-up, why each role is empty, and how to
relax the conflicts of an infeasible problem."""

from pathlib import Path
from typing import Annotated

import typer

from matching.explain import QUESTION_TIME_S
from matching.explain import explain as explain_solution
from models.problem import Problem
from models.solution import Solution
from scenarios.console import (
    engine_errors,
    err,
    load_input,
    out,
    output_errors,
    write_restricted_json,
)
from scenarios.explanation_text import print_explanation

QuestionTimeOption = Annotated[
    float, typer.Option("--time-limit", min=0.1, help="Seconds for each what-if re-solve.")
]
WorkersOption = Annotated[int | None, typer.Option(min=1, help="Solver threads (default: policy).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the JSON instead of text.")]


def explain(
    problem_path: Annotated[Path, typer.Argument(metavar="PROBLEM.json")],
    solution_path: Annotated[Path, typer.Argument(metavar="SOLUTION.json")],
    role: Annotated[
        list[str] | None, typer.Option("--role", help="Explain this role (repeatable).")
    ] = None,
    candidate: Annotated[
        list[str] | None, typer.Option("--candidate", help="Explain this candidate (repeatable).")
    ] = None,
    as_json: JsonOption = False,
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Also write the JSON here (readable by its owner only)."),
    ] = None,
    time_limit: QuestionTimeOption = QUESTION_TIME_S,
    workers: WorkersOption = None,
) -> None:
    """Explain a solution: every placement and empty role, or only the roles and candidates
    named; for an infeasible one, each conflict and the changes that resolve it."""
    problem = load_input(Problem, problem_path)
    solution = load_input(Solution, solution_path)
    with engine_errors("explain"):
        explanation = explain_solution(
            problem,
            solution,
            role_ids=list(dict.fromkeys(role or [])),
            candidate_ids=list(dict.fromkeys(candidate or [])),
            time_limit_s=time_limit,
            workers=workers,
        )
    if as_json:
        out.print_json(explanation.model_dump_json())
    else:
        print_explanation(explanation, out)
    if out_file is not None:
        # It speaks of named people: who was excluded from what, and by which rule.
        with output_errors():
            write_restricted_json(out_file, explanation.model_dump(mode="json"))
        (err if as_json else out).print(
            f"explanation written to {out_file}", highlight=False, markup=False
        )
