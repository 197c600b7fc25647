"""What the synchronous routes share: the size limit, a free solver or 429, the timed run."""

import time

from fastapi import Request

from api import audit
from api.errors import ApiError
from api.keys import Caller
from api.routes.common import RETRY_AFTER_S
from api.runner import Outcome, run_solve
from api.solver_process import SolverRequest
from models.problem import Problem

#: How long a synchronous request waits for a free solver before 429.
SLOT_WAIT_S = 2.0


def check_size(
    request: Request, caller: Caller, action: str, problem: Problem, instead: str = ""
) -> None:
    """413 for a problem over the synchronous limit of candidates x roles, pointing to the
    route to use `instead` if there is one."""
    settings = request.app.state.settings
    if len(problem.candidates) * len(problem.roles) <= settings.sync_max_pairs:
        return
    audit.record(request.app.state.store, caller, action, "too_large")
    there = f": submit it to {instead}" if instead else ""
    raise ApiError(
        413,
        "too_large",
        f"{len(problem.candidates)} candidates x {len(problem.roles)} roles is over the "
        f"synchronous limit of {settings.sync_max_pairs} pairs{there}",
    )


def run_now(
    request: Request, caller: Caller, action: str, job: SolverRequest, kind: str, instead: str = ""
) -> Outcome:
    """Run the request on a free solver process, its time measured under `kind`; 429 when
    none frees up soon, pointing to the route to use `instead` if there is one."""
    pool = request.app.state.pool
    slot = pool.acquire(SLOT_WAIT_S)
    if slot is None:
        audit.record(request.app.state.store, caller, action, "busy")
        there = f" or submit to {instead}" if instead else ""
        raise ApiError(
            429,
            "too_many_requests",
            f"every solver is busy; retry later{there}",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    started = time.monotonic()
    try:
        outcome = run_solve(slot, job)
    finally:
        pool.release(slot)
    request.app.state.metrics.solve_seconds.labels(kind).observe(time.monotonic() - started)
    return outcome
