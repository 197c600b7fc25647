"""Aggregates shown side by side (compare columns, sweep points) must not be differenced.

Each solution's representation is suppressed on its own, but two shown shares whose groups
differ by a few people tell those people's attributes by subtraction: a dropped candidate,
or a handful of changed placements. So a column's representation is shown only if, against
every column already shown, the people each side has and the other lacks number none or at
least the disclosure threshold; otherwise it is withheld.
"""

from collections.abc import Sequence

from models.problem import Problem
from models.solution import Representation, Solution

WITHHELD_NOTICE = (
    "Representation withheld here: its group differs from another column's by fewer than "
    "{threshold} people, so the difference could identify them."
)


def _separable(group: frozenset[str], other: frozenset[str], threshold: int) -> bool:
    return all(len(side) == 0 or len(side) >= threshold for side in (group - other, other - group))


def showable(groups: Sequence[frozenset[str]], threshold: int) -> list[bool]:
    """Greedy, in column order: which groups' aggregates may be shown together."""
    shown: list[frozenset[str]] = []
    flags = []
    for group in groups:
        ok = all(_separable(group, other, threshold) for other in shown)
        flags.append(ok)
        if ok:
            shown.append(group)
    return flags


def _without_placed(entry: Representation) -> Representation:
    return entry.model_copy(
        update={"placed": None, "with_attribute": None, "share": None, "suppressed": True}
    )


def _redacted(solution: Solution, placed_ok: bool, pool_ok: bool, threshold: int) -> Solution:
    if solution.kpis is None or (placed_ok and pool_ok):
        return solution
    entries = [
        (e if placed_ok else _without_placed(e)).model_copy(
            update={} if pool_ok else {"pool_share": None}
        )
        for e in solution.kpis.representation
    ]
    kpis = solution.kpis.model_copy(update={"representation": entries})
    notices = [*solution.notices, WITHHELD_NOTICE.format(threshold=threshold)]
    return solution.model_copy(update={"kpis": kpis, "notices": notices})


def redact_for_comparison(
    problems: Sequence[Problem], solutions: Sequence[Solution]
) -> list[Solution]:
    """The solutions with representation withheld wherever a difference would disclose."""
    threshold = max(p.policy.disclosure_threshold for p in problems)
    placed = [frozenset(p.candidate_id for p in s.placements) for s in solutions]
    pools = [frozenset(c.id for c in p.candidates) for p in problems]
    placed_ok, pool_ok = showable(placed, threshold), showable(pools, threshold)
    return [
        _redacted(solution, placed_ok[i], pool_ok[i], threshold)
        for i, solution in enumerate(solutions)
    ]
