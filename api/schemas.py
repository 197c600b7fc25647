"""Transport records of the API, kept apart from the domain Problem and Solution."""

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matching.recommend import DEFAULT_TOP
from models.common import CandidateId, RoleId
from models.problem import Problem
from models.solution import Solution

#: Most candidates one recommendation may rank.
MAX_TOP = 50


class ErrorDetail(BaseModel):
    """One problem with the request: where and what."""

    path: str = Field(description="Where: e.g. body.candidates[C17].home.lat.")
    message: str = Field(description="What is wrong.")


class ErrorInfo(BaseModel):
    """The error itself."""

    code: str = Field(description="Stable machine-readable code, e.g. invalid, not_found.")
    message: str = Field(description="Readable message.")
    details: list[ErrorDetail] = Field(description="Per-field problems, if any.")


class ErrorResponse(BaseModel):
    """The shape of every 4xx and 5xx response."""

    error: ErrorInfo


class JobProgressView(BaseModel):
    """How far a running solve has got."""

    stage: str | None = Field(description="What the solver is doing.")
    objective: float | None = Field(description="Objective of the best placement so far.")
    bound: float | None = Field(description="Best proven bound on the objective.")
    gap: float | None = Field(description="Relative gap between objective and bound.")
    elapsed_s: float | None = Field(description="Seconds since the solve started.")


class JobView(BaseModel):
    """A job's state."""

    id: str = Field(description="Job id.")
    status: str = Field(description="queued | running | succeeded | failed | cancelled.")
    created_at: datetime = Field(description="When it was submitted (UTC).")
    started_at: datetime | None = Field(description="When a solve first started.")
    finished_at: datetime | None = Field(description="When it reached its end state.")
    attempts: int = Field(description="Solves started (more than one after a restart).")
    cancel_requested: bool = Field(description="Cancellation asked while running.")
    progress: JobProgressView = Field(description="Progress of the solve.")
    solution_status: str | None = Field(description="Status of the solution, once there is one.")
    error: str | None = Field(description="Why the job failed, if it did.")


class JobPage(BaseModel):
    """A page of the caller's jobs, newest first."""

    items: list[JobView] = Field(description="The jobs on this page.")
    total: int = Field(description="All the caller's jobs.")
    limit: int = Field(description="Page size.")
    offset: int = Field(description="Jobs skipped.")
    next_offset: int | None = Field(description="Offset of the next page, if any.")


class Finding(BaseModel):
    """A data-quality warning."""

    path: str = Field(description="The record concerned, e.g. roles[R17].")
    code: str = Field(description="Stable code, e.g. role_without_candidates.")
    message: str = Field(description="What and how many.")


class ValidationReport(BaseModel):
    """Errors that stop a problem being solved, and warnings worth a look first."""

    valid: bool = Field(description="No errors: the problem can be submitted.")
    errors: list[ErrorDetail] = Field(description="Validation errors naming record and field.")
    warnings: list[Finding] = Field(description="Data-quality findings of a valid problem.")


class Health(BaseModel):
    """Liveness or readiness."""

    status: str = Field(description="ok, or what is wrong.")
    checks: dict[str, bool] = Field(default_factory=dict, description="Each check's result.")


def _unknown(kind: str, field: str, asked: list[str], known: set[str]) -> list[str]:
    return [f"{field}: unknown {kind} '{i}'" for i in dict.fromkeys(asked) if i not in known]


class ExplainBody(BaseModel):
    """A solution of a problem, and what to explain about it."""

    model_config = ConfigDict(extra="forbid")

    problem: Problem = Field(description="The problem.")
    solution: Solution = Field(
        description="A solution of it, as `POST /v1/solve` returns it. An infeasible one's "
        "conflicts are diagnosed again from the problem."
    )
    role_ids: list[RoleId] = Field(
        default_factory=list,
        description="Roles to explain. With no roles and no candidates: every placement and "
        "every empty role.",
    )
    candidate_ids: list[CandidateId] = Field(
        default_factory=list, description="Candidates to explain."
    )

    @model_validator(mode="after")
    def validate_ids_are_in_the_problem(self) -> Self:
        """Every role and candidate asked about is one of the problem's."""
        unknown = _unknown(
            "role", "role_ids", self.role_ids, {r.id for r in self.problem.roles}
        ) + _unknown(
            "candidate",
            "candidate_ids",
            self.candidate_ids,
            {c.id for c in self.problem.candidates},
        )
        if unknown:
            raise ValueError("\n".join(unknown))
        return self


class RecommendBody(BaseModel):
    """A problem, the role to recommend candidates for, and what to compare with."""

    model_config = ConfigDict(extra="forbid")

    problem: Problem = Field(description="The problem.")
    role_id: RoleId = Field(description="The role.")
    top: int = Field(default=DEFAULT_TOP, ge=1, le=MAX_TOP, description="How many candidates.")
    solution: Solution | None = Field(
        default=None,
        description="The solution to compare with (default: the problem is solved first).",
    )

    @model_validator(mode="after")
    def validate_role_is_in_the_problem(self) -> Self:
        """The role is one of the problem's."""
        unknown = _unknown("role", "role_id", [self.role_id], {r.id for r in self.problem.roles})
        if unknown:
            raise ValueError(unknown[0])
        return self
