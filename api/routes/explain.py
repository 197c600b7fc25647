"""Explanations of a solution and recommended candidates for a role, answered synchronously
from exact what-if re-solves in a solver process."""

import logging
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response

from api import audit
from api.auth import require
from api.errors import ApiError
from api.examples import EXAMPLE_PROBLEM, EXAMPLE_SOLUTION
from api.keys import Caller
from api.routes.common import RETRY_AFTER_S, capped_time_limit, errors
from api.routes.sync import check_size, run_now
from api.runner import Outcome
from api.schemas import ExplainBody, RecommendBody
from api.solver_process import ExplainRequest, RecommendRequest
from models.explanation import Explanation, Recommendation

router = APIRouter(prefix="/v1", tags=["explain"])
log = logging.getLogger("placement.api")

Submitter = Annotated[Caller, Depends(require("submit"))]

ExplainBodyParam = Annotated[
    ExplainBody,
    Body(
        openapi_examples={
            "one_role": {
                "summary": "Why C1 holds R1, and who else could",
                "value": {
                    "problem": EXAMPLE_PROBLEM,
                    "solution": EXAMPLE_SOLUTION,
                    "role_ids": ["R1"],
                },
            }
        }
    ),
]
RecommendBodyParam = Annotated[
    RecommendBody,
    Body(
        openapi_examples={
            "finance_director": {
                "summary": "The best three candidates for R1, the problem solved first",
                "value": {"problem": EXAMPLE_PROBLEM, "role_id": "R1", "top": 3},
            }
        }
    ),
]


@router.post(
    "/explain",
    summary="Explain a solution: why each placement and its runner-up, why each empty role, "
    "or how to relax an infeasible problem's conflicts.",
    response_model=Explanation,
    responses=errors(413, 429, 503),
)
def explain(request: Request, body: ExplainBodyParam, caller: Submitter) -> Response:
    """Objective changes come from exact re-solves, each within the synchronous time limit."""
    settings = request.app.state.settings
    check_size(request, caller, "explain", body.problem)
    job = ExplainRequest(
        problem=body.problem.model_dump_json(),
        solution=body.solution.model_dump_json(),
        role_ids=tuple(dict.fromkeys(body.role_ids)),
        candidate_ids=tuple(dict.fromkeys(body.candidate_ids)),
        time_limit_s=capped_time_limit(body.problem, settings.sync_time_limit_s),
        threads=settings.solver_threads,
    )
    outcome = run_now(request, caller, "explain", job, kind="explain")
    return _answered(request, caller, "explain", outcome, "body.solution")


@router.post(
    "/recommend",
    summary="Recommend the best candidates for a role, each placed there with everyone else "
    "re-placed around them.",
    response_model=Recommendation,
    responses=errors(413, 429, 503),
)
def recommend(request: Request, body: RecommendBodyParam, caller: Submitter) -> Response:
    """Without a solution the problem is solved first, within the synchronous time limit."""
    settings = request.app.state.settings
    check_size(request, caller, "recommend", body.problem)
    job = RecommendRequest(
        problem=body.problem.model_dump_json(),
        role_id=body.role_id,
        top=body.top,
        solution=None if body.solution is None else body.solution.model_dump_json(),
        time_limit_s=capped_time_limit(body.problem, settings.sync_time_limit_s),
        threads=settings.solver_threads,
    )
    outcome = run_now(request, caller, "recommend", job, kind="recommend")
    refused_at = "body.problem" if body.solution is None else "body.solution"
    return _answered(request, caller, "recommend", outcome, refused_at)


def _answered(
    request: Request, caller: Caller, action: str, outcome: Outcome, refused_at: str
) -> Response:
    """The answer; a refusal is a 422 at `refused_at` (the ids asked about were checked with
    the body, so what is left to refuse is the solution, or a problem with no placement)."""
    store = request.app.state.store
    if outcome.kind == "refused":
        audit.record(store, caller, action, "refused")
        message = outcome.error or "the engine refused the request"
        raise ApiError(422, "invalid", message, [{"path": refused_at, "message": message}])
    if outcome.answer is None:
        audit.record(store, caller, action, "failed")
        log.error("%s failed: %s", action, outcome.error)
        raise ApiError(
            503,
            "unavailable",
            f"the {action} could not be completed in time: ask about fewer roles or "
            "candidates, or retry later",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    audit.record(store, caller, action, "answered")
    return Response(outcome.answer, media_type="application/json")
