"""Eligibility (H3-H8, forbidden pairs, shortlist, package availability) as sparse pairs.

Every rule here is a vectorised mask over candidate/role index arrays that broadcast against
each other, so the same functions screen blocks of the cross product (a row of candidates
against a column of roles) and check aligned pairs, down to a single pinned one. Across a
block, a role's own condition is folded into a comparison rather than combined with & or |:
numpy compares against a broadcast column many times faster than it combines booleans with one.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.arrays import NO_ORG, NO_RANK, ProblemArrays
from matching.geo import haversine_km

BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

#: Pairs evaluated per block of the cross product (bounds a block's temporaries to tens of MB).
BLOCK_PAIRS = 2_000_000
#: (Organisation, candidate) distances computed together.
DISTANCE_SLAB = 200_000

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
    """Candidate/role indices of the pairs under test, with their distances: aligned, or a block
    of candidates (with their distances to the block's one organisation) against a column of
    roles."""

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
    """H4: every required skill at or above the role's level (a missing skill is level 0).

    Tested on (skill, level) bit sets a 64-bit word at a time, rather than skill by skill: no
    bit the role requires may be missing from those the candidate holds.
    """
    required, held = a.role_required_bits, a.cand_skill_bits
    ok = (required[p.role, 0] & ~held[p.cand, 0]) == 0
    for word in range(1, held.shape[1]):
        ok &= (required[p.role, word] & ~held[p.cand, word]) == 0
    return ok


def h5_commute_or_relocate(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H5: within the commute limit, or willing to relocate."""
    return (p.distance <= a.cand_commute[p.cand]) | a.cand_willing[p.cand]


def h6_conflicts(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H6: no declared conflict with the organisation; no NED/chair seat at one's own employer."""
    org = a.role_org[p.role]
    board_seat_org = np.where(a.role_ned[p.role], org, NO_ORG)
    employer = a.cand_current_org[p.cand]
    conflicted = (employer == board_seat_org) & (employer != NO_ORG)
    for declared in a.cand_conflict_orgs.T:
        conflicted |= declared[p.cand] == org
    return ~conflicted


def h7_fit_and_proper(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H7: board-level roles need a fit and proper person (board level implies cleared)."""
    return a.role_board[p.role] <= a.cand_fit_and_proper[p.cand]


def h8_band(a: ProblemArrays, p: PairContext) -> BoolArray:
    """H8: at most one band up, and a step up only with accreditation; no band, no limit.

    That is a ceiling on the role's rank: the candidate's own, one more with accreditation,
    and NO_RANK (below every band, so met by roles without one) for a candidate without a band.
    """
    cand_rank = a.cand_rank[p.cand]
    ceiling = np.where(cand_rank == NO_RANK, NO_RANK, cand_rank + a.cand_accredited[p.cand])
    return a.role_rank[p.role] <= ceiling


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


def _cheapest_valid(
    arrays: ProblemArrays, role: IntArray, relocation: BoolArray
) -> tuple[IntArray, BoolArray]:
    valid = valid_packages(arrays, role, relocation)
    cost = np.where(valid, arrays.package_cost[None, :], np.iinfo(np.int64).max)
    return np.argmin(cost, axis=1).astype(np.int64), valid.any(axis=1)


def cheapest_packages(
    arrays: ProblemArrays, role: IntArray, relocation: BoolArray
) -> tuple[IntArray, BoolArray]:
    """Cheapest valid package for each pair, and whether it has any.

    A dearer package is never better: it costs more budget and objective and enables
    nothing more, so one package per pair keeps the model exact. Validity depends only on the
    role and on whether the pair relocates, so the choice is made once per role for each case
    and looked up, not made pair by pair.
    """
    case = np.arange(2 * arrays.n_roles, dtype=np.int64)
    package, has_package = _cheapest_valid(arrays, case % arrays.n_roles, case >= arrays.n_roles)
    at = relocation * arrays.n_roles + role
    return package[at], has_package[at]


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
    """Organisations x candidates: great-circle km from each candidate's home to each
    organisation, a row per organisation so that its candidates' distances are at hand.

    Computed a few organisations at a time, so that the formula's temporaries stay in cache.
    """
    distances = np.empty((arrays.n_organisations, arrays.n_candidates))
    step = max(1, DISTANCE_SLAB // max(1, arrays.n_candidates))
    for start in range(0, arrays.n_organisations, step):
        orgs = slice(start, start + step)
        distances[orgs] = haversine_km(
            arrays.cand_lat[None, :],
            arrays.cand_lon[None, :],
            arrays.org_lat[orgs, None],
            arrays.org_lon[orgs, None],
        )
    return distances


def _screen(
    arrays: ProblemArrays, block: PairContext, rules: tuple[str, ...], exclusions: IntArray
) -> PairContext:
    """Apply rules in order to a block, counting each excluded pair under the first rule it
    fails; the pairs that pass them all come back aligned."""
    roles = block.role[:, 0]
    alive = np.ones((roles.size, block.cand.size), dtype=bool)
    passing = np.full(roles.size, block.cand.size)
    for rule in rules:
        if not passing.any():
            break
        alive &= RULE_CHECKS[rule](arrays, block)
        still = alive.sum(axis=1, dtype=np.int32)  # int32: faster than count_nonzero here
        exclusions[roles, REASON_COLUMN[rule]] += passing - still
        passing = still
    rows, cols = np.divmod(np.flatnonzero(alive), block.cand.size)
    return PairContext(block.cand[cols], roles[rows], block.distance[cols])


def _reach(arrays: ProblemArrays, distances: NDArray[np.float64]) -> BoolArray:
    """Organisations x candidates: within the candidate's commute, or willing to relocate (H5)."""
    return (distances <= arrays.cand_commute) | arrays.cand_willing


def _by_organisation(arrays: ProblemArrays, roles: IntArray) -> list[IntArray]:
    """The roles split by organisation, each part in index order."""
    grouped = roles[np.argsort(arrays.role_org[roles], kind="stable")]
    return np.split(grouped, np.flatnonzero(np.diff(arrays.role_org[grouped])) + 1)


def _blocks(
    cands: IntArray, distance: NDArray[np.float64], roles: IntArray
) -> Iterator[PairContext]:
    """Candidates against roles of their one organisation, BLOCK_PAIRS pairs at most a block."""
    step = max(1, BLOCK_PAIRS // max(1, cands.size))
    for start in range(0, roles.size, step):
        yield PairContext(cands, roles[start : start + step, None], distance)


def _screen_rules(arrays: ProblemArrays, exclusions: IntArray) -> PairContext:
    """H3 by grouping roles on kind, H5 by each organisation's reach; the rest on blocks of the
    candidates an organisation reaches against its roles, so that only the pairs that pass
    every rule are ever listed."""
    parts: list[PairContext] = []
    distances = distance_matrix(arrays)
    reach = _reach(arrays, distances)
    others = tuple(rule for rule in SCREEN_ORDER if rule != "H5")
    for kind in np.unique(arrays.role_kind):
        seeking = ((arrays.cand_kinds >> kind) & 1).astype(bool)
        n_seeking = int(np.count_nonzero(seeking))
        roles = np.flatnonzero(arrays.role_kind == kind).astype(np.int64)
        exclusions[roles, REASON_COLUMN["H3"]] += arrays.n_candidates - n_seeking
        for org_roles in _by_organisation(arrays, roles):
            org = arrays.role_org[org_roles[0]]
            cands = np.flatnonzero(seeking & reach[org]).astype(np.int64)
            exclusions[org_roles, REASON_COLUMN["H5"]] += n_seeking - cands.size
            for block in _blocks(cands, distances[org, cands], org_roles):
                parts.append(_screen(arrays, block, others, exclusions))
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


def _in_key_order(arrays: ProblemArrays, ctx: PairContext) -> PairContext:
    """The pairs by role then candidate: the order Pairs keeps, and one to search in."""
    order = np.argsort(pair_keys(arrays, ctx.cand, ctx.role), kind="stable")
    return PairContext(ctx.cand[order], ctx.role[order], ctx.distance[order])


def _listed(arrays: ProblemArrays, ctx: PairContext, listed: IntArray) -> BoolArray:
    """Which pairs (in key order) have their key listed: a search for each listed key rather
    than a set test of every pair."""
    keys = pair_keys(arrays, ctx.cand, ctx.role)
    at = np.searchsorted(keys, listed)
    found = at < keys.size
    found[found] = keys[at[found]] == listed[found]
    on_list = np.zeros(keys.size, dtype=bool)
    on_list[at[found]] = True
    return on_list


def eligible_pairs(arrays: ProblemArrays) -> Pairs:
    """All pairs that pass H3-H8, are not forbidden, are shortlisted and have a valid package."""
    problem = arrays.problem
    exclusions = np.zeros((arrays.n_roles, len(REASONS)), dtype=np.int64)
    ctx = _in_key_order(arrays, _screen_rules(arrays, exclusions))
    if problem.forbidden:
        banned = keys_of(arrays, [(f.candidate_id, f.role_id) for f in problem.forbidden])
        ctx = _drop(ctx, ~_listed(arrays, ctx, banned), "H10", exclusions, arrays.n_roles)
    if problem.policy.scored_pairs_only:
        scored = pair_keys(arrays, arrays.score_cand, arrays.score_role)
        ctx = _drop(ctx, _listed(arrays, ctx, scored), "shortlist", exclusions, arrays.n_roles)
    relocation = ctx.distance > arrays.cand_commute[ctx.cand]
    package, has_package = cheapest_packages(arrays, ctx.role, relocation)
    ctx = _drop(ctx, has_package, "H9", exclusions, arrays.n_roles)
    package = package[has_package]
    return Pairs(
        cand=ctx.cand,
        role=ctx.role,
        distance=ctx.distance,
        relocation=relocation[has_package],
        package=package,
        cost=arrays.package_cost[package],
        keys=pair_keys(arrays, ctx.cand, ctx.role),
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
        scored = pair_keys(arrays, arrays.score_cand, arrays.score_role)
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
