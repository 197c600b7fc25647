"""Eligibility (H3-H8, forbidden pairs, shortlist, package availability) as sparse pairs.

Every rule here is a vectorised mask over aligned candidate/role index arrays, so the same
functions filter the full cross product in blocks and check a single pinned pair.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.arrays import NO_ORG, NO_RANK, ProblemArrays
from matching.geo import haversine_km

BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

#: Pairs evaluated per block of the cross product (bounds peak memory to a few hundred MB).
BLOCK_PAIRS = 2_000_000
#: Candidates screened together by reach, bounding the candidate x organisation mask.
BLOCK_CANDIDATES = 20_000

#: Reasons a pair is excluded, in the order the screen tests them: cheap, selective rules
#: first. Each excluded pair is counted under the first reason it fails.
REASONS: tuple[str, ...] = ("H3", "H5", "H7", "H8", "H6", "H4", "H10", "shortlist", "H9")
REASON_TEXT: dict[str, str] = {
    "H3": "not seeking this kind of role (H3)",
    "H4": "below a required skill level (H4)",
    "H5": "beyond commute and unwilling to relocate (H5)",
    "H6": "conflict of interest or own organisation (H6)",
    "H7": "not cleared fit and proper for a board role (H7)",
    "H8": "band too far below, or a step up without accreditation (H8)",
    "H10": "forbidden pair (H10)",
    "shortlist": "not on the external shortlist (scored_pairs_only)",
    "H9": "no allowed package, or no relocation package for a relocation (H9/H5)",
}
REASON_COLUMN = {reason: i for i, reason in enumerate(REASONS)}


@dataclass(frozen=True)
class PairContext:
    """Aligned candidate/role indices of the pairs under test, with their distances."""

    cand: IntArray
    role: IntArray
    distance: NDArray[np.float64]


def pair_distance(arrays: ProblemArrays, cand: IntArray, role: IntArray) -> NDArray[np.float64]:
    """Great-circle km from each candidate's home to the role's organisation."""
    org = arrays.role_org[role]
    return haversine_km(
        arrays.cand_lat[cand], arrays.cand_lon[cand], arrays.org_lat[org], arrays.org_lon[org]
    )


def h3_role_kind(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H3: the role's kind is one the candidate seeks."""
    return ((a.cand_kinds[p.cand] >> a.role_kind[p.role]) & 1).astype(bool)


def h4_required_skills(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H4: every required skill at or above the role's level (a missing skill is level 0)."""
    required = a.role_required[p.role]
    needed = np.flatnonzero(required.any(axis=0))
    if needed.size == 0:
        return np.ones(p.cand.size, dtype=bool)
    held = a.cand_skills[p.cand][:, needed]
    return np.all(held >= required[:, needed], axis=1)


def h5_commute_or_relocate(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H5: within the commute limit, or willing to relocate."""
    return (p.distance <= a.cand_commute[p.cand]) | a.cand_willing[p.cand]


def h6_conflicts(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H6: no declared conflict with the organisation; no NED/chair seat at one's own employer."""
    org = a.role_org[p.role]
    conflicted = (
        np.asarray(a.cand_conflicts[p.cand, org], dtype=bool).ravel()
        if a.cand_conflicts.nnz
        else np.zeros(p.cand.size, dtype=bool)
    )
    own_board = a.role_ned[p.role] & (a.cand_current_org[p.cand] == org) & (org != NO_ORG)
    return ~(conflicted | own_board)


def h7_fit_and_proper(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H7: board-level roles need a fit and proper person."""
    return ~a.role_board[p.role] | a.cand_fit_and_proper[p.cand]


def h8_band(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H8: at most one band up, and a step up only with accreditation; no band, no limit."""
    role_rank, cand_rank = a.role_rank[p.role], a.cand_rank[p.cand]
    within = (cand_rank != NO_RANK) & (role_rank <= cand_rank + 1)
    step_ok = (role_rank <= cand_rank) | a.cand_accredited[p.cand]
    return (role_rank == NO_RANK) | (within & step_ok)


ELIGIBILITY_RULES: tuple[tuple[str, Callable[[ProblemArrays, PairContext], BoolArray]], ...] = (
    ("H3", h3_role_kind),
    ("H4", h4_required_skills),
    ("H5", h5_commute_or_relocate),
    ("H6", h6_conflicts),
    ("H7", h7_fit_and_proper),
    ("H8", h8_band),
)


def pair_keys(arrays: ProblemArrays, cand: IntArray, role: IntArray) -> IntArray:
    """One integer per pair, ordered by role then candidate."""
    return role.astype(np.int64) * arrays.n_candidates + cand


def keys_of(arrays: ProblemArrays, pairs: list[tuple[str, str]]) -> IntArray:
    """Pair keys of (candidate id, role id) pairs."""
    cand = np.array([arrays.cand_index[c] for c, _ in pairs], dtype=np.int64)
    role = np.array([arrays.role_index[r] for _, r in pairs], dtype=np.int64)
    return pair_keys(arrays, cand, role)


def valid_packages(arrays: ProblemArrays, role: IntArray, relocation: BoolArray) -> BoolArray:
    """Pairs x packages: allowed for the role (H9), supporting a needed relocation (H5)."""
    challenged = arrays.org_challenged[arrays.role_org[role]]
    valid = arrays.role_allowed[role]
    valid = valid & (~arrays.package_challenged_only[None, :] | challenged[:, None])
    return valid & (~relocation[:, None] | arrays.package_support[None, :])


def cheapest_packages(
    arrays: ProblemArrays, role: IntArray, relocation: BoolArray
) -> tuple[IntArray, BoolArray]:
    """Cheapest valid package for each pair, and whether it has any.

    A dearer package is never better: it costs more budget and objective and enables
    nothing more, so one package per pair keeps the model exact.
    """
    valid = valid_packages(arrays, role, relocation)
    cost = np.where(valid, arrays.package_cost[None, :], np.iinfo(np.int64).max)
    return np.argmin(cost, axis=1).astype(np.int64), valid.any(axis=1)


@dataclass(frozen=True)
class Pairs:
    """Eligible (candidate, role) pairs sorted by role then candidate, with their package."""

    cand: IntArray
    role: IntArray
    distance: NDArray[np.float64]
    relocation: BoolArray
    package: IntArray
    cost: IntArray
    keys: IntArray
    exclusions: IntArray  # roles x REASONS: candidates excluded, by first failing reason

    @property
    def size(self) -> int:
        """Number of eligible pairs."""
        return int(self.cand.size)


#: Rules the screen tests after H3 (applied by grouping on kind): cheap, selective ones first.
SCREEN_ORDER: tuple[str, ...] = REASONS[1:6]
RULE_CHECKS = dict(ELIGIBILITY_RULES)


def distance_matrix(arrays: ProblemArrays) -> NDArray[np.float64]:
    """Great-circle km from every candidate's home to every organisation."""
    return haversine_km(
        arrays.cand_lat[:, None],
        arrays.cand_lon[:, None],
        arrays.org_lat[None, :],
        arrays.org_lon[None, :],
    )


def _compress(ctx: PairContext, keep: BoolArray) -> PairContext:
    return PairContext(ctx.cand[keep], ctx.role[keep], ctx.distance[keep])


def _screen(
    arrays: ProblemArrays, ctx: PairContext, rules: tuple[str, ...], exclusions: IntArray
) -> PairContext:
    """Apply rules in order, counting each excluded pair under the first rule it fails."""
    for rule in rules:
        if ctx.cand.size == 0:
            break
        ok = RULE_CHECKS[rule](arrays, ctx)
        exclusions[:, REASON_COLUMN[rule]] += np.bincount(ctx.role[~ok], minlength=arrays.n_roles)
        ctx = _compress(ctx, ok)
    return ctx


def _ragged_roles(
    org_of_pair: IntArray, roles_by_org: IntArray, starts: IntArray, counts: IntArray
) -> tuple[IntArray, IntArray]:
    """For each (pair, org), every role at that org: (pair index, role) expanded."""
    n = counts[org_of_pair]
    total = int(n.sum())
    pair_index = np.repeat(np.arange(org_of_pair.size, dtype=np.int64), n)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(n) - n, n)
    return pair_index, roles_by_org[np.repeat(starts[org_of_pair], n) + offset]


def _nearby_pairs(
    arrays: ProblemArrays,
    cands: IntArray,
    roles: IntArray,
    distances: NDArray[np.float64],
    exclusions: IntArray,
) -> PairContext:
    """Candidates unwilling to relocate only reach organisations within their commute (H5)."""
    within = distances[cands] <= arrays.cand_commute[cands][:, None]
    reach = within.sum(axis=0)
    exclusions[roles, REASON_COLUMN["H5"]] += cands.size - reach[arrays.role_org[roles]]
    by_org = roles[np.argsort(arrays.role_org[roles], kind="stable")]
    n_orgs = arrays.org_lat.size
    counts = np.bincount(arrays.role_org[by_org], minlength=n_orgs)
    starts = np.cumsum(counts) - counts
    rows, orgs = np.nonzero(within)
    pair_index, role = _ragged_roles(orgs.astype(np.int64), by_org, starts, counts)
    cand = cands[rows[pair_index]]
    return PairContext(cand, role, distances[cand, arrays.role_org[role]])


def _cross_pairs(
    arrays: ProblemArrays, cands: IntArray, roles: IntArray, distances: NDArray[np.float64]
) -> PairContext:
    cand = np.tile(cands, roles.size)
    role = np.repeat(roles, cands.size)
    return PairContext(cand, role, distances[cand, arrays.role_org[role]])


def _screen_rules(arrays: ProblemArrays, exclusions: IntArray) -> PairContext:
    """H3 by grouping roles on kind; H5 by reach for the unwilling; the rest pair by pair."""
    parts: list[PairContext] = []
    everyone = np.arange(arrays.n_candidates, dtype=np.int64)
    distances = distance_matrix(arrays)
    others = tuple(rule for rule in SCREEN_ORDER if rule != "H5")
    for kind in np.unique(arrays.role_kind):
        roles = np.flatnonzero(arrays.role_kind == kind).astype(np.int64)
        cands = everyone[((arrays.cand_kinds >> kind) & 1).astype(bool)]
        exclusions[roles, REASON_COLUMN["H3"]] += arrays.n_candidates - cands.size
        willing, unwilling = cands[arrays.cand_willing[cands]], cands[~arrays.cand_willing[cands]]
        if unwilling.size:
            for start in range(0, unwilling.size, BLOCK_CANDIDATES):
                block = unwilling[start : start + BLOCK_CANDIDATES]
                nearby = _nearby_pairs(arrays, block, roles, distances, exclusions)
                parts.append(_screen(arrays, nearby, others, exclusions))
        if willing.size:
            step = max(1, BLOCK_PAIRS // willing.size)
            for start in range(0, roles.size, step):
                pairs = _cross_pairs(arrays, willing, roles[start : start + step], distances)
                parts.append(_screen(arrays, pairs, others, exclusions))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return PairContext(empty, empty, np.zeros(0))
    return PairContext(
        np.concatenate([p.cand for p in parts]),
        np.concatenate([p.role for p in parts]),
        np.concatenate([p.distance for p in parts]),
    )


def _drop(
    ctx: PairContext, keep: BoolArray, reason: str, exclusions: IntArray, n_roles: int
) -> PairContext:
    exclusions[:, REASON_COLUMN[reason]] += np.bincount(ctx.role[~keep], minlength=n_roles)
    return PairContext(ctx.cand[keep], ctx.role[keep], ctx.distance[keep])


def eligible_pairs(arrays: ProblemArrays) -> Pairs:
    """All pairs that pass H3-H8, are not forbidden, are shortlisted and have a valid package."""
    problem = arrays.problem
    exclusions = np.zeros((arrays.n_roles, len(REASONS)), dtype=np.int64)
    ctx = _screen_rules(arrays, exclusions)
    if problem.forbidden:
        banned = keys_of(arrays, [(f.candidate_id, f.role_id) for f in problem.forbidden])
        keep = ~np.isin(pair_keys(arrays, ctx.cand, ctx.role), banned)
        ctx = _drop(ctx, keep, "H10", exclusions, arrays.n_roles)
    if problem.policy.scored_pairs_only:
        scored = keys_of(arrays, [(s.candidate_id, s.role_id) for s in problem.scores])
        keep = np.isin(pair_keys(arrays, ctx.cand, ctx.role), scored)
        ctx = _drop(ctx, keep, "shortlist", exclusions, arrays.n_roles)
    relocation = ctx.distance > arrays.cand_commute[ctx.cand]
    package, has_package = cheapest_packages(arrays, ctx.role, relocation)
    ctx = _drop(ctx, has_package, "H9", exclusions, arrays.n_roles)
    relocation, package = relocation[has_package], package[has_package]
    keys = pair_keys(arrays, ctx.cand, ctx.role)
    order = np.argsort(keys, kind="stable")
    return Pairs(
        cand=ctx.cand[order],
        role=ctx.role[order],
        distance=ctx.distance[order],
        relocation=relocation[order],
        package=package[order],
        cost=arrays.package_cost[package[order]],
        keys=keys[order],
        exclusions=exclusions,
    )


def candidate_exclusions(pairs: Pairs, arrays: ProblemArrays, cand: int) -> dict[str, int]:
    """Roles one candidate is not eligible for, counted under the first rule each fails (the
    order roles' exclusion counts use)."""
    problem = arrays.problem
    roles = np.arange(arrays.n_roles, dtype=np.int64)
    everyone = np.full(roles.size, cand, dtype=np.int64)
    ctx = PairContext(everyone, roles, pair_distance(arrays, everyone, roles))
    keys = pair_keys(arrays, everyone, roles)
    fails_by_rule = {rule: ~check(arrays, ctx) for rule, check in RULE_CHECKS.items()}
    fails_by_rule["H10"] = np.isin(
        keys, keys_of(arrays, [(f.candidate_id, f.role_id) for f in problem.forbidden])
    )
    if problem.policy.scored_pairs_only:
        scored = keys_of(arrays, [(s.candidate_id, s.role_id) for s in problem.scores])
        fails_by_rule["shortlist"] = ~np.isin(keys, scored)
    open_ = ~np.isin(roles, pairs.role[pairs.cand == cand])
    counts: dict[str, int] = {}
    # What no earlier rule explains had no allowed package (H9, last in REASONS).
    fails_by_rule["H9"] = np.ones(roles.size, dtype=bool)
    for rule in REASONS:
        fails = open_ & fails_by_rule.get(rule, np.zeros(roles.size, dtype=bool))
        counts[rule] = int(fails.sum())
        open_ &= ~fails
    return {rule: n for rule, n in counts.items() if n}
