"""`placement sweep`: a grid of scenario settings solved in parallel, as a table and curves."""

import copy
import csv
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from models.loading import InputError
from models.problem import Problem
from models.solution import Solution
from scenarios.batch import (
    Executor,
    ExecutorOption,
    JobsOption,
    RayAddressOption,
    TimeLimitOption,
    WorkersOption,
    solve_side_by_side,
)
from scenarios.console import (
    input_errors,
    out,
    output_errors,
    output_folder,
    write_json,
    write_solution,
)
from scenarios.grid import GridError, parse_axis, point_label, points, set_path
from scenarios.resolve import resolve_raw, to_problem
from scenarios.scenario import BASE, load_scenario
from scenarios.sweep_plots import plot_fill_and_fit, plot_merit_representation
from scenarios.sweep_results import columns, result_row

SWEEPS = Path("var/sweeps")
PLOTS = ("fill_and_fit.png", "merit_representation.png")
NOT_PLOTTED = (
    f"{PLOTS[0]}: the first --vary setting is not a number",
    f"{PLOTS[1]}: no point's representation can be shown (disclosure threshold)",
)


def grid_problems(
    raw: dict[str, Any], grid: list[dict[str, Any]], name: str
) -> list[tuple[str, Problem]]:
    """One validated Problem per grid point."""
    labelled = []
    for point in grid:
        edited = copy.deepcopy(raw)
        for path, value in point.items():
            set_path(edited, path, value)
        label = point_label(point)
        labelled.append((label, to_problem(edited, f"{name} [{label}]")))
    return labelled


#: What the terminal table shows of each point (sweep.csv has every measure).
SHOWN = {
    "status": ("status", str),
    "gap": ("gap", lambda v: f"{100 * v:.2f}%"),
    "fill_rate": ("filled", lambda v: f"{100 * v:.1f}%"),
    "fill_rate_challenged": ("challenged", lambda v: f"{100 * v:.1f}%"),
    "mean_fit": ("fit", lambda v: f"{v:.1f}"),
    "spend": ("spend", lambda v: f"£{v:,}"),
    "relocations": ("moves", str),
    "wall_time_s": ("secs", lambda v: f"{v:.1f}"),
}


def results_table(rows: list[dict[str, Any]], settings: list[str]) -> Table:
    """One line per grid point: its settings and the headline measures."""
    table = Table(title="Sweep")
    for path in settings:
        table.add_column(Text(path.rsplit(".", 1)[-1]))
    for header, _ in SHOWN.values():
        table.add_column(header, justify="right")
    for row in rows:
        shown = ("-" if row[k] is None else fmt(row[k]) for k, (_, fmt) in SHOWN.items())
        table.add_row(*(Text(str(row[p])) for p in settings), *shown)
    return table


def write_results(
    folder: Path,
    rows: list[dict[str, Any]],
    solutions: list[Solution],
    settings: list[str],
    names: list[str],
) -> list[Path]:
    """sweep.json, sweep.csv, the trade-off plots, and each point's solution to look into.

    What an earlier sweep left in the folder goes first, so nothing there is stale.
    """
    for stale in [*folder.glob("solutions/*.json"), *(folder / p for p in PLOTS)]:
        stale.unlink(missing_ok=True)
    for i, solution in enumerate(solutions):
        write_solution(folder / "solutions" / f"{i:03d}.json", solution)
    write_json(folder / "sweep.json", rows)
    with (folder / "sweep.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    plots = [
        plot_fill_and_fit(rows, settings, folder / PLOTS[0]),
        plot_merit_representation(rows, settings, folder / PLOTS[1]),
    ]
    for plot, why in zip(plots, NOT_PLOTTED, strict=True):
        if plot is None:
            out.print(f"no {why}", highlight=False, markup=False, soft_wrap=True)
    made = [folder / "sweep.json", folder / "sweep.csv", *(p for p in plots if p)]
    return [*made, folder / "solutions"]


def sweep(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO.yaml")],
    vary: Annotated[
        list[str],
        typer.Option(help="PATH=START:STOP:COUNT or PATH=V1,V2 (e.g. policy.budget=0:2000000:11)."),
    ],
    variant: Annotated[str, typer.Option(help="Variant to sweep; base = the scenario.")] = BASE,
    executor: ExecutorOption = Executor.LOCAL,
    ray_address: RayAddressOption = None,
    jobs: JobsOption = None,
    time_limit: TimeLimitOption = None,
    workers: WorkersOption = 1,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default var/sweeps/NAME).")
    ] = None,
) -> None:
    """Solve every combination of the varied settings; write a table and trade-off plots."""
    with input_errors():
        scenario = load_scenario(scenario_path)
        try:
            axes = [parse_axis(option) for option in vary]
            grid = points(axes)
            labelled = grid_problems(resolve_raw(scenario, variant), grid, scenario.name)
        except GridError as exc:
            raise InputError("--vary", [str(exc)]) from None
        folder = output_folder(out_dir if out_dir is not None else SWEEPS / scenario_path.stem)
    solutions = solve_side_by_side(
        labelled,
        out,
        executor=executor,
        jobs=jobs,
        ray_address=ray_address,
        time_limit_s=time_limit,
        workers=workers,
    )
    settings = [axis.path for axis in axes]
    names = columns(settings)
    rows = [result_row(point, solution) for point, solution in zip(grid, solutions, strict=True)]
    out.print(results_table(rows, settings))
    with output_errors():
        written = write_results(folder, rows, solutions, settings, names)
    for path in written:
        out.print(f"wrote {path}", highlight=False, soft_wrap=True, markup=False)
