"""Validation and data-quality report of a problem, without solving it."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request

from api import audit
from api.auth import require
from api.examples import EXAMPLE_PROBLEM
from api.keys import Caller
from api.routes.common import errors
from api.schemas import ErrorDetail, Finding, ValidationReport
from matching.quality import data_quality
from models.loading import InputError, parse_model
from models.problem import Problem

router = APIRouter(prefix="/v1", tags=["validate"])


@router.post(
    "/validate",
    summary="Check a problem: errors naming record and field, and data-quality warnings.",
    responses=errors(413),
)
def validate(
    request: Request,
    body: Annotated[
        dict[str, Any],
        Body(
            openapi_examples={
                "two_trusts": {"summary": "A valid problem", "value": EXAMPLE_PROBLEM}
            }
        ),
    ],
    caller: Annotated[Caller, Depends(require("submit"))],
) -> ValidationReport:
    try:
        problem = parse_model(Problem, body, "body")
    except InputError as exc:
        audit.record(request.app.state.store, caller, "validate", "invalid")
        details = [ErrorDetail(**_split(line)) for line in exc.errors]
        return ValidationReport(valid=False, errors=details, warnings=[])
    findings = data_quality(problem)
    audit.record(request.app.state.store, caller, "validate", "valid")
    warnings = [Finding(path=f.path, code=f.code, message=f.message) for f in findings]
    return ValidationReport(valid=True, errors=[], warnings=warnings)


def _split(line: str) -> dict[str, str]:
    """`candidates[C1].home.lat: must be ...` as path and message."""
    path, sep, message = line.partition(": ")
    if not sep or " " in path:
        return {"path": "body", "message": line}
    return {"path": f"body.{path}", "message": message}
