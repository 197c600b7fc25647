"""The Solution: placements, unfilled roles with reasons, KPIs and solver statistics."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from models.common import CandidateId, PackageId, RoleId


class SolveStatus(StrEnum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIMEOUT_NO_SOLUTION = "timeout_no_solution"
    INVALID = "invalid"

    @property
    def is_ok(self) -> bool:
        """A usable placement was found."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


class Output(BaseModel):
    """Base of output records: unknown fields are an error when read back."""

    model_config = ConfigDict(extra="forbid")


class Placement(Output):
    """One candidate placed in one role with one package."""

    candidate_id: CandidateId = Field(description="The candidate placed.")
    role_id: RoleId = Field(description="The role filled.")
    package_id: PackageId = Field(description="The package offered ('none' if implied).")
    score: float = Field(description="Fit score of the pair (built-in or the scores override).")
    breakdown: dict[str, float] = Field(
        description="Fit components and each objective term of this placement."
    )
    relocation: bool = Field(description="Beyond the candidate's commute limit (H5).")
    distance_km: float = Field(description="Great-circle distance from home to the organisation.")


class Unfilled(Output):
    """A role left empty, and why."""

    role_id: RoleId = Field(description="The role.")
    code: str = Field(
        description="no_eligible_candidate | not_worth_filling | budget | outcompeted | constraints"
    )
    reason: str = Field(description="A readable reason with numbers.")


class Conflict(Output):
    """A rule instance that, with the others listed, cannot hold."""

    rule: str = Field(description="Rule id, H1..H13.")
    records: list[str] = Field(description="Ids of the records involved.")
    message: str = Field(description="What cannot hold.")


class TieBreak(Output):
    """An audit record of one decision the diversity tie-break stage changed."""

    role_id: RoleId = Field(description="The role.")
    chosen_candidate_id: CandidateId | None = Field(description="Candidate placed after stage 2.")
    merit_candidate_id: CandidateId | None = Field(
        description="Candidate merit alone placed (stage 1)."
    )
    attribute: str = Field(description="Attribute the change improved representation of.")
    chosen_merit: float = Field(description="Merit contribution of the chosen candidate.")
    merit_choice_merit: float = Field(description="Merit contribution of the stage-1 choice.")


class Representation(Output):
    """Share of placed people with an attribute in one scope unit, suppressed below threshold."""

    attribute: str = Field(description="female, ethnic_minority or disabled.")
    scope: str = Field(description="all, region or board.")
    unit: str = Field(description="'all', the region, or the organisation id.")
    placed: int | None = Field(description="Placements counted; None when suppressed.")
    with_attribute: int | None = Field(
        description="Of which with the attribute; None if suppressed."
    )
    share: float | None = Field(description="with_attribute / placed; None when suppressed.")
    pool_share: float | None = Field(description="Share in the eligible pool; None if suppressed.")
    community_share: float | None = Field(description="Share in the community served, if known.")
    suppressed: bool = Field(description="True when counts fall below the disclosure threshold.")


class Kpis(Output):
    """Headline measures of a placement round."""

    roles: int = Field(description="Roles in the problem.")
    filled: int = Field(description="Roles filled.")
    fill_rate: float = Field(description="Filled / roles.")
    fill_rate_challenged: float | None = Field(description="Fill rate at challenged organisations.")
    fill_rate_difficult: float | None = Field(
        description="Fill rate of difficult-to-recruit roles."
    )
    spend: int = Field(description="Package spend, pounds.")
    budget: int | None = Field(description="Budget, pounds; None = unlimited.")
    relocations: int = Field(description="Placements that need relocation.")
    mean_fit: float | None = Field(description="Mean fit score of placements.")
    mean_distance_km: float | None = Field(description="Mean home-to-role distance.")
    representation: list[Representation] = Field(description="Suppressed aggregates.")
    drawn_per_organisation: dict[str, int] = Field(
        description="Placed candidates by current organisation."
    )


class SolverStats(Output):
    """How the answer was found."""

    backend: str = Field(description="flow, cpsat or pulp.")
    status: SolveStatus = Field(description="Status reported by the backend.")
    objective: float | None = Field(description="Objective of the returned placements.")
    bound: float | None = Field(description="Best proven upper bound on the objective.")
    gap: float | None = Field(description="Relative gap between objective and bound.")
    wall_time_s: float = Field(description="Wall time of the whole solve, seconds.")
    workers: int = Field(description="Solver worker threads.")
    version: str = Field(description="Solver library version.")
    eligible_pairs: int = Field(description="Candidate-role pairs left after eligibility.")
    stages: list[str] = Field(default_factory=list, description="What ran, in order.")


class Solution(Output):
    """The answer to a Problem."""

    status: SolveStatus = Field(description="Outcome.")
    objective: float | None = Field(default=None, description="Objective value.")
    bound: float | None = Field(default=None, description="Best proven bound.")
    gap: float | None = Field(default=None, description="Relative optimality gap.")
    placements: list[Placement] = Field(default_factory=list, description="Who goes where.")
    unfilled: list[Unfilled] = Field(default_factory=list, description="Empty roles with reasons.")
    kpis: Kpis | None = Field(default=None, description="Headline measures.")
    solver: SolverStats | None = Field(default=None, description="Solver statistics.")
    conflicts: list[Conflict] = Field(
        default_factory=list, description="When infeasible: rules that cannot hold together."
    )
    tie_breaks: list[TieBreak] = Field(
        default_factory=list, description="Audit of positive-action tie-breaks (restricted)."
    )
    notices: list[str] = Field(default_factory=list, description="Things the reader should know.")
