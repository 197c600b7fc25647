"""`placement run`: solve one scenario with live progress and write its output folder."""

from pathlib import Path
from typing import Annotated

import typer

from scenarios.batch import TimeLimitOption
from scenarios.console import (
    engine_errors,
    exit_for,
    input_errors,
    out,
    output_errors,
    output_folder,
)
from scenarios.live import solve_live
from scenarios.outputs import write_run_outputs
from scenarios.resolve import resolve
from scenarios.scenario import BASE, Scenario, load_scenario
from scenarios.summary import print_summary

RUNS = Path("var/runs")


def run_title(scenario: Scenario, variant: str) -> str:
    """The scenario's name, with the variant when one is run."""
    return scenario.name if variant == BASE else f"{scenario.name}: {variant}"


def run(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO.yaml")],
    variant: Annotated[
        str, typer.Option(help="Variant to run; base = the scenario itself.")
    ] = BASE,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default var/runs/NAME).")
    ] = None,
    time_limit: TimeLimitOption = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Solver threads (default: policy).")
    ] = None,
) -> None:
    """Solve a scenario; write problem.json, solution.json, placements.csv/.xlsx, report.html."""
    with input_errors():
        scenario = load_scenario(scenario_path)
        problem = resolve(scenario, variant)
        stem = scenario_path.stem if variant == BASE else f"{scenario_path.stem}-{variant}"
        folder = output_folder(out_dir if out_dir is not None else RUNS / stem)
    title = run_title(scenario, variant)
    with engine_errors():
        solution = solve_live(problem, out, title, time_limit_s=time_limit, workers=workers)
    print_summary(solution, out, title)
    subtitle = scenario.variants[variant].description if variant != BASE else scenario.description
    with output_errors():
        written = write_run_outputs(folder, problem, solution, title=title, subtitle=subtitle)
    for path in written:
        out.print(f"wrote {path}", highlight=False, soft_wrap=True, markup=False)
    out.print(
        f"report: {(folder / 'report.html').resolve().as_uri()}",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    exit_for(solution)
