"""Explanations of a Solution: why each placement, why each empty role, who else, what-ifs.

Objective changes are measured against the solution explained, on the merit objective (the
diversity tie-break stage is not re-run), and come from exact re-solves: `proven` says the
re-solve reached optimality within its time limit.
"""

from pydantic import Field

from models.common import CandidateId, PackageId, RoleId
from models.solution import Conflict, Output, Placement, SolveStatus


class Change(Output):
    """A role whose placement differs from the solution explained."""

    role_id: RoleId = Field(description="The role.")
    before: CandidateId | None = Field(description="Candidate in the solution (None: empty).")
    after: CandidateId | None = Field(description="Candidate in the alternative (None: empty).")


class Alternative(Output):
    """One candidate in one role, and the best placement of everyone else around it."""

    candidate_id: CandidateId = Field(description="The candidate in the role.")
    role_id: RoleId = Field(description="The role.")
    package_id: PackageId = Field(description="Their package.")
    score: float = Field(description="Fit score of the pair.")
    value: float = Field(description="The pair's own contribution to the objective.")
    objective: float = Field(description="Objective of the best placement with this pair.")
    objective_change: float = Field(
        description="objective minus the explained solution's objective (negative: a loss)."
    )
    changes: list[Change] = Field(description="Other roles whose placement changes.")
    proven: bool = Field(description="The re-solve proved this the best placement with the pair.")


class PlacementExplanation(Output):
    """Why a candidate holds a role: the score breakdown and the runner-up."""

    placement: Placement = Field(description="The placement, with its score breakdown.")
    runner_up: Alternative | None = Field(
        description="The best other candidate for the role, with the role kept filled."
    )
    reason: str = Field(description="A readable summary with numbers.")


class UnfilledExplanation(Output):
    """Why a role is empty, with numbers, and what filling it would take."""

    role_id: RoleId = Field(description="The role.")
    code: str = Field(
        description="no_eligible_candidate | not_worth_filling | budget | outcompeted | constraints"
    )
    reason: str = Field(description="A readable reason with numbers.")
    eligible: int = Field(description="Candidates eligible for the role.")
    excluded: dict[str, int] = Field(
        description="Candidates each eligibility rule (H3-H10) excluded from the role."
    )
    best_fill: Alternative | None = Field(
        description="The best placement with this role filled (None: it cannot be)."
    )


class CandidateExplanation(Output):
    """Where a candidate was placed, or why nowhere."""

    candidate_id: CandidateId = Field(description="The candidate.")
    placements: list[PlacementExplanation] = Field(description="Their placements.")
    eligible_roles: int = Field(description="Roles they are eligible for.")
    excluded: dict[str, int] = Field(
        description="Roles each eligibility rule (H3-H10) excluded them from."
    )
    best_other: Alternative | None = Field(
        description="Their best role other than their placements, re-solved around it."
    )
    reason: str = Field(description="A readable summary with numbers.")


class Relaxation(Output):
    """One way to make an infeasible problem feasible, and the placement it then allows."""

    rule: str = Field(description="Rule relaxed, H1..H13.")
    records: list[str] = Field(description="Records whose rule instance is relaxed.")
    suggestion: str = Field(description="What to change, with the numbers.")
    status: SolveStatus = Field(description="Outcome of the problem with this change alone.")
    objective: float | None = Field(description="Objective of the nearest feasible placement.")
    filled: int | None = Field(description="Roles it fills.")
    placements: list[Placement] = Field(description="The nearest feasible placement.")


class ConflictExplanation(Output):
    """A conflict in an infeasible problem with the relaxations that resolve it."""

    conflict: Conflict = Field(description="Rule instance that cannot hold with the others.")
    relaxations: list[Relaxation] = Field(description="Changes that resolve it, best first.")
    note: str = Field(default="", description="Why no relaxation is suggested, when none is.")


class Explanation(Output):
    """Answers about one solution of one problem."""

    status: SolveStatus = Field(description="Status of the solution explained.")
    objective: float | None = Field(description="Objective of the solution explained.")
    placements: list[PlacementExplanation] = Field(default_factory=list)
    unfilled: list[UnfilledExplanation] = Field(default_factory=list)
    candidates: list[CandidateExplanation] = Field(default_factory=list)
    conflicts: list[ConflictExplanation] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list, description="Things the reader should know.")


class Recommendation(Output):
    """The best candidates for one role, each pinned there and everyone else re-placed."""

    role_id: RoleId = Field(description="The role.")
    objective: float | None = Field(description="Objective of the solution compared against.")
    candidates: list[Alternative] = Field(description="Best first.")
    eligible: int = Field(description="Candidates eligible for the role.")
    notices: list[str] = Field(default_factory=list, description="Things the reader should know.")
