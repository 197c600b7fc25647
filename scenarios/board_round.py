"""A NED board round: the vacant non-executive seats of several boards in one NHS region.

The NED appointments team composes the boards of a region jointly (DESIGN.md: skills matrix,
diversity, conflicts, at most two boards per NED). `generate_board_round(seed, region, boards)`
draws real trusts and ICBs of the region with their existing boards, the NED and chair seats
whose terms end this round, each board's skills matrix (H13) and a pool of NEDs and prospective
NEDs from the region and just across its border. The same arguments give the same problem, and
every problem is feasible by construction: each requirement the existing board falls short of
has a candidate set aside for it (see `cover_gaps`).

Usage: python -m scenarios.board_round --seed 1 -o board_round.json
"""

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from matching.geo import haversine_km
from models.candidate import Candidate
from models.common import RoleKind
from models.organisation import BoardRequirement
from models.policy import DiversityMode, Policy
from models.problem import Problem
from scenarios.draws import (
    BoolArray,
    DemographicDraws,
    FloatArray,
    IntArray,
    draw_demographics,
    draw_skill_levels,
    offset_points,
)
from scenarios.generate import write_problem_json
from scenarios.nhs_data import load_icbs, load_regions, load_trusts
from scenarios.synth_candidates import (
    BOARD_POOL_FIT_AND_PROPER,
    COMMUTE_STEP_KM,
    HOME_DISTANCE_MEDIAN_KM,
    HOME_DISTANCE_RANGE_KM,
    HOME_DISTANCE_SIGMA,
    KIND_COLUMN,
    KIND_ORDER,
    NED_MAX_ROLES,
    NED_POOL,
    NO_ORGANISATION,
    SITTING_NED_SHARE,
    CandidateTable,
)
from scenarios.synth_constraints import BOARD_REQUIREMENT_TEMPLATE, local_eligible
from scenarios.synth_organisations import (
    POST_SKILL_MEANS,
    BoardMembers,
    OrganisationTable,
    SeatTable,
    build_organisations,
    build_seats,
    choose_regions,
    draw_board_members,
)
from scenarios.synth_records import candidate_records, organisation_records, role_records
from scenarios.synth_roles import NO_BAND, RoleTable, board_roles
from scenarios.synth_supply import local_supply
from scenarios.workforce import (
    BOARD_DISABLED,
    BOARD_POSTS,
    CHAIR_POST,
    NED_POOL_ETHNIC_MINORITY,
    NED_POOL_FEMALE,
    NED_POSTS,
    POST_INDEX,
    RURAL_TALENT_FACTOR,
    SKILL_INDEX,
    SKILLS,
    regional_share,
)

#: The generator's row tables, which `stack` and `take` work on.
Table = TypeVar("Table", CandidateTable, DemographicDraws)

DEFAULT_BOARDS = 12
#: FACTS §2: NED terms are 3-4 years, so about 1 in 3.5 non-executive seats ends each year.
NED_TERM_YEARS = 3.5
#: [assumption] Candidates in the round per vacant seat: the region's NED talent pool plus the
#: applicants of this round's campaigns.
CANDIDATES_PER_SEAT = 3.5
#: [assumption] As many of the pool are ready to chair as chairs hold non-executive seats: one in
#: seven (a chair and five to seven NEDs, FACTS §2).
CHAIR_READY_SHARE = 1 / 7
#: [assumption] Share of the pool living across the region's border, and the organisations
#: nearest the round (outside the region) they live near.
OUTSIDER_SHARE = 0.1
NEIGHBOUR_PLACES = 6
#: [assumption] NEDs commute to a board a few days a month, so they accept longer trips than
#: staff (FACTS §2: 2.5-4 days a month); few would move for a part-time post.
NED_COMMUTE_RANGE_KM = (40, 100)
NED_RELOCATE_SHARE = 0.05
#: [assumption] Share of the candidates not on a board who have a current or recent role at the
#: board nearest their home (an employee, commissioner or supplier): a conflict of interest (H6).
RECENT_ROLE_SHARE = 0.15
#: [assumption] Of the candidates not on a board (and not ready to chair), the share who have
#: never sat on one (first-time NEDs from executive and professional careers), and their mean
#: board governance level, below the NED_GOVERNANCE_MEAN of those with board experience.
FIRST_TIME_SHARE = 0.6
FIRST_TIME_GOVERNANCE_MEAN = 2.0
#: [assumption] A NED seat in a board round is advertised for the committee its specialism chairs
#: (audit, quality, people, ...), which asks for expert level, not the working level (3) of the
#: generator's NED posts.
COMMITTEE_CHAIR_LEVEL = 4
#: The skills matrix every board asks for (skill, level, min_members): the generator's finance
#: and clinical core, then the audit, quality, people, digital and legal expertise of the
#: committees; [assumption] for the levels and counts.
BOARD_SKILLS_MATRIX: tuple[tuple[str, int, int], ...] = (
    *BOARD_REQUIREMENT_TEMPLATE,
    ("audit", 4, 1),
    ("quality", 4, 2),
    ("workforce", 4, 2),
    ("digital", 4, 1),
    ("legal", 4, 1),
)
#: [assumption] Each gap in a skills matrix can be closed by at least this many candidates, and
#: each seat can be taken by at least this many: the search runs until the panel has a choice.
MIN_CLOSERS = 2
MIN_SHORTLIST = 2
TIME_LIMIT_S = 30.0

NED_POST_INDICES = np.array([POST_INDEX[post.key] for post in NED_POSTS], dtype=np.int64)
CHAIR_SKILL_MEANS = POST_SKILL_MEANS[POST_INDEX[CHAIR_POST.key]]
GOVERNANCE = SKILL_INDEX["governance"]
#: Per board post: the skills it requires at its specialism (all but governance) if a NED seat.
NED_SPECIALISM_MASK = np.array(
    [
        [
            post.kind is RoleKind.NED and skill in post.required and skill != "governance"
            for skill in SKILLS
        ]
        for post in BOARD_POSTS
    ]
)
NON_EXECUTIVE_KINDS = frozenset({RoleKind.NED, RoleKind.CHAIR})


@dataclass(frozen=True)
class Gap:
    """A skills-matrix requirement the existing board is one member short of (H13).

    Attributes:
        org: Index of the board's organisation.
        skill: Index of the skill in SKILLS.
        level: Level a new member must hold.
    """

    org: int
    skill: int
    level: int


def round_region(rng: np.random.Generator, region: str | None) -> str:
    """The named NHS region, or one drawn at random."""
    if region is None:
        return choose_regions(rng, 1)[0]
    names = [known.name for known in load_regions()]
    if region not in names:
        raise ValueError(f"region must be one of {names}, not {region!r}")
    return region


def choose_boards(
    rng: np.random.Generator, everyone: OrganisationTable, count: int
) -> OrganisationTable:
    """`count` of the region's trusts and ICBs, drawn at random."""
    if not 1 <= count <= len(everyone):
        raise ValueError(f"boards must be between 1 and {len(everyone)} in the region, not {count}")
    chosen = np.sort(rng.choice(len(everyone), size=count, replace=False))
    return OrganisationTable(
        refs=tuple(everyone.refs[i] for i in chosen),
        lat=everyone.lat[chosen],
        lon=everyone.lon[chosen],
        segment=everyone.segment[chosen],
        rural_or_coastal=everyone.rural_or_coastal[chosen],
    )


def choose_vacant_seats(rng: np.random.Generator, seats: SeatTable, boards: int) -> BoolArray:
    """Non-executive seats whose term ends: one on every board of the round, the rest at random,
    about one seat in NED_TERM_YEARS in all."""
    non_executive = np.array([BOARD_POSTS[p].kind in NON_EXECUTIVE_KINDS for p in seats.post])
    vacant = np.zeros(len(seats), dtype=bool)
    for org in range(boards):
        vacant[rng.choice(np.flatnonzero(non_executive & (seats.org == org)))] = True
    count = max(boards, round(non_executive.sum() / NED_TERM_YEARS))
    others = np.flatnonzero(non_executive & ~vacant)
    vacant[rng.choice(others, size=count - boards, replace=False)] = True
    return vacant


def _neighbour_points(orgs: OrganisationTable, region: str) -> tuple[FloatArray, FloatArray]:
    """The NEIGHBOUR_PLACES organisations outside the region nearest to a board of the round."""
    outside = [org for org in load_trusts() + load_icbs() if org.region != region]
    lat = np.array([org.lat for org in outside])
    lon = np.array([org.lon for org in outside])
    distance = haversine_km(lat[:, None], lon[:, None], orgs.lat[None, :], orgs.lon[None, :])
    nearest = np.argsort(distance.min(axis=1), kind="stable")[:NEIGHBOUR_PLACES]
    return lat[nearest], lon[nearest]


def _anchor_points(
    rng: np.random.Generator,
    everyone: OrganisationTable,
    orgs: OrganisationTable,
    region: str,
    count: int,
) -> tuple[FloatArray, FloatArray]:
    """The organisation each candidate lives near: any of the region's (larger and urban ones
    more often), or for OUTSIDER_SHARE of them, one just across the border from the round."""
    outsiders = round(OUTSIDER_SHARE * count)
    weight = everyone.size_weight * np.where(everyone.rural_or_coastal, RURAL_TALENT_FACTOR, 1.0)
    local = rng.choice(len(everyone), size=count - outsiders, p=weight / weight.sum())
    neighbour_lat, neighbour_lon = _neighbour_points(orgs, region)
    neighbour = rng.choice(len(neighbour_lat), size=outsiders)
    return (
        np.concatenate([everyone.lat[local], neighbour_lat[neighbour]]),
        np.concatenate([everyone.lon[local], neighbour_lon[neighbour]]),
    )


def draw_homes(
    rng: np.random.Generator, lat: FloatArray, lon: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Homes a few km (lognormal, as for the generator's pools) from each point."""
    low, high = HOME_DISTANCE_RANGE_KM
    distance = np.clip(
        rng.lognormal(np.log(HOME_DISTANCE_MEDIAN_KM), HOME_DISTANCE_SIGMA, size=len(lat)),
        low,
        high,
    )
    return offset_points(rng, lat, lon, distance)


@cache
def _england_points() -> tuple[FloatArray, FloatArray, tuple[str, ...]]:
    """Location and region of every trust and ICB in England."""
    everyone = load_trusts() + load_icbs()
    return (
        np.array([org.lat for org in everyone]),
        np.array([org.lon for org in everyone]),
        tuple(org.region for org in everyone),
    )


def home_regions(lat: FloatArray, lon: FloatArray) -> list[str]:
    """Each home's NHS region: the region of the nearest trust or ICB."""
    org_lat, org_lon, regions = _england_points()
    distance = haversine_km(lat[:, None], lon[:, None], org_lat[None, :], org_lon[None, :])
    return [regions[i] for i in np.argmin(distance, axis=1)]


def _nearest_board(orgs: OrganisationTable, lat: FloatArray, lon: FloatArray) -> IntArray:
    """Index of the board of the round nearest each home."""
    distance = haversine_km(lat[:, None], lon[:, None], orgs.lat[None, :], orgs.lon[None, :])
    return np.argmin(distance, axis=1).astype(np.int64)


def _ned_skill_means(post: IntArray, chair_ready: BoolArray, first_time: BoolArray) -> FloatArray:
    """Skill means of each board post: raised to a chair's where chair-ready, with less board
    governance for those who have never sat on a board."""
    specialism = POST_SKILL_MEANS[post]
    means = np.where(chair_ready[:, None], np.maximum(specialism, CHAIR_SKILL_MEANS), specialism)
    means[first_time, GOVERNANCE] = FIRST_TIME_GOVERNANCE_MEAN
    return means


def draw_neds(
    rng: np.random.Generator,
    orgs: OrganisationTable,
    region: str,
    home: tuple[FloatArray, FloatArray],
    post: IntArray,
    chair_ready: BoolArray,
) -> CandidateTable:
    """NEDs and prospective NEDs living at `home`, skilled for a board post (their specialism).

    A share already sit on one board (of the round, the one nearest home, if they live in the
    region) and may take one more (the two-board limit); a few others have a recent role at the
    nearest board. Demographics follow the published board figures (FACTS §1) of their region.
    """
    lat, lon = home
    count = len(lat)
    nearest = _nearest_board(orgs, lat, lon)
    regions = home_regions(lat, lon)
    in_region = np.array([name == region for name in regions])
    sitting = rng.random(count) < SITTING_NED_SHARE
    first_time = ~sitting & ~chair_ready & (rng.random(count) < FIRST_TIME_SHARE)
    recent_role = ~sitting & (rng.random(count) < RECENT_ROLE_SHARE)
    kinds = np.zeros((count, len(KIND_ORDER)), dtype=bool)
    kinds[:, KIND_COLUMN[RoleKind.NED]] = True
    kinds[:, KIND_COLUMN[RoleKind.CHAIR]] = chair_ready
    low, high = NED_COMMUTE_RANGE_KM
    commute = rng.integers(low // COMMUTE_STEP_KM, high // COMMUTE_STEP_KM + 1, size=count)
    return CandidateTable(
        pool=np.full(count, NED_POOL, dtype=np.int64),
        kinds=kinds,
        anchor=nearest,
        lat=lat,
        lon=lon,
        current_org=np.where(sitting & in_region, nearest, NO_ORGANISATION),
        band_rank=np.full(count, NO_BAND, dtype=np.int64),
        skills=draw_skill_levels(rng, _ned_skill_means(post, chair_ready, first_time)),
        accredited=np.zeros(count, dtype=bool),
        fit_and_proper=rng.random(count) < BOARD_POOL_FIT_AND_PROPER,
        max_roles=np.full(count, NED_MAX_ROLES, dtype=np.int64),
        current_roles=sitting.astype(np.int64),
        max_commute_km=(commute * COMMUTE_STEP_KM).astype(np.float64),
        willing_to_relocate=rng.random(count) < NED_RELOCATE_SHARE,
        conflict=np.where(recent_role, nearest, NO_ORGANISATION),
        demographics=draw_demographics(
            rng,
            np.full(count, NED_POOL_FEMALE),
            np.array([regional_share(NED_POOL_ETHNIC_MINORITY, name) for name in regions]),
            np.full(count, BOARD_DISABLED),
        ),
    )


def draw_pool(
    rng: np.random.Generator,
    everyone: OrganisationTable,
    orgs: OrganisationTable,
    region: str,
    count: int,
) -> CandidateTable:
    """The region's NED talent pool for the round, some of it ready to chair."""
    home = draw_homes(rng, *_anchor_points(rng, everyone, orgs, region, count))
    post = NED_POST_INDICES[rng.choice(len(NED_POSTS), size=count)]
    return draw_neds(rng, orgs, region, home, post, rng.random(count) < CHAIR_READY_SHARE)


def committee_seats(roles: RoleTable) -> RoleTable:
    """The vacancies with each NED seat's specialism raised to COMMITTEE_CHAIR_LEVEL."""
    raised = np.maximum(roles.required, NED_SPECIALISM_MASK[roles.post] * COMMITTEE_CHAIR_LEVEL)
    return replace(roles, required=raised)


def skills_matrix(
    orgs: OrganisationTable, seats: SeatTable, members: BoardMembers, roles: RoleTable
) -> tuple[list[list[BoardRequirement]], list[Gap]]:
    """Each board's H13 requirements, and the gaps this round must close.

    A requirement the existing board meets is kept; one it is a member short of is kept while
    the board has a vacant seat left to close it with (a gap); a wider shortfall is left to a
    later round.
    """
    member_org = seats.org[members.seat]
    vacancies = np.bincount(roles.org, minlength=len(orgs))
    requirements: list[list[BoardRequirement]] = [[] for _ in range(len(orgs))]
    gaps: list[Gap] = []
    for org in range(len(orgs)):
        board_skills = members.skills[member_org == org]
        open_seats = int(vacancies[org])
        for skill, level, min_members in BOARD_SKILLS_MATRIX:
            short = min_members - int((board_skills[:, SKILL_INDEX[skill]] >= level).sum())
            if short > 1 or (short == 1 and open_seats == 0):
                continue
            requirements[org].append(
                BoardRequirement(skill=skill, level=level, min_members=min_members)
            )
            if short == 1:
                gaps.append(Gap(org, SKILL_INDEX[skill], level))
                open_seats -= 1
    return requirements, gaps


def eligible(orgs: OrganisationTable, roles: RoleTable, candidates: CandidateTable) -> BoolArray:
    """Candidates x roles: who may take which seat (H2-H8; no package supports relocation)."""
    supply = local_supply(roles, orgs, candidates)
    return np.column_stack(
        [local_eligible(role, roles, candidates, supply) for role in range(len(roles))]
    )


def stack(first: Table, second: Table) -> Table:
    """The rows of two tables of one dataclass (nested tables too), first then second."""
    values: dict[str, Any] = {}
    for field in fields(first):
        head, tail = getattr(first, field.name), getattr(second, field.name)
        values[field.name] = (
            stack(head, tail) if is_dataclass(head) else np.concatenate([head, tail])
        )
    return type(first)(**values)


def take(table: Table, rows: IntArray) -> Table:
    """The given rows of a table of one dataclass (nested tables too), in that order."""
    values: dict[str, Any] = {}
    for field in fields(table):
        column = getattr(table, field.name)
        values[field.name] = take(column, rows) if is_dataclass(column) else column[rows]
    return type(table)(**values)


def searched_for(
    rng: np.random.Generator,
    orgs: OrganisationTable,
    region: str,
    roles: RoleTable,
    role: int,
    gap: Gap | None,
) -> CandidateTable:
    """A candidate the campaign for one seat finds: a specialist in the seat's post who lives near
    its board, holds its required skills (and the gap's, if any), is cleared to sit on it, and
    commutes that far."""
    org = int(roles.org[role])
    home = draw_homes(rng, orgs.lat[[org]], orgs.lon[[org]])
    chair = np.array([roles.kind[role] is RoleKind.CHAIR])
    found = draw_neds(rng, orgs, region, home, roles.post[[role]], chair)
    floor = roles.required[role].copy()
    if gap is not None:
        floor[gap.skill] = max(floor[gap.skill], gap.level)
    distance = haversine_km(home[0], home[1], orgs.lat[org], orgs.lon[org])
    reach = np.ceil(distance / COMMUTE_STEP_KM) * COMMUTE_STEP_KM
    return replace(
        found,
        skills=np.maximum(found.skills, floor),
        current_org=np.full(1, NO_ORGANISATION, dtype=np.int64),
        conflict=np.full(1, NO_ORGANISATION, dtype=np.int64),
        fit_and_proper=np.ones(1, dtype=bool),
        max_commute_km=np.maximum(found.max_commute_km, reach),
    )


def _closers(
    orgs: OrganisationTable,
    roles: RoleTable,
    candidates: CandidateTable,
    gap: Gap,
    open_seats: BoolArray,
) -> BoolArray:
    """Candidates x roles: who could close the gap, in which still open seat of its board."""
    seats = open_seats & (roles.org == gap.org)
    holds = candidates.skills[:, gap.skill] >= gap.level
    return eligible(orgs, roles, candidates) & holds[:, None] & seats[None, :]


def cover_gaps(
    rng: np.random.Generator,
    orgs: OrganisationTable,
    region: str,
    roles: RoleTable,
    candidates: CandidateTable,
    gaps: Sequence[Gap],
) -> CandidateTable:
    """Search until each gap has MIN_CLOSERS candidates able to close it and all can close at once.

    Gap by gap, a candidate with a place to spare is set aside in an open seat of the gap's
    board; those placements together meet every requirement, so the round is feasible.
    """
    open_seats = np.ones(len(roles), dtype=bool)
    set_aside = np.zeros(len(candidates), dtype=np.int64)
    for gap in gaps:
        while True:
            closers = _closers(orgs, roles, candidates, gap, open_seats)
            spare = candidates.max_roles - candidates.current_roles - set_aside > 0
            usable = closers & spare[:, None]
            if closers.any(axis=1).sum() >= MIN_CLOSERS and usable.any():
                break
            seat = int(np.flatnonzero(open_seats & (roles.org == gap.org))[0])
            candidates = stack(candidates, searched_for(rng, orgs, region, roles, seat, gap))
            set_aside = np.append(set_aside, 0)
        candidate, seat = np.argwhere(usable)[0]
        set_aside[candidate] += 1
        open_seats[seat] = False
    return candidates


def fill_shortlists(
    rng: np.random.Generator,
    orgs: OrganisationTable,
    region: str,
    roles: RoleTable,
    candidates: CandidateTable,
) -> CandidateTable:
    """Search until every seat has MIN_SHORTLIST candidates who may take it."""
    for role in range(len(roles)):
        while eligible(orgs, roles, candidates)[:, role].sum() < MIN_SHORTLIST:
            candidates = stack(candidates, searched_for(rng, orgs, region, roles, role, None))
    return candidates


def _candidate_records(candidates: CandidateTable, orgs: OrganisationTable) -> list[Candidate]:
    """Candidate records, each in the region they live in (some across the border)."""
    regions = home_regions(candidates.lat, candidates.lon)
    return [
        record.model_copy(update={"region": name})
        for record, name in zip(candidate_records(candidates, orgs), regions, strict=True)
    ]


def generate_board_round(
    seed: int = 0, region: str | None = None, boards: int = DEFAULT_BOARDS
) -> Problem:
    """A NED board round; the same (seed, region, boards) gives the same problem.

    Args:
        seed: Seed of numpy's default_rng, also the policy's solver seed (>= 0).
        region: NHS England region name (nhs_data.load_regions); None draws one.
        boards: Boards in the round, drawn from the region's trusts and ICBs.

    Returns:
        The validated Problem: NED and chair seats only, no packages (NED posts carry none),
        the lawful tie-break diversity mode and every H13 requirement feasible.

    Raises:
        ValueError: Unknown region, more boards than the region has, or a negative seed.
    """
    rng = np.random.default_rng(seed)
    name = round_region(rng, region)
    everyone = build_organisations(rng, [name], None)
    orgs = choose_boards(rng, everyone, boards)
    seats = build_seats(rng, orgs)
    vacant = choose_vacant_seats(rng, seats, boards)
    members = draw_board_members(rng, seats, vacant, orgs)
    roles = committee_seats(board_roles(rng, seats, vacant, orgs))
    requirements, gaps = skills_matrix(orgs, seats, members, roles)
    pool = draw_pool(rng, everyone, orgs, name, round(CANDIDATES_PER_SEAT * len(roles)))
    pool = cover_gaps(rng, orgs, name, roles, pool, gaps)
    pool = fill_shortlists(rng, orgs, name, roles, pool)
    pool = take(pool, rng.permutation(len(pool)))
    return Problem(
        organisations=organisation_records(orgs, seats, members, requirements),
        roles=role_records(roles, orgs, np.zeros(len(roles), dtype=bool)),
        candidates=_candidate_records(pool, orgs),
        policy=Policy(diversity_mode=DiversityMode.TIE_BREAK, time_limit_s=TIME_LIMIT_S, seed=seed),
    )


def main(argv: list[str] | None = None) -> None:
    """Write a generated board round as JSON to a file or stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--region", choices=[known.name for known in load_regions()])
    parser.add_argument("--boards", type=int, default=DEFAULT_BOARDS)
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    write_problem_json(generate_board_round(args.seed, args.region, args.boards), args.output)


if __name__ == "__main__":
    main()
