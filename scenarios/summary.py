"""Readable summaries of a Solution for the terminal: aggregates only, never per person."""

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from models.solution import Solution


def _money(value: int | None) -> str:
    return "unlimited" if value is None else f"£{value:,}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _solver_measures(solution: Solution) -> list[tuple[str, str]]:
    rows = [("status", solution.status.value)]
    stats = solution.solver
    if stats is not None:
        rows.append(("backend", f"{stats.backend} ({stats.version})"))
        rows.append(("wall time", f"{stats.wall_time_s:.2f} s on {stats.workers} worker(s)"))
        rows.append(("eligible pairs", f"{stats.eligible_pairs:,}"))
    if solution.objective is not None:
        rows.append(("objective", f"{solution.objective:,.3f}"))
        rows.append(("bound", "-" if solution.bound is None else f"{solution.bound:,.3f}"))
        rows.append(("gap", "-" if solution.gap is None else f"{100 * solution.gap:.3f}%"))
    return rows


def _kpi_measures(solution: Solution) -> list[tuple[str, str]]:
    kpis = solution.kpis
    if kpis is None:
        return []
    rows = [
        ("filled", f"{kpis.filled} of {kpis.roles} ({_share(kpis.fill_rate)})"),
        ("fill rate, challenged", _share(kpis.fill_rate_challenged)),
        ("fill rate, difficult to recruit", _share(kpis.fill_rate_difficult)),
        ("spend", f"{_money(kpis.spend)} of {_money(kpis.budget)}"),
        ("relocations", str(kpis.relocations)),
        ("mean fit", "-" if kpis.mean_fit is None else f"{kpis.mean_fit:.1f}"),
    ]
    for entry in kpis.representation:
        if entry.scope == "all":
            shares = f"{_share(entry.share)} / {_share(entry.pool_share)}"
            rows.append(
                (f"{entry.attribute} (placed / pool)", "suppressed" if entry.suppressed else shares)
            )
    return rows


def measures(solution: Solution) -> list[tuple[str, str]]:
    """Status, solver figures and KPIs of one solution as (measure, value) rows."""
    rows = _solver_measures(solution) + _kpi_measures(solution)
    reasons = Counter(u.code for u in solution.unfilled)
    if reasons:
        rows.append(("unfilled", ", ".join(f"{n} {code}" for code, n in reasons.most_common())))
    if solution.tie_breaks:
        rows.append(("tie-break decisions", str(len(solution.tie_breaks))))
    return rows


def summary_table(solution: Solution, title: str = "Placement round") -> Table:
    """The measures of one solution as a two-column table."""
    table = Table(title=Text(title), show_header=False)
    table.add_column("measure", style="bold")
    table.add_column("value")
    for measure, value in measures(solution):
        table.add_row(measure, value)
    return table


def print_summary(solution: Solution, console: Console, title: str = "Placement round") -> None:
    """Print the summary table, conflicts and notices."""
    console.print(summary_table(solution, title))
    for conflict in solution.conflicts:
        console.print(
            f"[red]conflict[/red] {conflict.rule} {escape(', '.join(conflict.records))}: "
            f"{escape(conflict.message)}",
            highlight=False,
        )
    for notice in solution.notices:
        console.print(f"[yellow]notice[/yellow] {escape(notice)}", highlight=False)
