"""Incentive packages, which roles may use them, the budget and the diversity targets."""

import numpy as np

from models.common import RoleKind
from models.package import NO_PACKAGE_ID, Package
from models.policy import DiversityTarget
from scenarios.synth_organisations import OrganisationTable
from scenarios.synth_roles import RoleTable
from scenarios.synth_supply import LocalSupply
from scenarios.workforce import REGION_ETHNIC_MINORITY

#: FACTS §4: £8,000 is the HMRC tax-free limit for removal expenses (many trusts cap there).
RELOCATION_COST = 8_000
#: FACTS §4: the national trainee relocation framework raised its cap to £10,000.
RELOCATION_PLUS_COST = 10_000
#: FACTS §4: VSM framework temporary premium for poorly performing organisations (reported up
#: to 15%); about £12,000-£15,000 on a VSM salary, drawn per problem in £500 steps.
PREMIUM_COST_RANGE = (12_000, 15_000)
PREMIUM_COST_STEP = 500
#: Brief: the budget covers 30-50% of what relocating everyone who needs it would cost. The
#: estimate (roles beyond their local supply, each at its cheapest relocation package) finds
#: about half the relocations that the unconstrained optimum makes, so 0.8 x estimate is
#: typically 35-65% of the optimum's package spend (checked with the engine's min-cost flow on
#: pure xs-xl problems; above 100% only where the optimum relocates one or two people).
BUDGET_SHARE_OF_ESTIMATE = 0.8
#: At least one relocation is affordable, so the package choice (H5, H9) stays a real one.
MIN_BUDGET = RELOCATION_COST
BUDGET_ROUNDING = 1_000
#: FACTS §1: "NHS Women on Boards: 50:50 by 2020", the board-level female target.
BOARD_FEMALE_TARGET = 0.5
#: A hard female floor on all placements, well below every pool's female share (0.45-0.65).
HARD_FEMALE_FLOOR = 0.3
TARGET_DECIMALS = 2

RELOCATION_ID = "relocation"
RELOCATION_PLUS_ID = "relocation_plus"
PREMIUM_ID = "premium"


def draw_premium_cost(rng: np.random.Generator) -> int:
    """The premium package's cost for this problem."""
    low, high = PREMIUM_COST_RANGE
    return int(rng.integers(low // PREMIUM_COST_STEP, high // PREMIUM_COST_STEP + 1)) * (
        PREMIUM_COST_STEP
    )


def packages(premium_cost: int) -> list[Package]:
    """No package, two relocation packages and the premium for challenged organisations."""
    return [
        Package(id=NO_PACKAGE_ID, name="No package", cost=0),
        Package(
            id=RELOCATION_ID,
            name="Relocation support (HMRC tax-free limit)",
            cost=RELOCATION_COST,
            relocation_support=True,
        ),
        Package(
            id=RELOCATION_PLUS_ID,
            name="Relocation support (national framework cap)",
            cost=RELOCATION_PLUS_COST,
            relocation_support=True,
        ),
        Package(
            id=PREMIUM_ID,
            name="Recruitment premium with relocation (challenged organisations)",
            cost=premium_cost,
            relocation_support=True,
            challenged_only=True,
        ),
    ]


def allowed_packages(kind: RoleKind, challenged: bool) -> list[str] | None:
    """Packages a role may use: trust relocation policy for managers, the VSM packages for
    executives (the premium at challenged organisations), any package for board seats."""
    if kind == RoleKind.MANAGER:
        return [NO_PACKAGE_ID, RELOCATION_ID]
    if kind == RoleKind.EXECUTIVE:
        return [NO_PACKAGE_ID, PREMIUM_ID if challenged else RELOCATION_PLUS_ID]
    return None


def _cheapest_relocation(kind: RoleKind, challenged: bool, premium_cost: int) -> int:
    """Cost of the cheapest package that lets the role be filled by relocation."""
    if kind == RoleKind.EXECUTIVE:
        return premium_cost if challenged else RELOCATION_PLUS_COST
    return RELOCATION_COST


def budget(
    roles: RoleTable, orgs: OrganisationTable, supply: LocalSupply, premium_cost: int
) -> int:
    """A binding budget: a share of the cost of relocating into every role that needs it."""
    challenged = orgs.challenged[roles.org]
    need = sum(
        _cheapest_relocation(roles.kind[r], bool(challenged[r]), premium_cost)
        for r in np.flatnonzero(supply.needs_relocation)
    )
    rounded = int(round(BUDGET_SHARE_OF_ESTIMATE * need / BUDGET_ROUNDING)) * BUDGET_ROUNDING
    return max(MIN_BUDGET, rounded)


def diversity_targets(orgs: OrganisationTable) -> list[DiversityTarget]:
    """Soft board and regional targets, and one modest hard target that stays feasible."""
    community = np.mean([REGION_ETHNIC_MINORITY[ref.region] for ref in orgs.refs])
    return [
        DiversityTarget(attribute="female", min_share=BOARD_FEMALE_TARGET, scope="board"),
        DiversityTarget(
            attribute="ethnic_minority",
            min_share=round(float(community), TARGET_DECIMALS),
            scope="region",
        ),
        DiversityTarget(attribute="female", min_share=HARD_FEMALE_FLOOR, scope="all", hard=True),
    ]
