"""What the routes share: the problem body with its example, error responses, time limits."""

from typing import Annotated

from fastapi import Body

from api.examples import EXAMPLE_PROBLEM
from api.schemas import ErrorResponse
from models.problem import Problem

ProblemBody = Annotated[
    Problem,
    Body(
        openapi_examples={
            "two_trusts": {
                "summary": "Two Midlands trusts, two executive roles, three candidates",
                "value": EXAMPLE_PROBLEM,
            }
        }
    ),
]

RETRY_AFTER_S = 5


def errors(*codes: int) -> dict[int | str, dict]:
    """OpenAPI entries for error responses, all of the one error shape: the route's own, and
    those any route can give (unreadable body, no key, too large, invalid, internal)."""
    return {code: {"model": ErrorResponse} for code in (*codes, 400, 401, 413, 422, 500)}


def capped_time_limit(problem: Problem, limit_s: float) -> float:
    """The problem's own time limit, but no more than the service allows."""
    return min(problem.policy.time_limit_s, limit_s)
