"""Representation of placed people against the pool and community, as suppressed aggregates.

Demographics never leave this module per person: only counts per scope unit, and only
when every count that could single someone out is at or above the disclosure threshold.
"""

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from models.common import ATTRIBUTES
from models.solution import Representation


def is_disclosive(total: int, with_attribute: int, threshold: int) -> bool:
    """Small totals, or a small group with or without the attribute, could identify people.

    A group where nobody or everybody has the attribute discloses it of each member (whose
    names a placement list gives), so it is held back too.
    """
    without = total - with_attribute
    return total < threshold or with_attribute < threshold or without < threshold


def _community(values: list[float]) -> float | None:
    return round(float(np.mean(values)), 4) if values else None


def _entry(
    attribute: str,
    scope: str,
    unit: str,
    placed_cands: NDArray[np.int64],
    pool: NDArray[np.int64],
    community: float | None,
    a: ProblemArrays,
    threshold: int,
) -> Representation:
    has = a.cand_attribute[attribute]
    placed_cands = np.unique(placed_cands)  # people, not placements: one person may hold two
    total, with_attr = int(placed_cands.size), int(has[placed_cands].sum())
    pool_total, pool_with = int(pool.size), int(has[pool].sum())
    hidden = is_disclosive(total, with_attr, threshold)
    pool_hidden = is_disclosive(pool_total, pool_with, threshold)
    return Representation(
        attribute=attribute,
        scope=scope,
        unit=unit,
        placed=None if hidden else total,
        with_attribute=None if hidden else with_attr,
        share=None if hidden or total == 0 else round(with_attr / total, 4),
        pool_share=None if pool_hidden or pool_total == 0 else round(pool_with / pool_total, 4),
        community_share=community,
        suppressed=hidden,
    )


def representation(
    a: ProblemArrays,
    placed_cand: NDArray[np.int64],
    placed_role: NDArray[np.int64],
    pool: NDArray[np.int64],
) -> list[Representation]:
    """Share with each attribute overall, per region and per board, suppressed as needed."""
    problem = a.problem
    threshold = problem.policy.disclosure_threshold
    orgs = problem.organisations
    role_region = np.array([orgs[o].region for o in a.role_org[placed_role]], dtype=object)
    entries: list[Representation] = []
    for attribute in ATTRIBUTES:
        values = [o.community[attribute] for o in orgs if attribute in o.community]
        entries.append(
            _entry(attribute, "all", "all", placed_cand, pool, _community(values), a, threshold)
        )
        for region in sorted({o.region for o in orgs}):
            mask = role_region == region
            values = [
                o.community[attribute]
                for o in orgs
                if o.region == region and attribute in o.community
            ]
            entries.append(
                _entry(
                    attribute,
                    "region",
                    region,
                    placed_cand[mask],
                    pool,
                    _community(values),
                    a,
                    threshold,
                )
            )
        board = a.role_board[placed_role]
        for o in np.unique(a.role_org[placed_role][board]):
            org = orgs[int(o)]
            mask = board & (a.role_org[placed_role] == o)
            entries.append(
                _entry(
                    attribute,
                    "board",
                    org.id,
                    placed_cand[mask],
                    pool,
                    org.community.get(attribute),
                    a,
                    threshold,
                )
            )
    return entries
