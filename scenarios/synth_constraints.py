"""Side constraints of the full variant, feasible by construction.

The generator cannot solve, so every constraint that forces a placement (H1 must_fill, H13 board
requirements) is only set where enough candidates can take the role locally (no relocation, so
no package and no budget is needed) and one of them is a woman (so the hard female floor on all
placements can always be met by the forced placements alone).
"""

import numpy as np

from models.common import RoleKind
from models.organisation import BoardRequirement
from scenarios.draws import YES, BoolArray, IntArray
from scenarios.synth_candidates import KIND_COLUMN, CandidateTable
from scenarios.synth_organisations import BoardMembers, OrganisationTable, SeatTable
from scenarios.synth_roles import RoleTable
from scenarios.synth_supply import LocalSupply, eligible_anywhere
from scenarios.workforce import SKILL_INDEX

#: A role may be forced (must_fill, or the only way to meet H13) only if at least this many
#: candidates can take it without relocating.
MIN_LOCAL_ELIGIBLE = 3
#: Brief: about 2% of roles must be filled, taken from low-requirement manager posts.
MUST_FILL_SHARE = 0.02
#: Highest band rank (8b) of a low-requirement manager post.
LOW_REQUIREMENT_MAX_BAND = 1
#: H13 template: (skill, level, min_members); every board has a finance and a clinical core.
BOARD_REQUIREMENT_TEMPLATE: tuple[tuple[str, int, int], ...] = (
    ("finance", 4, 2),
    ("clinical", 4, 2),
)
#: Brief: a couple of forbidden (candidate, role) pairs.
FORBIDDEN_PAIRS = 2


def local_eligible(
    role: int, roles: RoleTable, candidates: CandidateTable, supply: LocalSupply
) -> BoolArray:
    """Candidates who may take the role without relocating (H2-H8, H6 included)."""
    org = int(roles.org[role])
    ok = eligible_anywhere(role, roles, candidates) & supply.near[org]
    ok &= candidates.conflict != org
    if roles.kind[role] in (RoleKind.NED, RoleKind.CHAIR):
        ok &= candidates.current_org != org
    return ok


def can_force(role: int, roles: RoleTable, candidates: CandidateTable, supply: LocalSupply) -> bool:
    """Forcing the role keeps the problem feasible: enough candidates can take it locally, and
    one of them is a woman, so the hard female floor never blocks it."""
    local = local_eligible(role, roles, candidates, supply)
    woman = candidates.demographics.female == YES
    return bool(local.sum() >= MIN_LOCAL_ELIGIBLE and (local & woman).any())


def choose_must_fill(
    roles: RoleTable, candidates: CandidateTable, supply: LocalSupply
) -> BoolArray:
    """About 2% of roles: the low-requirement manager posts with the largest local supply."""
    wanted = max(1, round(MUST_FILL_SHARE * len(roles)))
    low = np.flatnonzero(
        np.array([kind == RoleKind.MANAGER for kind in roles.kind], dtype=bool)
        & (roles.band_rank <= LOW_REQUIREMENT_MAX_BAND)
    )
    must_fill = np.zeros(len(roles), dtype=bool)
    for role in low[np.argsort(-supply.count[low], kind="stable")]:
        if must_fill.sum() == wanted or supply.count[role] < MIN_LOCAL_ELIGIBLE:
            break
        must_fill[role] = can_force(int(role), roles, candidates, supply)
    return must_fill


def _existing_holders(
    orgs: OrganisationTable, seats: SeatTable, members: BoardMembers, skill: str, level: int
) -> IntArray:
    """How many existing members of each board hold the skill at the level or above."""
    holds = members.skills[:, SKILL_INDEX[skill]] >= level
    counts = np.bincount(seats.org[members.seat], weights=holds, minlength=len(orgs))
    return counts.astype(np.int64)


def _can_cover(
    org: int,
    skill: str,
    level: int,
    roles: RoleTable,
    candidates: CandidateTable,
    supply: LocalSupply,
) -> bool:
    """An open board post of the org requires the skill at the level and can be forced."""
    covering = np.flatnonzero(
        (roles.org == org) & roles.board_level & (roles.required[:, SKILL_INDEX[skill]] >= level)
    )
    return any(can_force(int(r), roles, candidates, supply) for r in covering)


def board_requirements(
    orgs: OrganisationTable,
    seats: SeatTable,
    members: BoardMembers,
    roles: RoleTable,
    candidates: CandidateTable,
    supply: LocalSupply,
) -> list[list[BoardRequirement]]:
    """H13 requirements of each organisation, kept only where they can be met.

    A requirement is kept if the existing board meets it, or if it is one member short and an
    open board post that demands the skill can be forced (see can_force); else it is dropped.
    """
    requirements: list[list[BoardRequirement]] = [[] for _ in range(len(orgs))]
    for skill, level, min_members in BOARD_REQUIREMENT_TEMPLATE:
        holders = _existing_holders(orgs, seats, members, skill, level)
        for org in range(len(orgs)):
            shortfall = min_members - int(holders[org])
            if shortfall <= 0 or (
                shortfall == 1 and _can_cover(org, skill, level, roles, candidates, supply)
            ):
                requirements[org].append(
                    BoardRequirement(skill=skill, level=level, min_members=min_members)
                )
    return requirements


def choose_forbidden(
    rng: np.random.Generator, roles: RoleTable, candidates: CandidateTable, must_fill: BoolArray
) -> list[tuple[int, int]]:
    """A couple of (candidate, role) pairs ruled out case by case: a local candidate of the right
    kind for a role that need not be filled."""
    pairs: list[tuple[int, int]] = []
    for role in rng.permutation(np.flatnonzero(~must_fill)):
        column = KIND_COLUMN[roles.kind[role]]
        local = np.flatnonzero(candidates.kinds[:, column] & (candidates.anchor == roles.org[role]))
        if len(local):
            pairs.append((int(rng.choice(local)), int(role)))
        if len(pairs) == FORBIDDEN_PAIRS:
            break
    return pairs
