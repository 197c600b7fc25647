"""The candidate pool: managers (8a-9), executives (VSM) and NEDs living near the organisations."""

from dataclasses import dataclass

import numpy as np

from matching.geo import haversine_km
from models.common import RoleKind
from scenarios.draws import (
    BoolArray,
    DemographicDraws,
    FloatArray,
    IntArray,
    draw_demographics,
    draw_skill_levels,
    offset_points,
)
from scenarios.synth_organisations import POST_SKILL_MEANS, OrganisationTable
from scenarios.synth_roles import NO_BAND, PRIMARY_MASK, SECONDARY_MASK, RoleTable
from scenarios.workforce import (
    BAND_9_RANK,
    BOARD_DISABLED,
    CHAIR_POST,
    EXECUTIVE_POOL_ETHNIC_MINORITY,
    EXECUTIVE_POSTS,
    MANAGER_BAND_SHARES,
    MANAGER_DISABLED,
    MANAGER_ETHNIC_MINORITY,
    MANAGER_FEMALE,
    MANAGER_FUNCTIONS,
    MANAGER_OTHER_MEAN,
    MANAGER_PRIMARY_MEAN,
    MANAGER_PRIMARY_STEP,
    MANAGER_SECONDARY_MEAN,
    MANAGER_SECONDARY_STEP,
    NED_POOL_ETHNIC_MINORITY,
    NED_POOL_FEMALE,
    NED_POSTS,
    POST_INDEX,
    RURAL_TALENT_FACTOR,
    VSM_RANK,
    region_factor,
)

#: Candidate pools; a candidate's pool fixes the kinds, band and skills profile they can have.
MANAGER_POOL, EXECUTIVE_POOL, NED_POOL = 0, 1, 2
#: Column order of CandidateTable.kinds.
KIND_ORDER: tuple[RoleKind, ...] = (
    RoleKind.EXECUTIVE,
    RoleKind.NED,
    RoleKind.CHAIR,
    RoleKind.MANAGER,
)
KIND_COLUMN: dict[RoleKind, int] = {kind: i for i, kind in enumerate(KIND_ORDER)}
NO_ORGANISATION = -1

#: [assumption] Candidates per vacancy in the executive and NED pools (the rest are managers):
#: a regional talent pool holds a few ready candidates per board vacancy, no more.
BOARD_CANDIDATES_PER_ROLE = 2.5
#: [assumption] Home lies a lognormal distance (median 12 km) from an organisation, 2-40 km.
HOME_DISTANCE_MEDIAN_KM = 12.0
HOME_DISTANCE_SIGMA = 0.7
HOME_DISTANCE_RANGE_KM = (2.0, 40.0)
#: [assumption] Share of the NED pool ready to chair a board.
CHAIR_READY_SHARE = 0.25
#: Brief: 40-60% hold the management standards accreditation.
ACCREDITED_SHARE = 0.5
#: [assumption] Fit and proper person test passed: most of the board pools, half of managers.
BOARD_POOL_FIT_AND_PROPER = 0.9
MANAGER_FIT_AND_PROPER = 0.5
#: [assumption] Managers and executives currently employed at the organisation they live near.
EMPLOYED_SHARE = 0.9
#: A NED may sit on at most two boards; [assumption] 40% of the pool already sit on one.
NED_MAX_ROLES = 2
SITTING_NED_SHARE = 0.4
#: [assumption] Longest accepted commute, uniform in this range, in steps of 5 km.
COMMUTE_RANGE_KM = (30, 90)
COMMUTE_STEP_KM = 5
#: [assumption] Share willing to relocate for a role beyond their commute.
WILLING_TO_RELOCATE_SHARE = 0.3
#: [assumption] Share of the NED pool with a declared conflict at a nearby organisation.
NED_CONFLICT_SHARE = 0.05


@dataclass(frozen=True)
class CandidateTable:
    """The candidate pool as arrays, one entry per candidate.

    Attributes:
        pool: MANAGER_POOL, EXECUTIVE_POOL or NED_POOL.
        kinds: Kinds they may take, columns in KIND_ORDER.
        anchor: Index of the organisation they live near.
        lat: Home latitude.
        lon: Home longitude.
        current_org: Current organisation index, or NO_ORGANISATION.
        band_rank: Band rank, or NO_BAND (NED pool).
        skills: Skill levels, one row per candidate in SKILLS order.
        accredited: Holds the management standards accreditation.
        fit_and_proper: Passed the fit and proper person test.
        max_roles: Most roles they may hold.
        current_roles: Roles already held.
        max_commute_km: Longest accepted commute.
        willing_to_relocate: Would relocate beyond the commute.
        conflict: Organisation index with a conflict of interest, or NO_ORGANISATION.
        demographics: Coded demographics.
    """

    pool: IntArray
    kinds: BoolArray
    anchor: IntArray
    lat: FloatArray
    lon: FloatArray
    current_org: IntArray
    band_rank: IntArray
    skills: IntArray
    accredited: BoolArray
    fit_and_proper: BoolArray
    max_roles: IntArray
    current_roles: IntArray
    max_commute_km: FloatArray
    willing_to_relocate: BoolArray
    conflict: IntArray
    demographics: DemographicDraws

    def __len__(self) -> int:
        return len(self.pool)


def pool_sizes(total: int, roles: RoleTable) -> tuple[int, int, int]:
    """Managers, executives and NEDs: a few board candidates per board vacancy, then managers."""
    executive_roles = sum(kind == RoleKind.EXECUTIVE for kind in roles.kind)
    ned_roles = sum(kind in (RoleKind.NED, RoleKind.CHAIR) for kind in roles.kind)
    executives = round(BOARD_CANDIDATES_PER_ROLE * executive_roles)
    neds = round(BOARD_CANDIDATES_PER_ROLE * ned_roles)
    return total - executives - neds, executives, neds


def _homes(
    rng: np.random.Generator, orgs: OrganisationTable, count: int
) -> tuple[IntArray, FloatArray, FloatArray]:
    """The organisation each candidate lives near (larger ones more often) and their home."""
    weight = orgs.size_weight * np.where(orgs.rural_or_coastal, RURAL_TALENT_FACTOR, 1.0)
    anchor = rng.choice(len(orgs), size=count, p=weight / weight.sum())
    low, high = HOME_DISTANCE_RANGE_KM
    distance = np.clip(
        rng.lognormal(np.log(HOME_DISTANCE_MEDIAN_KM), HOME_DISTANCE_SIGMA, size=count), low, high
    )
    lat, lon = offset_points(rng, orgs.lat[anchor], orgs.lon[anchor], distance)
    return anchor, lat, lon


def _manager_skill_means(rng: np.random.Generator, count: int) -> tuple[FloatArray, IntArray]:
    """Skill means of managers by function, rising with band; and their band ranks."""
    function = rng.choice(
        len(MANAGER_FUNCTIONS), size=count, p=[f.share for f in MANAGER_FUNCTIONS]
    )
    band_rank = rng.choice(len(MANAGER_BAND_SHARES), size=count, p=MANAGER_BAND_SHARES)
    step = band_rank[:, None].astype(np.float64)
    means = np.where(
        PRIMARY_MASK[function],
        MANAGER_PRIMARY_MEAN + MANAGER_PRIMARY_STEP * step,
        np.where(
            SECONDARY_MASK[function],
            MANAGER_SECONDARY_MEAN + MANAGER_SECONDARY_STEP * step,
            MANAGER_OTHER_MEAN,
        ),
    )
    return means, band_rank.astype(np.int64)


def _executive_profiles(rng: np.random.Generator, count: int) -> tuple[FloatArray, FloatArray]:
    """Skill means and female share of executives, by the board post they trained for."""
    posts = rng.choice(len(EXECUTIVE_POSTS), size=count)
    indices = np.array([POST_INDEX[EXECUTIVE_POSTS[p].key] for p in posts], dtype=np.int64)
    female = np.array([EXECUTIVE_POSTS[p].female for p in posts])
    return POST_SKILL_MEANS[indices], female


def _ned_profiles(rng: np.random.Generator, count: int) -> tuple[FloatArray, BoolArray]:
    """Skill means of NEDs by specialism; chair-ready NEDs also have a chair's skills."""
    posts = rng.choice(len(NED_POSTS), size=count)
    indices = np.array([POST_INDEX[NED_POSTS[p].key] for p in posts], dtype=np.int64)
    chair_ready = rng.random(count) < CHAIR_READY_SHARE
    means = POST_SKILL_MEANS[indices]
    chair_means = POST_SKILL_MEANS[POST_INDEX[CHAIR_POST.key]]
    return np.where(chair_ready[:, None], np.maximum(means, chair_means), means), chair_ready


@dataclass(frozen=True)
class _Profiles:
    """What a candidate's pool decides: kinds, band, skill means and the shares to draw with."""

    kinds: BoolArray
    band_rank: IntArray
    skill_means: FloatArray
    female: FloatArray
    ethnic_minority: FloatArray
    disabled: FloatArray


def _profiles(rng: np.random.Generator, pool: IntArray) -> _Profiles:
    """Kinds, band, skill means and demographic shares (national) for every candidate."""
    count = len(pool)
    kinds = np.zeros((count, len(KIND_ORDER)), dtype=bool)
    band_rank = np.full(count, NO_BAND, dtype=np.int64)
    means = np.zeros((count, POST_SKILL_MEANS.shape[1]))
    female = np.full(count, MANAGER_FEMALE)
    ethnic_minority = np.full(count, MANAGER_ETHNIC_MINORITY)
    disabled = np.full(count, BOARD_DISABLED)

    managers = np.flatnonzero(pool == MANAGER_POOL)
    means[managers], band_rank[managers] = _manager_skill_means(rng, len(managers))
    kinds[managers, KIND_COLUMN[RoleKind.MANAGER]] = True
    kinds[managers, KIND_COLUMN[RoleKind.EXECUTIVE]] = band_rank[managers] >= BAND_9_RANK
    disabled[managers] = MANAGER_DISABLED

    executives = np.flatnonzero(pool == EXECUTIVE_POOL)
    means[executives], female[executives] = _executive_profiles(rng, len(executives))
    band_rank[executives] = VSM_RANK
    kinds[executives, KIND_COLUMN[RoleKind.EXECUTIVE]] = True
    ethnic_minority[executives] = EXECUTIVE_POOL_ETHNIC_MINORITY

    neds = np.flatnonzero(pool == NED_POOL)
    means[neds], chair_ready = _ned_profiles(rng, len(neds))
    kinds[neds, KIND_COLUMN[RoleKind.NED]] = True
    kinds[neds, KIND_COLUMN[RoleKind.CHAIR]] = chair_ready
    female[neds] = NED_POOL_FEMALE
    ethnic_minority[neds] = NED_POOL_ETHNIC_MINORITY
    return _Profiles(kinds, band_rank, means, female, ethnic_minority, disabled)


def _nearest_other_organisation(orgs: OrganisationTable) -> IntArray:
    """For each organisation, the index of the nearest other one (itself if it is alone)."""
    distance = np.array(
        [
            haversine_km(orgs.lat, orgs.lon, float(lat), float(lon))
            for lat, lon in zip(orgs.lat, orgs.lon, strict=True)
        ]
    )
    if len(orgs) > 1:
        np.fill_diagonal(distance, np.inf)
    return np.argmin(distance, axis=1).astype(np.int64)


def _affiliations(
    rng: np.random.Generator, pool: IntArray, anchor: IntArray, orgs: OrganisationTable
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Current organisation, max and current roles, and conflicts.

    Managers and executives mostly work where they live; a sitting NED's current organisation is
    the board they sit on; a few NEDs have a conflict at a nearby organisation.
    """
    count = len(pool)
    is_ned = pool == NED_POOL
    sitting = is_ned & (rng.random(count) < SITTING_NED_SHARE)
    employed = ~is_ned & (rng.random(count) < EMPLOYED_SHARE)
    current_org = np.where(employed | sitting, anchor, NO_ORGANISATION)
    max_roles = np.where(is_ned, NED_MAX_ROLES, 1)
    current_roles = sitting.astype(np.int64)
    conflicted = is_ned & (rng.random(count) < NED_CONFLICT_SHARE)
    nearby = np.where(sitting, _nearest_other_organisation(orgs)[anchor], anchor)
    conflict = np.where(conflicted, nearby, NO_ORGANISATION)
    return current_org, max_roles, current_roles, conflict


def _regional(shares: FloatArray, anchor: IntArray, orgs: OrganisationTable) -> FloatArray:
    """National ethnic-minority shares scaled to each candidate's region."""
    factor = np.array([region_factor(ref.region) for ref in orgs.refs])
    return np.minimum(1.0, shares * factor[anchor])


def draw_candidates(
    rng: np.random.Generator, orgs: OrganisationTable, roles: RoleTable, total: int
) -> CandidateTable:
    """The candidate pool of a problem, in random order."""
    sizes = pool_sizes(total, roles)
    pool = rng.permutation(np.repeat([MANAGER_POOL, EXECUTIVE_POOL, NED_POOL], sizes))
    anchor, lat, lon = _homes(rng, orgs, total)
    profiles = _profiles(rng, pool)
    current_org, max_roles, current_roles, conflict = _affiliations(rng, pool, anchor, orgs)
    low, high = COMMUTE_RANGE_KM
    commute_steps = rng.integers(low // COMMUTE_STEP_KM, high // COMMUTE_STEP_KM + 1, size=total)
    fit_and_proper_share = np.where(
        pool == MANAGER_POOL, MANAGER_FIT_AND_PROPER, BOARD_POOL_FIT_AND_PROPER
    )
    return CandidateTable(
        pool=pool,
        kinds=profiles.kinds,
        anchor=anchor,
        lat=lat,
        lon=lon,
        current_org=current_org,
        band_rank=profiles.band_rank,
        skills=draw_skill_levels(rng, profiles.skill_means),
        accredited=rng.random(total) < ACCREDITED_SHARE,
        fit_and_proper=rng.random(total) < fit_and_proper_share,
        max_roles=max_roles,
        current_roles=current_roles,
        max_commute_km=(commute_steps * COMMUTE_STEP_KM).astype(np.float64),
        willing_to_relocate=rng.random(total) < WILLING_TO_RELOCATE_SHARE,
        conflict=conflict,
        demographics=draw_demographics(
            rng,
            profiles.female,
            _regional(profiles.ethnic_minority, anchor, orgs),
            profiles.disabled,
        ),
    )
