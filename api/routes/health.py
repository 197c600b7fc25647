"""Liveness, readiness and Prometheus metrics."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up.")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    summary="Ready to serve: the store answers and the solver workers are alive.",
    responses={503: {"model": Health}},
)
def readyz(request: Request) -> Response:
    checks = {
        "store": request.app.state.store.ping(),
        "workers": request.app.state.runner is None or request.app.state.runner.alive(),
    }
    ready = all(checks.values())
    body = Health(status="ok" if ready else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


@router.get(
    "/metrics",
    summary="Prometheus metrics: requests, latencies, jobs, solve seconds.",
    response_class=PlainTextResponse,
)
def metrics(request: Request) -> Response:
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
