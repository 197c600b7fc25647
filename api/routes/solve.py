"""Synchronous solves, for small problems: the answer in the response."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from api import audit
from api.auth import require
from api.errors import ApiError
from api.keys import Caller
from api.routes.common import ProblemBody, capped_time_limit, errors
from api.routes.sync import check_size, run_now
from api.solver_process import SolveRequest
from api.views import solution_for
from models.solution import Solution

router = APIRouter(prefix="/v1", tags=["solve"])

JOBS = "POST /v1/jobs"


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
    check_size(request, caller, "solve", problem, instead=JOBS)
    limit = capped_time_limit(problem, settings.sync_time_limit_s)
    job = SolveRequest(problem.model_dump_json(), limit, settings.solver_threads)
    outcome = run_now(request, caller, "solve", job, kind="sync", instead=JOBS)
    if outcome.solution is None:
        audit.record(store, caller, "solve", "failed")
        raise ApiError(500, "internal", f"the solve failed: {outcome.error}")
    audit.record(store, caller, "solve", outcome.status or "solved")
    return Response(solution_for(caller, outcome.solution), media_type="application/json")
