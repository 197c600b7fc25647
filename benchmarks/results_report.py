"""RESULTS.md and the plots from a suite record."""

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HEADER = (
    "| problem | pairs | method | status | objective | gap to best bound | build s | solve s "
    "| total s | x flow | peak MB | verified |\n"
    "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
)


#: Statuses of runs that return a placement for `verify` to check.
PLACED = {"optimal", "feasible"}


def _cell(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def results_markdown(record: dict[str, Any]) -> str:
    """The table of one suite run, one line per problem and method."""
    lines = [
        "# Benchmark results",
        "",
        f"Run {record['when']} at git {record['git']}, seed {record['seed']}; "
        f"{record['machine']['cpus']} CPUs, {record['machine']['platform']}. Times are "
        "medians of the repeats (runs, after each problem); the objective is the worst of "
        "them; the gap is to the best bound any method proved. Regenerate with "
        f"`python -m benchmarks {' '.join(record['argv'])}`.",
        *_carried_over(record),
        "",
        HEADER.rstrip("\n"),
    ]
    for row in record["rows"]:
        runs = row.get("repeats", record["repeats"])
        name = (
            f"{row['size']} {row['variant']} ({row['candidates']} x {row['roles']}, "
            f"{runs} run{'s' if runs != 1 else ''})"
        )
        for method, m in row["methods"].items():
            statuses = sorted(set(m["statuses"]))
            # Records before the verify summary counted runs without a placement as verified.
            placed = bool(PLACED.intersection(statuses))
            lines.append(
                f"| {name} | {row['eligible_pairs']:,} | {method} | {', '.join(statuses)} "
                f"| {_cell(m['objective'])} | {_cell(m['gap_to_best_bound'], 4)} "
                f"| {_cell(m['build_s'])} | {_cell(m['solve_s'])} | {_cell(m['total_s'])} "
                f"| {_cell(m['time_over_flow'], 2)} | {_cell(m['peak_mb'], 0)} "
                f"| {_cell(m['verified'] if placed else None)} |"
            )
    return "\n".join(lines) + "\n"


def _carried_over(record: dict[str, Any]) -> list[str]:
    """A line naming the earlier records whose rows this one carries (--merge)."""
    sources = sorted({row["record"] for row in record["rows"] if "record" in row})
    if not sources:
        return []
    carried = sorted(
        {f"{row['size']} {row['variant']}" for row in record["rows"] if "record" in row}
    )
    return [
        "",
        f"Rows for {', '.join(carried)} come from {', '.join(sources)} "
        "(measured earlier, at the revision that record names).",
    ]


#: One line style and marker per variant; each method keeps one colour.
VARIANT_STYLES = {"pure": ("-", "o"), "full": ("--", "s"), "scored": (":", "^")}


def plot_times(record: dict[str, Any], path: Path) -> None:
    """Total time against eligible pairs, log-log: a colour per method, a style per variant."""
    fig, ax = plt.subplots(figsize=(8, 5))
    series: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for row in record["rows"]:
        for method, m in row["methods"].items():
            if m["total_s"]:
                series.setdefault((method, row["variant"]), []).append(
                    (row["eligible_pairs"], m["total_s"])
                )
    methods = sorted({method for method, _ in series})
    colours = {method: f"C{i}" for i, method in enumerate(methods)}
    for (method, variant), points in sorted(series.items()):
        points.sort()
        style, marker = VARIANT_STYLES.get(variant, ("-", "o"))
        ax.plot(
            *zip(*points, strict=True),
            linestyle=style,
            marker=marker,
            color=colours[method],
            label=f"{method} ({variant})",
        )
    ax.set(xscale="log", yscale="log", xlabel="eligible pairs", ylabel="total seconds")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_gaps(record: dict[str, Any], path: Path) -> None:
    """Gap to the best bound against total time, one marker per method."""
    fig, ax = plt.subplots(figsize=(8, 5))
    methods = sorted({m for row in record["rows"] for m in row["methods"]})
    for method in methods:
        points = [
            (row["methods"][method]["total_s"], row["methods"][method]["gap_to_best_bound"])
            for row in record["rows"]
            if method in row["methods"]
            and row["methods"][method]["total_s"]
            and row["methods"][method]["gap_to_best_bound"] is not None
        ]
        if points:
            ax.scatter(*zip(*points, strict=True), label=method)
    ax.set(xscale="log", xlabel="total seconds", ylabel="gap to the best bound (share)")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
