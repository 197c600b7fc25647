"""Every error is JSON of one shape: {"error": {"code", "message", "details": [...]}}.

Validation errors name the record by id and the field (`body.candidates[C17].home.lat`), as
the CLI does; nothing else of the request is echoed, and no stack trace ever leaves.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from models.loading import location_path

log = logging.getLogger("placement.api")

VALUE_ERROR_PREFIX = "Value error, "
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "internal",
    503: "unavailable",
}


class ApiError(Exception):
    """An error response: HTTP status, stable code, message, optional details and headers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []
        self.headers = headers or {}


def error_body(code: str, message: str, details: list[dict[str, str]] | None = None) -> dict:
    """The one error shape."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def _validation_details(exc: RequestValidationError) -> list[dict[str, str]]:
    body: Any = getattr(exc, "body", None)
    details = []
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        inner = loc[1:] if loc[:1] == ("body",) else loc
        path = location_path(body, inner) if loc[:1] == ("body",) else ".".join(map(str, loc))
        path = f"body.{path}" if loc[:1] == ("body",) and path else path or "body"
        message = str(error.get("msg", "invalid")).removeprefix(VALUE_ERROR_PREFIX)
        if error.get("type") == "extra_forbidden":
            message = "unknown field"
        details.extend({"path": path, "message": line} for line in message.split("\n"))
    return details


def _malformed_json(exc: RequestValidationError) -> dict[str, str] | None:
    """A body that is not JSON at all is a 400, not a 422 with a path into nothing."""
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            loc = tuple(error.get("loc", ()))
            where = f" at character {loc[1]}" if len(loc) > 1 else ""
            why = str(error.get("ctx", {}).get("error", "invalid JSON"))
            return {"path": "body", "message": f"{why}{where}"}
    return None


def _allowed_methods(request: Request) -> str:
    """Every method some route at this path takes: Starlette's own Allow names only the first
    route's (`/v1/jobs` is two routes, GET and POST)."""
    allowed = [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]
    return ", ".join(allowed)


def unexpected_response(request: Request, exc: Exception) -> JSONResponse:
    """A 500 that says nothing of the failure but that it was logged (type and route only)."""
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return JSONResponse(error_body("internal", "internal error; it has been logged"), 500)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the error shape."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.code, exc.message, exc.details), exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        malformed = _malformed_json(exc)
        if malformed is not None:
            return JSONResponse(
                error_body("bad_request", "the request body is not valid JSON", [malformed]), 400
            )
        details = _validation_details(exc)
        return JSONResponse(
            error_body("invalid", f"the request is invalid: {len(details)} error(s)", details), 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return JSONResponse(error_body(code, message), exc.status_code, headers=headers or None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        return unexpected_response(request, exc)
