"""`placement recommend`: the best candidates for one role, each placed there with everyone
else re-placed around them."""

from pathlib import Path
from typing import Annotated

import typer

from matching.explain import QUESTION_TIME_S
from matching.recommend import DEFAULT_TOP
from matching.recommend import recommend as recommend_candidates
from models.problem import Problem
from models.solution import Solution
from scenarios.console import engine_errors, load_input, out
from scenarios.explain_command import JsonOption, QuestionTimeOption, WorkersOption
from scenarios.explanation_text import print_recommendation


def recommend(
    problem_path: Annotated[Path, typer.Argument(metavar="PROBLEM.json")],
    role: Annotated[str, typer.Option("--role", help="The role to recommend for.")],
    top: Annotated[int, typer.Option(min=1, help="How many candidates.")] = DEFAULT_TOP,
    solution_path: Annotated[
        Path | None,
        typer.Option(
            "--solution", metavar="SOLUTION.json", help="Compare with this (default: solve)."
        ),
    ] = None,
    as_json: JsonOption = False,
    time_limit: QuestionTimeOption = QUESTION_TIME_S,
    workers: WorkersOption = None,
) -> None:
    """Rank the best candidates for a role by the objective with each of them in it."""
    problem = load_input(Problem, problem_path)
    solution = load_input(Solution, solution_path) if solution_path is not None else None
    with engine_errors("recommend"):
        recommendation = recommend_candidates(
            problem,
            role,
            top=top,
            solution=solution,
            time_limit_s=time_limit,
            workers=workers,
        )
    if as_json:
        out.print_json(recommendation.model_dump_json())
    else:
        print_recommendation(recommendation, out)
