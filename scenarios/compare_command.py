"""`placement compare`: variants or scenario files side by side, and who moves where."""

import csv
from pathlib import Path
from typing import Annotated

import typer

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
from scenarios.comparison import (
    Change,
    change_records,
    changes_table,
    measure_table,
    placement_changes,
)
from scenarios.console import input_errors, out, output_errors, output_folder, write_json
from scenarios.resolve import resolve, variant_names
from scenarios.scenario import BASE, Scenario, load_scenario
from scenarios.summary import measures

SCENARIO_SUFFIXES = (".yaml", ".yml")


def _is_scenario_file(arg: str) -> bool:
    return arg.lower().endswith(SCENARIO_SUFFIXES)


def _group(args: list[str]) -> list[tuple[Path, list[str]]]:
    """Scenario files, each with the variant names that follow it."""
    if not args or not _is_scenario_file(args[0]):
        raise InputError("compare", ["the first argument must be a scenario file (.yaml)"])
    groups: list[tuple[Path, list[str]]] = []
    for arg in args:
        if _is_scenario_file(arg):
            groups.append((Path(arg), []))
        else:
            groups[-1][1].append(arg)
    return groups


def _prefixes(paths: list[Path]) -> list[str]:
    """Column prefixes naming each file: its stem, or its path where stems collide."""
    if len(paths) == 1:
        return [""]
    stems = [path.stem for path in paths]
    unique = len(set(stems)) == len(stems)
    return [f"{path.stem if unique else path}:" for path in paths]


def _columns(groups: list[tuple[Path, list[str]]]) -> list[tuple[str, Problem]]:
    """What to compare: named variants (after the base), or every variant of a lone file."""
    columns: list[tuple[str, Problem]] = []
    prefixes = _prefixes([path for path, _ in groups])
    for (path, named), prefix in zip(groups, prefixes, strict=True):
        scenario: Scenario = load_scenario(path)
        if named:
            chosen = list(dict.fromkeys(named if BASE in named else [BASE, *named]))
        else:
            chosen = variant_names(scenario) if len(groups) == 1 else [BASE]
        columns.extend((f"{prefix}{v}", resolve(scenario, v)) for v in chosen)
    labels = [label for label, _ in columns]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise InputError("compare", [f"'{label}' is listed twice" for label in repeated])
    return columns


def compare(
    args: Annotated[
        list[str], typer.Argument(metavar="SCENARIO.yaml [VARIANT ...] [SCENARIO.yaml ...]")
    ],
    executor: ExecutorOption = Executor.LOCAL,
    ray_address: RayAddressOption = None,
    jobs: JobsOption = None,
    time_limit: TimeLimitOption = None,
    workers: WorkersOption = 1,
    show: Annotated[int, typer.Option(min=0, help="Changed placements shown per column.")] = 25,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write comparison.json and changes.csv here.")
    ] = None,
) -> None:
    """Solve the variants and show them side by side, with the placements that change."""
    with input_errors():
        columns = _columns(_group(args))
        if out_dir is not None:
            output_folder(out_dir)
    labels = [label for label, _ in columns]
    solutions = solve_side_by_side(
        columns,
        out,
        executor=executor,
        jobs=jobs,
        ray_address=ray_address,
        time_limit_s=time_limit,
        workers=workers,
    )
    out.print(measure_table(labels, solutions, "Comparison"))
    reference_problem, reference = columns[0][1], solutions[0]
    all_changes: dict[str, list[Change]] = {}
    for (label, problem), solution in zip(columns[1:], solutions[1:], strict=True):
        changes = placement_changes((reference_problem, problem), reference, solution)
        all_changes[label] = changes
        out.print(changes_table(label, labels[0], changes, show))
    if out_dir is not None:
        with output_errors():
            _write_comparison(out_dir, labels, solutions, all_changes)


def _write_comparison(
    out_dir: Path,
    labels: list[str],
    solutions: list[Solution],
    all_changes: dict[str, list[Change]],
) -> None:
    write_json(
        out_dir / "comparison.json",
        {
            "columns": [
                {"label": label, "measures": dict(measures(solution))}
                for label, solution in zip(labels, solutions, strict=True)
            ],
            "changes": {label: change_records(c) for label, c in all_changes.items()},
        },
    )
    with (out_dir / "changes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["column", "role_id", "organisation_id", "title", labels[0], "after"])
        for label, changes in all_changes.items():
            for c in changes:
                writer.writerow([label, c.role_id, c.organisation_id, c.title, c.before, c.after])
    written = f"wrote {out_dir / 'comparison.json'} and {out_dir / 'changes.csv'}"
    out.print(written, soft_wrap=True, markup=False, highlight=False)
