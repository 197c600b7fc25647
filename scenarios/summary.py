"""Readable summaries of a Solution for the terminal: aggregates only, never per person."""

from collections import Counter

from rich.console import Console
from rich.table import Table

from models.solution import Solution


def _money(value: int | None) -> str:
    return "unlimited" if value is None else f"£{value:,}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def summary_table(solution: Solution) -> Table:
    """Status, solver figures and KPIs of one solution as a two-column table."""
    table = Table(title="Placement round", show_header=False)
    table.add_column("measure", style="bold")
    table.add_column("value")
    stats = solution.solver
    table.add_row("status", solution.status.value)
    if stats is not None:
        table.add_row("backend", f"{stats.backend} ({stats.version})")
        table.add_row("wall time", f"{stats.wall_time_s:.2f} s on {stats.workers} worker(s)")
        table.add_row("eligible pairs", f"{stats.eligible_pairs:,}")
    if solution.objective is not None:
        table.add_row("objective", f"{solution.objective:,.3f}")
        table.add_row("bound", "-" if solution.bound is None else f"{solution.bound:,.3f}")
        table.add_row("gap", "-" if solution.gap is None else f"{100 * solution.gap:.3f}%")
    kpis = solution.kpis
    if kpis is not None:
        table.add_row("filled", f"{kpis.filled} of {kpis.roles} ({_share(kpis.fill_rate)})")
        table.add_row("fill rate, challenged", _share(kpis.fill_rate_challenged))
        table.add_row("fill rate, difficult to recruit", _share(kpis.fill_rate_difficult))
        table.add_row("spend", f"{_money(kpis.spend)} of {_money(kpis.budget)}")
        table.add_row("relocations", str(kpis.relocations))
        table.add_row("mean fit", "-" if kpis.mean_fit is None else f"{kpis.mean_fit:.1f}")
        for entry in kpis.representation:
            if entry.scope == "all":
                table.add_row(
                    f"{entry.attribute} (placed / pool)",
                    "suppressed"
                    if entry.suppressed
                    else f"{_share(entry.share)} / {_share(entry.pool_share)}",
                )
    reasons = Counter(u.code for u in solution.unfilled)
    if reasons:
        table.add_row("unfilled", ", ".join(f"{n} {code}" for code, n in reasons.most_common()))
    if solution.tie_breaks:
        table.add_row("tie-break decisions", str(len(solution.tie_breaks)))
    return table


def print_summary(solution: Solution, console: Console) -> None:
    """Print the summary table, conflicts and notices."""
    console.print(summary_table(solution))
    for conflict in solution.conflicts:
        console.print(
            f"[red]conflict[/red] {conflict.rule} {', '.join(conflict.records)}: "
            f"{conflict.message}",
            highlight=False,
        )
    for notice in solution.notices:
        console.print(f"[yellow]notice[/yellow] {notice}", highlight=False)
