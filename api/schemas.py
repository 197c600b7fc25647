"""Transport records of the API, kept apart from the domain Problem and Solution."""

from datetime import datetime

from pydantic import BaseModel, Field


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
