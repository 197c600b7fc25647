"""A sweep's results as rows: the grid point's settings and each solution's headline measures."""

from typing import Any

from models.common import ATTRIBUTES
from models.solution import Solution

MEASURES = (
    "status",
    "objective",
    "gap",
    "filled",
    "fill_rate",
    "fill_rate_challenged",
    "fill_rate_difficult",
    "mean_fit",
    "total_fit",
    "spend",
    "relocations",
    "wall_time_s",
)


def _share_of(solution: Solution, attribute: str) -> float | None:
    """Share of placed people with the attribute over all placements, unless suppressed."""
    if solution.kpis is None:
        return None
    for entry in solution.kpis.representation:
        if entry.scope == "all" and entry.attribute == attribute and not entry.suppressed:
            return entry.share
    return None


def result_row(point: dict[str, Any], solution: Solution) -> dict[str, Any]:
    """One grid point: its settings, then the measures (None where there is no placement)."""
    kpis = solution.kpis
    row: dict[str, Any] = dict(point)
    row["status"] = solution.status.value
    row["objective"] = solution.objective
    row["gap"] = solution.gap
    row["filled"] = kpis.filled if kpis else None
    row["fill_rate"] = kpis.fill_rate if kpis else None
    row["fill_rate_challenged"] = kpis.fill_rate_challenged if kpis else None
    row["fill_rate_difficult"] = kpis.fill_rate_difficult if kpis else None
    row["mean_fit"] = kpis.mean_fit if kpis else None
    row["total_fit"] = round(sum(p.score for p in solution.placements), 3)
    row["spend"] = kpis.spend if kpis else None
    row["relocations"] = kpis.relocations if kpis else None
    row["wall_time_s"] = solution.solver.wall_time_s if solution.solver else None
    for attribute in ATTRIBUTES:
        row[f"share_{attribute}"] = _share_of(solution, attribute)
    return row


def columns(paths: list[str]) -> list[str]:
    """Column order of the rows: settings, measures, representation shares."""
    return [*paths, *MEASURES, *(f"share_{a}" for a in ATTRIBUTES)]
