"""The FastAPI application: transport only; the engine solves in solver processes."""

import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from api import errors
from api.db import make_engine
from api.limits import BodySizeLimit
from api.metrics import Metrics
from api.migrate import upgrade
from api.routes import explain, health, jobs, solve, validate
from api.runner import JobRunner, SolverPool
from api.settings import Settings
from api.store import JobStore

log = logging.getLogger("placement.api")

DESCRIPTION = (
    "Matches NHS leaders to hard-to-fill roles and board seats under hard rules, budget and "
    "diversity policy. Small problems: `POST /v1/solve`. Large ones: `POST /v1/jobs`, then poll. "
    "Why a placement, who else, what filling a role costs: `POST /v1/explain` and "
    "`POST /v1/recommend`. "
    "Every request carries `Authorization: Bearer KEY`. Every error has the shape "
    '`{"error": {"code", "message", "details": [{"path", "message"}]}}`.'
)


def service_id(settings: Settings) -> str:
    """Names this service's claims. A configured name is stable, so a restart takes back
    what it was running at once; otherwise the name is unique to this process's life and
    its jobs return to the queue when their lease runs out."""
    return settings.service_name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def create_app(settings: Settings | None = None, run_jobs: bool = True) -> FastAPI:
    """The app; with `run_jobs`, it claims and solves queued jobs in its solver processes."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        upgrade(engine)
        store = JobStore(engine)
        app.state.settings, app.state.store = settings, store
        app.state.metrics = Metrics(store)
        app.state.pool = SolverPool(settings.solver_workers)
        app.state.runner = None
        if run_jobs:
            app.state.runner = JobRunner(
                store,
                app.state.pool,
                settings,
                service_id(settings),
                on_solved=app.state.metrics.solve_seconds.labels("job").observe,
            )
            app.state.runner.start()
        try:
            yield
        finally:
            if app.state.runner is not None:
                app.state.runner.stop()
            app.state.pool.close()
            engine.dispose()

    app = FastAPI(
        title="NHS leadership placement optimiser",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    errors.install(app)
    for router in (solve.router, explain.router, jobs.router, validate.router, health.router):
        app.include_router(router)
    # Innermost first: the size limit, then metrics (which see its 413s and every 500), then
    # CORS outermost, so browsers can read error responses too.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)

    @app.middleware("http")
    async def measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception as exc:
            response = errors.unexpected_response(request, exc)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        metrics = getattr(request.app.state, "metrics", None)
        if metrics is not None:
            metrics.requests.labels(request.method, route, str(response.status_code)).inc()
            metrics.latency.labels(route).observe(time.perf_counter() - started)
        return response

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        )
    return app
