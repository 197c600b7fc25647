"""Published workforce figures and the post profiles the generator draws from.

Figures cite `scenarios/data/FACTS.md` (section and row); values marked [assumption] are not in
FACTS and were chosen to be plausible. Skill profiles are [assumption] throughout: no national
skills data exist, so each post has a mean level per skill that a drawn person scatters around.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from models.common import OrganisationType, RoleKind

#: The skill vocabulary of roles, candidates and board members (levels 0..5).
SKILLS: tuple[str, ...] = (
    "finance",
    "clinical",
    "operations",
    "governance",
    "digital",
    "workforce",
    "strategy",
    "quality",
    "estates",
    "audit",
    "legal",
    "community_engagement",
)
SKILL_INDEX: dict[str, int] = {skill: i for i, skill in enumerate(SKILLS)}

# --- Demographics ----------------------------------------------------------------------------

#: FACTS §5: ethnic minority share of the population served, by NHS region (derived row).
REGION_ETHNIC_MINORITY: dict[str, float] = {
    "London": 0.46,
    "Midlands": 0.19,
    "North East and Yorkshire": 0.12,
    "North West": 0.14,
    "East of England": 0.135,
    "South East": 0.135,
    "South West": 0.07,
}
#: FACTS §5: England ~19.0%, the reference for scaling workforce shares by region.
ENGLAND_ETHNIC_MINORITY = 0.19
#: FACTS "How to use" 2: London exec BME ~0.19 and South West ~0.06 from a national 0.11 fit
#: (region share / England share) ** 0.6 [derived].
REGION_SCALING_EXPONENT = 0.6
#: [assumption] Census 2021: women ~51% and disabled (Equality Act) ~18% of the population.
COMMUNITY_FEMALE = 0.51
COMMUNITY_DISABLED = 0.18

#: FACTS "How to use" 1: manager pool (8a-9) female ~0.65 [uncertain].
MANAGER_FEMALE = 0.65
#: FACTS "How to use" 2: 8a+ pool BME 0.13-0.155 (midpoint).
MANAGER_ETHNIC_MINORITY = 0.145
#: FACTS §1: disability declared in ESR, all staff, 4.9% (2023).
MANAGER_DISABLED = 0.049
#: FACTS §1: BME at VSM level 12.7% (2024), for the executive candidate pool.
EXECUTIVE_POOL_ETHNIC_MINORITY = 0.127
#: FACTS §1: women 44.7% of trust board roles (2020); the NED talent pool is drawn near it.
NED_POOL_FEMALE = 0.45
#: FACTS §1: BME 16.5% of all board voting members (2024), for the NED talent pool.
NED_POOL_ETHNIC_MINORITY = 0.165
#: FACTS §1: disabled board members 5.7% (2023); used for boards and board-level pools.
BOARD_DISABLED = 0.057
#: FACTS "How to use" 2: executive directors BME 0.11, NEDs 0.10, chairs 0.05.
EXECUTIVE_ETHNIC_MINORITY = 0.11
NED_ETHNIC_MINORITY = 0.10
CHAIR_ETHNIC_MINORITY = 0.05
#: FACTS "How to use" 3: about 8-10% of records are "unknown" for an attribute.
UNKNOWN_SHARE = 0.08


def region_factor(region: str) -> float:
    """Factor that scales a national workforce ethnic-minority share to a region (FACTS)."""
    return float(
        (REGION_ETHNIC_MINORITY[region] / ENGLAND_ETHNIC_MINORITY) ** REGION_SCALING_EXPONENT
    )


def regional_share(national_share: float, region: str) -> float:
    """A national workforce ethnic-minority share scaled to a region."""
    return min(1.0, national_share * region_factor(region))


# --- Organisations and boards ----------------------------------------------------------------

#: FACTS §3: 20 providers + 3 ICBs in the Recovery Support Programme, ~10% (segment 4).
RECOVERY_SUPPORT_SHARE = 0.10
#: FACTS "How to use" 5: exec post vacancy ~3% in segment 1, ~14% in segment 4, 8% baseline
#: (segments 2 and 3 interpolated).
SEGMENT_VACANCY_RATE: dict[int, float] = {1: 0.03, 2: 0.06, 3: 0.10, 4: 0.14}
#: FACTS §3: 8% of executive posts vacant; applied to every board seat.
BOARD_VACANCY_RATE = 0.08
#: FACTS §2: a trust board has a chair and 5-7 NEDs; the ICB minimum of 2 NEDs is [uncertain].
TRUST_NED_SEATS = (5, 7)
ICB_NED_SEATS = 3
#: [assumption] Relative size (staff, hence vacancies and candidates) by organisation type.
TYPE_SIZE_WEIGHT: dict[OrganisationType, float] = {
    OrganisationType.ACUTE: 1.5,
    OrganisationType.MENTAL_HEALTH: 1.0,
    OrganisationType.COMMUNITY: 0.8,
    OrganisationType.AMBULANCE: 0.8,
    OrganisationType.ICB: 0.6,
    OrganisationType.OTHER: 1.0,
}
#: [assumption] Urban centres (ONS built-up areas, most over ~200k people) with lat/lon; a trust
#: more than RURAL_DISTANCE_KM from all of them is flagged rural or coastal (~26% of trusts).
URBAN_CENTRES: tuple[tuple[float, float], ...] = (
    (51.507, -0.128),  # London
    (52.486, -1.890),  # Birmingham
    (53.481, -2.243),  # Manchester
    (53.800, -1.549),  # Leeds
    (53.408, -2.992),  # Liverpool
    (54.978, -1.618),  # Newcastle
    (53.381, -1.470),  # Sheffield
    (51.455, -2.588),  # Bristol
    (52.954, -1.158),  # Nottingham
    (52.637, -1.140),  # Leicester
    (52.407, -1.512),  # Coventry
    (53.795, -1.759),  # Bradford
    (53.003, -2.180),  # Stoke-on-Trent
    (52.922, -1.476),  # Derby
    (50.910, -1.404),  # Southampton
    (50.805, -1.087),  # Portsmouth
    (51.454, -0.973),  # Reading
    (50.822, -0.137),  # Brighton
    (52.041, -0.759),  # Milton Keynes
    (50.376, -4.143),  # Plymouth
    (53.745, -0.336),  # Hull
    (52.205, 0.122),  # Cambridge
    (51.752, -1.258),  # Oxford
)
RURAL_DISTANCE_KM = 35.0
#: [assumption] Candidates live near a rural or coastal organisation half as often as near
#: another of its size: FACTS §3 (CMO 2021) finds 7-15% fewer staff per patient on the coast,
#: and NHS Providers 2024 that candidates are reluctant to move area.
RURAL_TALENT_FACTOR = 0.5


@dataclass(frozen=True)
class BoardPost:
    """A board seat: its title, typical skills, what a vacancy requires and who holds it.

    Attributes:
        key: Short name.
        title: Job title of the seat.
        kind: Role kind of a vacancy in this seat.
        skill_means: Mean skill level of a holder; skills not named default to BOARD_SKILL_MEAN.
        required: Skill -> (lowest, highest) minimum level a vacancy may require.
        female: Share of holders who are women.
        ethnic_minority: National share of holders from an ethnic minority.
        vacancy_weight: Relative chance that this seat is vacant.
    """

    key: str
    title: str
    kind: RoleKind
    skill_means: Mapping[str, float]
    required: Mapping[str, tuple[int, int]]
    female: float
    ethnic_minority: float
    vacancy_weight: float = 1.0


#: [assumption] Mean level of a board member's skills outside their specialism.
BOARD_SKILL_MEAN = 1.5
#: FACTS "How to use" 5: COO, CFO, strategy and nursing posts are vacant more often.
HARD_POST_VACANCY_WEIGHT = 1.5
#: FACTS §1 (Sealy 2020): women among board members, 44.7%, for posts with no own figure.
BOARD_FEMALE = 0.447
#: FACTS "How to use" 1: women are 41% of NEDs and 37% of chairs.
NED_FEMALE = 0.41
CHAIR_FEMALE = 0.37
#: [assumption] Every NED brings board governance experience, whatever their specialism.
NED_GOVERNANCE_MEAN = 3.2

# Female shares: FACTS "How to use" 1 (CEO 0.46, CFO 0.25, MD 0.29, chief nurse 0.85, COO 0.53,
# HR 0.63).
EXECUTIVE_POSTS: tuple[BoardPost, ...] = (
    BoardPost(
        key="chief_executive",
        title="Chief Executive",
        kind=RoleKind.EXECUTIVE,
        skill_means={
            "strategy": 4.3,
            "governance": 3.8,
            "operations": 3.8,
            "quality": 3.2,
            "finance": 3.0,
            "workforce": 3.0,
            "community_engagement": 3.0,
        },
        required={"strategy": (3, 4), "governance": (3, 3), "operations": (3, 3)},
        female=0.46,
        ethnic_minority=EXECUTIVE_ETHNIC_MINORITY,
    ),
    BoardPost(
        key="finance_director",
        title="Chief Financial Officer",
        kind=RoleKind.EXECUTIVE,
        skill_means={
            "finance": 4.5,
            "audit": 3.8,
            "governance": 3.5,
            "strategy": 3.0,
            "estates": 2.5,
        },
        required={"finance": (3, 4), "audit": (3, 3)},
        female=0.25,
        ethnic_minority=EXECUTIVE_ETHNIC_MINORITY,
        vacancy_weight=HARD_POST_VACANCY_WEIGHT,
    ),
    BoardPost(
        key="operations_director",
        title="Chief Operating Officer",
        kind=RoleKind.EXECUTIVE,
        skill_means={
            "operations": 4.4,
            "quality": 3.2,
            "workforce": 3.0,
            "strategy": 2.8,
            "digital": 2.6,
            "estates": 2.6,
        },
        required={"operations": (3, 4), "quality": (3, 3)},
        female=0.53,
        ethnic_minority=EXECUTIVE_ETHNIC_MINORITY,
        vacancy_weight=HARD_POST_VACANCY_WEIGHT,
    ),
    BoardPost(
        key="chief_nurse",
        title="Chief Nurse",
        kind=RoleKind.EXECUTIVE,
        skill_means={"clinical": 4.5, "quality": 4.2, "workforce": 3.2, "governance": 3.0},
        required={"clinical": (4, 4), "quality": (3, 3)},
        female=0.85,
        ethnic_minority=EXECUTIVE_ETHNIC_MINORITY,
        vacancy_weight=HARD_POST_VACANCY_WEIGHT,
    ),
    BoardPost(
        key="medical_director",
        title="Medical Director",
        kind=RoleKind.EXECUTIVE,
        skill_means={
            "clinical": 4.7,
            "quality": 3.8,
            "governance": 3.0,
            "strategy": 2.8,
            "digital": 2.5,
        },
        required={"clinical": (4, 4), "quality": (2, 3)},
        female=0.29,
        ethnic_minority=EXECUTIVE_ETHNIC_MINORITY,
    ),
    BoardPost(
        key="people_director",
        title="Director of People",
        kind=RoleKind.EXECUTIVE,
        skill_means={
            "workforce": 4.4,
            "governance": 3.2,
            "legal": 3.0,
            "community_engagement": 3.0,
        },
        required={"workforce": (3, 4), "governance": (3, 3)},
        female=0.63,
        ethnic_minority=EXECUTIVE_ETHNIC_MINORITY,
    ),
    BoardPost(
        key="strategy_director",
        title="Director of Strategy",
        kind=RoleKind.EXECUTIVE,
        skill_means={
            "strategy": 4.4,
            "digital": 3.0,
            "community_engagement": 3.0,
            "estates": 2.8,
            "finance": 2.8,
        },
        required={"strategy": (3, 4), "digital": (2, 3)},
        female=BOARD_FEMALE,
        ethnic_minority=EXECUTIVE_ETHNIC_MINORITY,
        vacancy_weight=HARD_POST_VACANCY_WEIGHT,
    ),
)
#: [assumption] ICB boards have fewer executives: no people or strategy director on the board.
ICB_EXECUTIVE_KEYS = frozenset(
    {
        "chief_executive",
        "finance_director",
        "operations_director",
        "chief_nurse",
        "medical_director",
    }
)

#: NED seats by specialism; the first two are filled first on every board (audit and clinical
#: committee chairs), the rest drawn at random.
NED_POSTS: tuple[BoardPost, ...] = tuple(
    BoardPost(
        key=f"ned_{key}",
        title=f"Non-executive Director ({label})",
        kind=RoleKind.NED,
        skill_means={**means, "governance": max(means.get("governance", 0.0), NED_GOVERNANCE_MEAN)},
        required={specialism: (3, 3), "governance": (2, 3)},
        female=NED_FEMALE,
        ethnic_minority=NED_ETHNIC_MINORITY,
    )
    for key, label, specialism, means in (
        ("audit", "Audit", "audit", {"audit": 4.2, "finance": 4.2, "governance": 3.8}),
        ("clinical", "Clinical", "clinical", {"clinical": 4.2, "quality": 3.8}),
        ("digital", "Digital", "digital", {"digital": 4.3, "strategy": 3.2}),
        ("legal", "Legal", "legal", {"legal": 4.2, "governance": 4.0}),
        ("people", "People", "workforce", {"workforce": 4.0, "community_engagement": 3.2}),
        (
            "community",
            "Community",
            "community_engagement",
            {"community_engagement": 4.3, "strategy": 2.8},
        ),
        ("commercial", "Commercial", "strategy", {"strategy": 4.0, "finance": 3.5, "estates": 3.0}),
    )
)
#: How many NED specialisms every board fills first (audit, clinical).
CORE_NED_POSTS = 2

CHAIR_POST = BoardPost(
    key="chair",
    title="Chair",
    kind=RoleKind.CHAIR,
    skill_means={"governance": 4.5, "strategy": 4.2, "community_engagement": 3.5, "finance": 3.0},
    required={"governance": (4, 4), "strategy": (3, 3)},
    female=CHAIR_FEMALE,
    ethnic_minority=CHAIR_ETHNIC_MINORITY,
)

#: Every board post; a seat refers to its post by index into this tuple.
BOARD_POSTS: tuple[BoardPost, ...] = (*EXECUTIVE_POSTS, *NED_POSTS, CHAIR_POST)
POST_INDEX: dict[str, int] = {post.key: i for i, post in enumerate(BOARD_POSTS)}

#: FACTS "How to use" 5: COO, CFO and nursing posts are hard to fill (nursing stays vacant
#: longest); a vacancy in one is difficult to recruit wherever it is.
DIFFICULT_POSTS = frozenset({"finance_director", "operations_director", "chief_nurse"})

# --- Manager posts (bands 8a-9) --------------------------------------------------------------


@dataclass(frozen=True)
class ManagerFunction:
    """A management function: the skills it needs most and next, and its share of posts."""

    key: str
    name: str
    primary: tuple[str, ...]
    secondary: tuple[str, ...]
    share: float


#: [assumption] Functions of 8a-9 manager posts and of the manager pool, with their shares.
MANAGER_FUNCTIONS: tuple[ManagerFunction, ...] = (
    ManagerFunction("operations", "Operations", ("operations",), ("quality", "workforce"), 0.20),
    ManagerFunction("finance", "Finance", ("finance",), ("audit", "strategy"), 0.13),
    ManagerFunction(
        "quality", "Quality and Safety", ("quality", "clinical"), ("governance", "workforce"), 0.15
    ),
    ManagerFunction("workforce", "People", ("workforce",), ("legal", "community_engagement"), 0.12),
    ManagerFunction("digital", "Digital", ("digital",), ("operations", "strategy"), 0.12),
    ManagerFunction(
        "estates", "Estates and Facilities", ("estates",), ("finance", "operations"), 0.08
    ),
    ManagerFunction(
        "strategy",
        "Strategy and Planning",
        ("strategy",),
        ("finance", "community_engagement"),
        0.10,
    ),
    ManagerFunction(
        "governance", "Corporate Governance", ("governance",), ("legal", "audit"), 0.10
    ),
)

#: [assumption] Shares of bands 8a..9 (by rank) among manager posts and among managers: the
#: senior posts are a larger share of vacancies than of people, so they are scarcer.
MANAGER_POST_BAND_SHARES: tuple[float, ...] = (0.30, 0.25, 0.20, 0.13, 0.12)
MANAGER_BAND_SHARES: tuple[float, ...] = (0.40, 0.27, 0.17, 0.10, 0.06)
#: Rank of band 9 and of VSM (models.common.BAND_RANKS).
BAND_9_RANK = 4
VSM_RANK = 5
#: [assumption] Minimum level of a manager post's primary skills, and of one of its secondary
#: skills, by band rank 8a..9.
MANAGER_PRIMARY_REQUIRED: tuple[int, ...] = (3, 3, 4, 4, 4)
MANAGER_SECONDARY_REQUIRED: tuple[int, ...] = (2, 2, 3, 3, 3)
#: [assumption] Mean skill level of a manager: primary and secondary skills rise with band.
MANAGER_PRIMARY_MEAN = 3.0
MANAGER_PRIMARY_STEP = 0.3
MANAGER_SECONDARY_MEAN = 2.0
MANAGER_SECONDARY_STEP = 0.2
MANAGER_OTHER_MEAN = 0.8

#: [assumption] Spread of a person's skill level around their post's mean.
SKILL_SD = 0.8
#: [assumption] A post's skills with at least this mean (and not required) are desired skills.
DESIRED_SKILL_MIN_MEAN = 2.5
#: [assumption] Weights of desired skills in the built-in fit score.
DESIRED_WEIGHTS: tuple[float, ...] = (1.0, 2.0, 3.0)


def manager_title(function: ManagerFunction, band_rank: int) -> str:
    """Job title of a manager post: manager at 8a, head of at 8b-8c, deputy director above."""
    if band_rank == 0:
        return f"{function.name} Manager"
    if band_rank <= 2:
        return f"Head of {function.name}"
    return f"Deputy Director of {function.name}"
