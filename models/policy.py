"""Policy: budget, objective weights, diversity targets and solver settings."""

from enum import StrEnum
from typing import Literal

from pydantic import Field, NonNegativeFloat, NonNegativeInt, PositiveFloat, PositiveInt

from models.common import Attribute, Record, Share


class DiversityMode(StrEnum):
    """How diversity enters the optimisation (see DESIGN.md, Diversity and the law)."""

    TIE_BREAK = "tie_break"
    TARGETS = "targets"


class Weights(Record):
    """Objective weights; 0 switches a term off."""

    fit: NonNegativeFloat = Field(default=1.0, description="Per point of fit score (0..100).")
    challenged: NonNegativeFloat = Field(
        default=20.0, description="Bonus per role filled at a challenged organisation."
    )
    difficult_to_recruit: NonNegativeFloat = Field(
        default=20.0, description="Bonus per difficult-to-recruit role filled."
    )
    diversity: NonNegativeFloat = Field(
        default=10.0,
        description=(
            "Per person of soft-target shortfall (targets mode; whole points, at least 1 when on); "
            "0 also turns off the tie-break stage."
        ),
    )
    cost: NonNegativeFloat = Field(default=1.0, description="Per £1,000 of package cost.")
    relocation: NonNegativeFloat = Field(default=5.0, description="Per relocation.")
    distance: NonNegativeFloat = Field(default=0.1, description="Per km from home to the role.")


class DiversityTarget(Record):
    """A minimum share of placements with an attribute within each scope unit (H12 when hard)."""

    attribute: Attribute = Field(description="female, ethnic_minority or disabled.")
    min_share: Share = Field(description="Minimum share 0..1 of placements with the attribute.")
    scope: Literal["all", "region", "board"] = Field(
        default="all", description="Unit: all placements, per region, or per board."
    )
    hard: bool = Field(default=False, description="Enforce as rule H12 rather than a penalty.")


class Policy(Record):
    """What the round optimises and under which limits."""

    budget: NonNegativeInt | None = Field(
        default=None, description="Total package spend allowed, pounds; absent = unlimited (H9)."
    )
    weights: Weights = Field(default_factory=Weights, description="Objective weights.")
    diversity_targets: list[DiversityTarget] = Field(
        default_factory=list, description="Diversity targets (act only in targets mode)."
    )
    diversity_mode: DiversityMode = Field(
        default=DiversityMode.TIE_BREAK, description="tie_break (default, lawful) or targets."
    )
    merit_tolerance: NonNegativeFloat = Field(
        default=0.0,
        le=1.0,
        description="Tie-break stage keeps merit within this fraction of its optimum.",
    )
    max_drawn_per_organisation: PositiveInt | None = Field(
        default=None, description="H11: most placed candidates from one current organisation."
    )
    disclosure_threshold: PositiveInt = Field(
        default=5, description="Aggregates with smaller counts are suppressed."
    )
    scored_pairs_only: bool = Field(
        default=False, description="Pairs without a scores entry are ineligible."
    )
    time_limit_s: PositiveFloat = Field(
        default=30.0, allow_inf_nan=False, description="Solver time limit, seconds."
    )
    workers: PositiveInt = Field(default=2, description="Solver worker threads.")
    seed: NonNegativeInt = Field(default=0, description="Solver random seed.")
