"""Synchronous solves, for small problems: the answer in the response."""

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from api import audit
from api.auth import require
from api.errors import ApiError
from api.keys import Caller
from api.routes.common import RETRY_AFTER_S, ProblemBody, capped_time_limit, errors
from api.runner import run_solve
from api.solver_process import SolveRequest
from api.views import solution_for
from models.solution import Solution

router = APIRouter(prefix="/v1", tags=["solve"])

#: How long a sync request waits for a free solver before 429.
SLOT_WAIT_S = 2.0


@router.post(
    "/solve",
    summary="Solve a small problem and return its solution in the response.",
    response_model=Solution,
    responses=errors(413, 429),
)
def solve_now(
    request: Request, problem: ProblemBody, caller: Annotated[Caller, Depends(require("submit"))]
) -> Response:
    settings, store = request.app.state.settings, request.app.state.store
    pairs = len(problem.candidates) * len(problem.roles)
    if pairs > settings.sync_max_pairs:
        audit.record(store, caller, "solve", "too_large")
        raise ApiError(
            413,
            "too_large",
            f"{len(problem.candidates)} candidates x {len(problem.roles)} roles is over the "
            f"synchronous limit of {settings.sync_max_pairs} pairs: submit it to POST /v1/jobs",
        )
    slot = request.app.state.pool.acquire(SLOT_WAIT_S)
    if slot is None:
        audit.record(store, caller, "solve", "busy")
        raise ApiError(
            429,
            "too_many_requests",
            "every solver is busy; retry later or submit to POST /v1/jobs",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    started = time.monotonic()
    try:
        limit = capped_time_limit(problem, settings.sync_time_limit_s)
        outcome = run_solve(
            slot, SolveRequest(problem.model_dump_json(), limit, settings.solver_threads)
        )
    finally:
        request.app.state.pool.release(slot)
    request.app.state.metrics.solve_seconds.labels("sync").observe(time.monotonic() - started)
    if outcome.solution is None:
        audit.record(store, caller, "solve", "failed")
        raise ApiError(500, "internal", f"the solve failed: {outcome.error}")
    audit.record(store, caller, "solve", outcome.status or "solved")
    return Response(solution_for(caller, outcome.solution), media_type="application/json")
