"""The `placement` command: solve, verify, explain, recommend, run, compare, sweep, serve, keys,
generate, schema."""

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from api.commands import keys_app, serve
from matching.solve import solve as solve_problem
from matching.verify import format_violation
from matching.verify import verify as verify_solution
from models.problem import Problem
from models.solution import Solution
from scenarios.compare_command import compare
from scenarios.console import (
    EXIT_VIOLATIONS,
    engine_errors,
    exit_for,
    load_input,
    out,
    output_errors,
    write_json,
    write_solution,
)
from scenarios.explain_command import explain
from scenarios.recommend_command import recommend
from scenarios.run_command import run
from scenarios.summary import print_summary
from scenarios.sweep_command import sweep

app = typer.Typer(
    help="NHS leadership placement optimiser.", no_args_is_help=True, pretty_exceptions_enable=False
)
app.command()(explain)
app.command()(recommend)
app.command()(run)
app.command()(compare)
app.command()(sweep)
app.command()(serve)
app.add_typer(keys_app, name="keys")


class BackendChoice(StrEnum):
    """Solver backends the CLI offers."""

    AUTO = "auto"
    CPSAT = "cpsat"
    FLOW = "flow"
    PULP = "pulp"


@app.command()
def solve(
    problem_path: Annotated[Path, typer.Argument(metavar="PROBLEM.json")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the solution here.")
    ] = None,
    backend: Annotated[BackendChoice, typer.Option(help="Solver backend.")] = BackendChoice.AUTO,
    time_limit: Annotated[float | None, typer.Option(help="Seconds (default: policy).")] = None,
    workers: Annotated[int | None, typer.Option(help="Solver threads (default: policy).")] = None,
) -> None:
    """Solve a problem, print a summary, exit 0 (solved), 2 (invalid) or 3 (infeasible)."""
    problem = load_input(Problem, problem_path)
    with engine_errors():
        solution = solve_problem(
            problem, backend=backend.value, time_limit_s=time_limit, workers=workers
        )
    print_summary(solution, out)
    if output is not None:
        with output_errors():
            write_solution(output, solution)
        out.print(f"solution written to {output}", highlight=False, markup=False)
        if solution.conflicts:
            out.print(
                f"relaxations that resolve them: placement explain {problem_path} {output}",
                highlight=False,
                markup=False,
            )
    exit_for(solution)


@app.command()
def verify(
    problem_path: Annotated[Path, typer.Argument(metavar="PROBLEM.json")],
    solution_path: Annotated[Path, typer.Argument(metavar="SOLUTION.json")],
) -> None:
    """Re-check every hard rule; exit 0 if all hold, 1 with one line per violation."""
    problem = load_input(Problem, problem_path)
    solution = load_input(Solution, solution_path)
    violations = verify_solution(problem, solution)
    for violation in violations:
        out.print(format_violation(violation), highlight=False, markup=False)
    if violations:
        raise typer.Exit(EXIT_VIOLATIONS)
    out.print(f"ok: {len(solution.placements)} placements satisfy every hard rule")


class SizeChoice(StrEnum):
    """Generated problem sizes."""

    XS = "xs"
    S = "s"
    M = "m"
    L = "l"
    XL = "xl"


class VariantChoice(StrEnum):
    """full: every rule in play; pure: capacities only (solved exactly by min-cost flow)."""

    FULL = "full"
    PURE = "pure"


@app.command()
def generate(
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the problem.")],
    size: Annotated[
        SizeChoice, typer.Option(help="xs, s (one region) ... xl (national).")
    ] = SizeChoice.S,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    variant: Annotated[VariantChoice, typer.Option(help="full or pure.")] = VariantChoice.FULL,
) -> None:
    """Generate a realistic problem on the real NHS trusts, ICBs and regions."""
    from scenarios.generate import generate_problem

    problem = generate_problem(size.value, seed=seed, variant=variant.value)
    write_json(output, problem.model_dump(mode="json", exclude_defaults=True))
    out.print(
        f"{len(problem.candidates)} candidates, {len(problem.roles)} roles, "
        f"{len(problem.organisations)} organisations written to {output}",
        highlight=False,
    )


@app.command()
def schema(
    solution: Annotated[bool, typer.Option("--solution", help="The Solution schema.")] = False,
) -> None:
    """Print the JSON Schema of the Problem (or the Solution)."""
    model = Solution if solution else Problem
    out.print_json(json.dumps(model.model_json_schema()))


if __name__ == "__main__":
    app()
