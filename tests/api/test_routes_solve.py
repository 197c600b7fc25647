"""POST /v1/solve: small problems answered in the response, large ones sent to /v1/jobs."""

import pytest

from api.routes import sync
from api.runner import Outcome
from tests.api.conftest import Service, Tenant, assert_error, example_problem
from tests.factories import make_candidate, make_problem, make_role


def _one_pair() -> dict:
    """A problem of one candidate and one role: under any sync size limit."""
    return make_problem([make_role("R1")], [make_candidate("C1")]).model_dump(mode="json")


def test_solve_answers_a_small_problem_in_the_response(service: Service, tenant: Tenant):
    response = service.client.post("/v1/solve", json=example_problem(), headers=tenant.user)

    assert response.status_code == 200, response.text
    solution = response.json()
    assert solution["status"] == "optimal"
    placed = {(p["candidate_id"], p["role_id"]) for p in solution["placements"]}
    assert placed == {("C1", "R1"), ("C2", "R2")}
    assert solution["kpis"]["filled"] == 2


def test_solve_over_the_sync_size_limit_is_413_pointing_to_jobs(limited: Service):
    """The example's 3 x 2 pairs are over the limited service's 4."""
    headers = limited.tenant().user
    response = limited.client.post("/v1/solve", json=example_problem(), headers=headers)

    error = assert_error(response, 413, "too_large")
    assert "/v1/jobs" in error["message"]
    assert "3 candidates x 2 roles" in error["message"]


def test_solve_when_every_solver_is_busy_is_429_with_retry_after(
    limited: Service, monkeypatch: pytest.MonkeyPatch
):
    """The only solver slot is held, so the request gives up after its short wait."""
    monkeypatch.setattr(sync, "SLOT_WAIT_S", 0.1)
    headers = limited.tenant().user
    pool = limited.app.state.pool
    slot = pool.acquire(1.0)
    assert slot is not None
    try:
        response = limited.client.post("/v1/solve", json=_one_pair(), headers=headers)
    finally:
        pool.release(slot)

    error = assert_error(response, 429, "too_many_requests")
    assert int(response.headers["Retry-After"]) > 0
    assert "/v1/jobs" in error["message"]


def test_solve_names_the_record_and_field_of_an_invalid_problem(service: Service, tenant: Tenant):
    problem = example_problem()
    problem["candidates"][0]["home"]["lat"] = 123

    response = service.client.post("/v1/solve", json=problem, headers=tenant.user)

    error = assert_error(response, 422, "invalid")
    assert {"path": "body.candidates[C1].home.lat", "message": "must be between -90 and 90"} in (
        error["details"]
    )


def test_a_failed_solve_is_a_500_in_the_error_shape(
    service: Service, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
):
    """An engine failure is reported, not raised through the app."""
    monkeypatch.setattr(sync, "run_solve", lambda *_: Outcome("error", error="the solver broke"))

    response = service.client.post("/v1/solve", json=example_problem(), headers=tenant.user)

    error = assert_error(response, 500, "internal")
    assert "the solver broke" in error["message"]
