"""Jobs: submit a problem, follow its progress, fetch its solution, cancel it."""

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from sqlalchemy import select

from api import audit
from api.auth import require
from api.errors import ApiError
from api.keys import Caller
from api.routes.common import RETRY_AFTER_S, ProblemBody, capped_time_limit, errors
from api.schemas import JobPage, JobView
from api.store import IdempotencyConflict
from api.tables import Job
from api.views import job_view, solution_for
from models.solution import Solution

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])

Submitter = Annotated[Caller, Depends(require("submit"))]
Reader = Annotated[Caller, Depends(require("read"))]


def _own_job(request: Request, caller: Caller, job_id: str) -> Job:
    job = request.app.state.store.get(caller.tenant, job_id)
    if job is None:
        raise ApiError(404, "not_found", f"no job '{job_id}'")
    return job


def _seen_before(request: Request, caller: Caller, idempotency_key: str | None) -> bool:
    """A repeat of an earlier submission is answered even when the queue is full; a new
    problem under a new Idempotency-Key is not (the key is no way round the limit)."""
    if idempotency_key is None:
        return False
    mine = (Job.tenant == caller.tenant) & (Job.idempotency_key == idempotency_key)
    query = select(Job.id).where(mine)
    with request.app.state.store.sessions() as session:
        return session.scalar(query) is not None


@router.post(
    "",
    status_code=202,
    summary="Submit a problem to be solved in the background; poll the job for its answer.",
    responses=errors(409, 413, 429),
)
def submit_job(
    request: Request,
    response: Response,
    problem: ProblemBody,
    caller: Submitter,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Repeat a request safely: the same key, same job."),
    ] = None,
) -> JobView:
    settings, store = request.app.state.settings, request.app.state.store
    body = problem.model_dump_json()
    request_hash = hashlib.sha256(body.encode()).hexdigest()
    full = store.queued_count(caller.tenant) >= settings.queue_depth
    if full and not _seen_before(request, caller, idempotency_key):
        audit.record(store, caller, "submit", "queue_full")
        raise ApiError(
            429,
            "too_many_requests",
            f"{settings.queue_depth} jobs are already queued for this tenant; retry later",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    try:
        job, created = store.submit(
            tenant=caller.tenant,
            key_id=caller.key_id,
            problem=body,
            request_hash=request_hash,
            time_limit_s=capped_time_limit(problem, settings.job_time_limit_s),
            idempotency_key=idempotency_key,
        )
    except IdempotencyConflict as conflict:
        audit.record(store, caller, "submit", "idempotency_conflict", str(conflict))
        raise ApiError(
            409, "conflict", "this Idempotency-Key was used before for a different problem"
        ) from None
    audit.record(store, caller, "submit", "created" if created else "replayed", job.id)
    if created and request.app.state.runner is not None:
        request.app.state.runner.wake()
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return job_view(job)


@router.get(
    "", summary="List the caller's jobs, newest first, a page at a time.", responses=errors()
)
def list_jobs(
    request: Request,
    caller: Reader,
    limit: Annotated[int, Query(ge=1, le=100, description="Page size.")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="Jobs to skip.")] = 0,
) -> JobPage:
    jobs, total = request.app.state.store.page(caller.tenant, limit, offset)
    following = offset + len(jobs)
    return JobPage(
        items=[job_view(j) for j in jobs],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=following if following < total else None,
    )


@router.get(
    "/{job_id}",
    summary="A job's status and progress (incumbent objective, bound, gap, elapsed).",
    responses=errors(404),
)
def get_job(request: Request, job_id: str, caller: Reader) -> JobView:
    # Status polls carry no personal data and come many times a second: not audited.
    return job_view(_own_job(request, caller, job_id))


@router.get(
    "/{job_id}/solution",
    summary="The solution of a finished job (409 while it is not done).",
    response_model=Solution,
    responses=errors(404, 409),
)
def get_solution(request: Request, job_id: str, caller: Reader) -> Response:
    job = _own_job(request, caller, job_id)
    store = request.app.state.store
    if job.status != "succeeded" or job.solution is None:
        audit.record(store, caller, "read_solution", f"not_ready:{job.status}", job.id)
        why = f": {job.error}" if job.error else ""
        raise ApiError(409, "conflict", f"job '{job.id}' is {job.status}{why}")
    audit.record(store, caller, "read_solution", "ok", job.id)
    return Response(solution_for(caller, job.solution), media_type="application/json")


@router.delete(
    "/{job_id}",
    status_code=202,
    summary="Cancel a job: a queued one at once, a running one as soon as its solver stops.",
    responses=errors(404, 409),
)
def cancel_job(request: Request, job_id: str, caller: Submitter) -> JobView:
    store = request.app.state.store
    _own_job(request, caller, job_id)
    job = store.cancel(caller.tenant, job_id)
    if job is None:
        raise ApiError(404, "not_found", f"no job '{job_id}'")
    if job.status in ("succeeded", "failed"):
        audit.record(store, caller, "cancel", f"already_{job.status}", job.id)
        raise ApiError(409, "conflict", f"job '{job.id}' already {job.status}")
    outcome = "cancelled" if job.status == "cancelled" else "requested"
    audit.record(store, caller, "cancel", outcome, job.id)
    return job_view(job)
