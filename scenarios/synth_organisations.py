"""Organisations and their boards: real trusts and ICBs with drawn segments and board seats."""

import math
from dataclasses import dataclass

import numpy as np

from matching.geo import haversine_km
from models.common import OrganisationType
from scenarios.draws import (
    BoolArray,
    DemographicDraws,
    FloatArray,
    IntArray,
    draw_demographics,
    draw_skill_levels,
    skill_means_matrix,
)
from scenarios.nhs_data import ReferenceOrganisation, load_regions, organisations_in
from scenarios.workforce import (
    BOARD_DISABLED,
    BOARD_POSTS,
    BOARD_SKILL_MEAN,
    CHAIR_POST,
    CORE_NED_POSTS,
    EXECUTIVE_POSTS,
    ICB_EXECUTIVE_KEYS,
    ICB_NED_SEATS,
    NED_POSTS,
    POST_INDEX,
    RECOVERY_SUPPORT_SHARE,
    RURAL_DISTANCE_KM,
    SEGMENT_VACANCY_RATE,
    TRUST_NED_SEATS,
    TYPE_SIZE_WEIGHT,
    URBAN_CENTRES,
    regional_share,
)

RECOVERY_SEGMENT = 4
ORDINARY_SEGMENTS = 3

POST_SKILL_MEANS = skill_means_matrix([post.skill_means for post in BOARD_POSTS], BOARD_SKILL_MEAN)


@dataclass(frozen=True)
class OrganisationTable:
    """The organisations of one problem with their drawn oversight segment.

    Attributes:
        refs: The real trusts and ICBs, in ODS-code order (trusts first).
        lat: Latitudes.
        lon: Longitudes.
        segment: NHS Oversight Framework segment 1..4.
        rural_or_coastal: Far from every large urban centre.
    """

    refs: tuple[ReferenceOrganisation, ...]
    lat: FloatArray
    lon: FloatArray
    segment: IntArray
    rural_or_coastal: BoolArray

    def __len__(self) -> int:
        return len(self.refs)

    @property
    def challenged(self) -> BoolArray:
        """Segment 4 (recovery support), the default meaning of challenged."""
        return self.segment == RECOVERY_SEGMENT

    @property
    def size_weight(self) -> FloatArray:
        """Relative size of each organisation, for spreading posts and people."""
        return np.array([TYPE_SIZE_WEIGHT[ref.type] for ref in self.refs])

    @property
    def vacancy_rate(self) -> FloatArray:
        """Vacancy rate of each organisation's posts, by its segment."""
        return np.array([SEGMENT_VACANCY_RATE[int(s)] for s in self.segment])


def choose_regions(rng: np.random.Generator, count: int) -> list[str]:
    """Names of `count` NHS regions drawn from the seven (all seven when count is 7)."""
    regions = load_regions()
    chosen = rng.choice(len(regions), size=count, replace=False)
    return [regions[i].name for i in sorted(chosen)]


def choose_organisations(
    rng: np.random.Generator, regions: list[str], cap: int | None
) -> tuple[ReferenceOrganisation, ...]:
    """All trusts and ICBs of the regions; for tiny problems, a random one and its `cap - 1`
    nearest neighbours (one local health economy, so candidates can reach several of them)."""
    orgs = organisations_in(set(regions))
    if cap is None or cap >= len(orgs):
        return orgs
    centre = orgs[int(rng.integers(len(orgs)))]
    lat = np.array([org.lat for org in orgs])
    lon = np.array([org.lon for org in orgs])
    nearest = np.argsort(haversine_km(lat, lon, centre.lat, centre.lon), kind="stable")[:cap]
    return tuple(orgs[i] for i in sorted(nearest))


def draw_segments(rng: np.random.Generator, count: int) -> IntArray:
    """Segments by rank of a drawn score: the worst ~10% in 4, the rest in equal thirds 1..3.

    This mirrors NOF 2025/26 (rank by metric score into roughly equal segments) with the
    recovery support share of FACTS §3, and makes at least one organisation challenged.
    """
    rank = np.argsort(np.argsort(rng.random(count)))
    in_recovery = math.ceil(RECOVERY_SUPPORT_SHARE * count)
    ordinary = count - in_recovery
    segment = 1 + rank * ORDINARY_SEGMENTS // max(ordinary, 1)
    return np.where(rank >= ordinary, RECOVERY_SEGMENT, segment).astype(np.int64)


def rural_or_coastal(lat: FloatArray, lon: FloatArray) -> BoolArray:
    """Far (> RURAL_DISTANCE_KM) from every large urban centre: rural, or a coastal town."""
    nearest = np.full(len(lat), np.inf)
    for centre_lat, centre_lon in URBAN_CENTRES:
        nearest = np.minimum(nearest, haversine_km(lat, lon, centre_lat, centre_lon))
    return nearest > RURAL_DISTANCE_KM


def build_organisations(
    rng: np.random.Generator, regions: list[str], cap: int | None
) -> OrganisationTable:
    """The problem's organisations with segment and rural/coastal flag."""
    refs = choose_organisations(rng, regions, cap)
    lat = np.array([ref.lat for ref in refs])
    lon = np.array([ref.lon for ref in refs])
    return OrganisationTable(
        refs=refs,
        lat=lat,
        lon=lon,
        segment=draw_segments(rng, len(refs)),
        rural_or_coastal=rural_or_coastal(lat, lon),
    )


@dataclass(frozen=True)
class SeatTable:
    """Every board seat of every organisation.

    Attributes:
        org: Index of the seat's organisation.
        post: Index of the seat's post in BOARD_POSTS.
    """

    org: IntArray
    post: IntArray

    def __len__(self) -> int:
        return len(self.org)


def _board_posts(rng: np.random.Generator, ref: ReferenceOrganisation) -> list[int]:
    """Post indices of one board: chair, executives, and NEDs led by the core specialisms."""
    is_icb = ref.type is OrganisationType.ICB
    executives = [
        POST_INDEX[post.key]
        for post in EXECUTIVE_POSTS
        if not is_icb or post.key in ICB_EXECUTIVE_KEYS
    ]
    low, high = TRUST_NED_SEATS
    ned_count = ICB_NED_SEATS if is_icb else int(rng.integers(low, high + 1))
    optional = rng.permutation(len(NED_POSTS) - CORE_NED_POSTS) + CORE_NED_POSTS
    specialisms = [*range(CORE_NED_POSTS), *optional][:ned_count]
    neds = [POST_INDEX[NED_POSTS[int(i)].key] for i in specialisms]
    return [POST_INDEX[CHAIR_POST.key], *executives, *neds]


def build_seats(rng: np.random.Generator, orgs: OrganisationTable) -> SeatTable:
    """The board template of each organisation (FACTS §2: chair, 5-7 NEDs, the executives)."""
    org_index: list[int] = []
    posts: list[int] = []
    for i, ref in enumerate(orgs.refs):
        board = _board_posts(rng, ref)
        org_index.extend([i] * len(board))
        posts.extend(board)
    return SeatTable(org=np.array(org_index), post=np.array(posts))


def choose_vacant_seats(
    rng: np.random.Generator, seats: SeatTable, orgs: OrganisationTable, count: int
) -> BoolArray:
    """Pick `count` vacant seats, more likely in weak segments and in hard-to-fill posts."""
    post_weight = np.array([BOARD_POSTS[p].vacancy_weight for p in seats.post])
    weight = orgs.vacancy_rate[seats.org] * post_weight
    chosen = rng.choice(
        len(seats), size=min(count, len(seats)), replace=False, p=weight / weight.sum()
    )
    vacant = np.zeros(len(seats), dtype=bool)
    vacant[chosen] = True
    return vacant


@dataclass(frozen=True)
class BoardMembers:
    """Existing members (the filled seats) with their skills and demographics.

    Attributes:
        seat: Index of each member's seat.
        skills: Skill levels, one row per member in SKILLS order.
        demographics: Their coded demographics.
    """

    seat: IntArray
    skills: IntArray
    demographics: DemographicDraws


def draw_board_members(
    rng: np.random.Generator, seats: SeatTable, vacant: BoolArray, orgs: OrganisationTable
) -> BoardMembers:
    """Holders of the filled seats, drawn near the FACTS §1 figures for their post and region."""
    filled = np.flatnonzero(~vacant)
    posts = [BOARD_POSTS[p] for p in seats.post[filled]]
    orgs_of = seats.org[filled]
    female = np.array([post.female for post in posts])
    ethnic_minority = np.array(
        [
            regional_share(post.ethnic_minority, orgs.refs[org].region)
            for post, org in zip(posts, orgs_of, strict=True)
        ]
    )
    disabled = np.full(len(filled), BOARD_DISABLED)
    return BoardMembers(
        seat=filled,
        skills=draw_skill_levels(rng, POST_SKILL_MEANS[seats.post[filled]]),
        demographics=draw_demographics(rng, female, ethnic_minority, disabled),
    )
