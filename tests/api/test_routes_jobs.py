"""Jobs: submit, follow, fetch the solution, cancel, list; idempotency and queue limits."""

import time
from typing import Any

import pytest

from scenarios.generate import generate_problem
from tests.api.conftest import Service, Tenant, assert_error, example_problem


@pytest.fixture(scope="module")
def slow_problem() -> dict[str, Any]:
    """3,000 candidates and 800 roles: solves for several seconds, long enough to cancel."""
    problem = generate_problem("m", seed=1)
    policy = problem.policy.model_copy(update={"time_limit_s": 20})
    return problem.model_copy(update={"policy": policy}).model_dump(mode="json")


def test_submit_is_202_with_the_job_location_and_the_job_then_succeeds(
    service: Service, tenant: Tenant
):
    response = service.client.post("/v1/jobs", json=example_problem(), headers=tenant.user)

    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["Location"] == f"/v1/jobs/{job['id']}"
    assert job["status"] in ("queued", "running")
    done = service.wait_for(tenant.user, job["id"])
    assert done["status"] == "succeeded"
    assert done["solution_status"] == "optimal"
    assert done["finished_at"] is not None and done["attempts"] == 1
    progress = done["progress"]
    assert progress["objective"] == pytest.approx(progress["bound"])
    assert progress["gap"] == 0
    assert progress["elapsed_s"] >= 0


def test_the_solution_of_a_succeeded_job_is_the_same_as_a_sync_solve(
    service: Service, tenant: Tenant
):
    job_id = service.submit(tenant.user, example_problem())
    service.wait_for(tenant.user, job_id)

    response = service.client.get(f"/v1/jobs/{job_id}/solution", headers=tenant.reader)

    assert response.status_code == 200, response.text
    sync = service.client.post("/v1/solve", json=example_problem(), headers=tenant.user).json()
    solution = response.json()
    assert solution["placements"] == sync["placements"]
    assert solution["objective"] == sync["objective"]


def test_the_solution_of_a_job_not_yet_succeeded_is_409(limited: Service):
    """On the limited service nothing is claimed, so the job stays queued."""
    headers = limited.tenant().user
    job_id = limited.submit(headers, example_problem())

    response = limited.client.get(f"/v1/jobs/{job_id}/solution", headers=headers)

    error = assert_error(response, 409, "conflict")
    assert "queued" in error["message"]


def test_a_repeated_request_with_the_same_idempotency_key_returns_the_same_job(
    service: Service, tenant: Tenant
):
    key = {"Idempotency-Key": "round-2025-q1"}
    first = service.client.post("/v1/jobs", json=example_problem(), headers=tenant.user | key)
    again = service.client.post("/v1/jobs", json=example_problem(), headers=tenant.user | key)

    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    listed = service.client.get("/v1/jobs", headers=tenant.user).json()
    assert listed["total"] == 1


def test_the_same_idempotency_key_with_a_different_problem_is_409(service: Service, tenant: Tenant):
    key = {"Idempotency-Key": "round-2025-q2"}
    service.submit(tenant.user, example_problem(), **key)

    response = service.client.post(
        "/v1/jobs", json=example_problem(time_limit_s=3), headers=tenant.user | key
    )

    assert_error(response, 409, "conflict")


def test_idempotency_keys_belong_to_their_tenant(service: Service, tenant: Tenant):
    """Another tenant's use of the same key is another job, not a replay or a conflict."""
    key = {"Idempotency-Key": "shared-name"}
    mine = service.submit(tenant.user, example_problem(), **key)
    theirs = service.submit(service.tenant().user, example_problem(time_limit_s=3), **key)

    assert theirs != mine


def test_a_full_queue_is_429_with_retry_after(limited: Service):
    """Queue depth 1 and nothing claimed: the second job is refused."""
    headers = limited.tenant().user
    limited.submit(headers, example_problem())

    response = limited.client.post("/v1/jobs", json=example_problem(), headers=headers)

    assert_error(response, 429, "too_many_requests")
    assert int(response.headers["Retry-After"]) > 0
    other_tenant = limited.tenant().user
    assert limited.client.post("/v1/jobs", json=example_problem(), headers=other_tenant).is_success


def test_a_full_queue_still_replays_an_earlier_request_but_refuses_a_new_key(limited: Service):
    """An Idempotency-Key is no way round the queue limit, yet a retry gets its job."""
    headers = limited.tenant().user
    job_id = limited.submit(headers, example_problem(), **{"Idempotency-Key": "first"})

    replay = limited.client.post(
        "/v1/jobs", json=example_problem(), headers=headers | {"Idempotency-Key": "first"}
    )
    fresh = limited.client.post(
        "/v1/jobs", json=example_problem(), headers=headers | {"Idempotency-Key": "second"}
    )

    assert replay.status_code == 202 and replay.json()["id"] == job_id
    assert_error(fresh, 429, "too_many_requests")


def test_cancelling_a_queued_job_cancels_it_at_once(limited: Service):
    headers = limited.tenant().user
    job_id = limited.submit(headers, example_problem())

    response = limited.client.delete(f"/v1/jobs/{job_id}", headers=headers)

    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] == "cancelled" and job["finished_at"] is not None
    assert limited.client.get(f"/v1/jobs/{job_id}", headers=headers).json() == job
    solution = limited.client.get(f"/v1/jobs/{job_id}/solution", headers=headers)
    assert "cancelled" in assert_error(solution, 409, "conflict")["message"]


def test_cancelling_a_running_job_requests_it_and_then_it_is_cancelled(
    service: Service, tenant: Tenant, slow_problem: dict[str, Any]
):
    """The job reports progress while it runs; cancelling asks, then its solver is ended."""
    job_id = service.submit(tenant.user, slow_problem)
    deadline = time.monotonic() + 20
    while True:
        job = service.wait_for(tenant.user, job_id, ("running",) + ("succeeded", "failed"))
        assert job["status"] == "running", job
        if job["progress"]["elapsed_s"] is not None:
            break
        assert time.monotonic() < deadline, "no progress reported"
        time.sleep(0.1)

    response = service.client.delete(f"/v1/jobs/{job_id}", headers=tenant.user)

    assert response.status_code == 202, response.text
    requested = response.json()
    assert requested["status"] == "running" and requested["cancel_requested"] is True
    started = time.monotonic()
    done = service.wait_for(tenant.user, job_id, timeout_s=10)
    assert done["status"] == "cancelled"
    assert time.monotonic() - started < 5, "the solve was not stopped promptly"
    assert done["solution_status"] is None


def test_cancelling_a_finished_job_is_409(service: Service, tenant: Tenant):
    job_id = service.submit(tenant.user, example_problem())
    service.wait_for(tenant.user, job_id)

    response = service.client.delete(f"/v1/jobs/{job_id}", headers=tenant.user)

    assert "succeeded" in assert_error(response, 409, "conflict")["message"]


def test_the_job_list_is_the_callers_newest_first_a_page_at_a_time(
    service: Service, tenant: Tenant
):
    ids = [service.submit(tenant.user, example_problem()) for _ in range(3)]
    service.submit(service.tenant().user, example_problem())

    first = service.client.get("/v1/jobs?limit=2", headers=tenant.reader).json()
    second = service.client.get(
        f"/v1/jobs?limit=2&offset={first['next_offset']}", headers=tenant.reader
    ).json()

    assert (first["total"], first["limit"], first["offset"], first["next_offset"]) == (3, 2, 0, 2)
    assert (second["total"], second["offset"], second["next_offset"]) == (3, 2, None)
    listed = [job["id"] for job in first["items"] + second["items"]]
    assert listed == ids[::-1]


def test_an_unknown_job_is_404(service: Service, tenant: Tenant):
    for method, path in [
        ("GET", "/v1/jobs/no-such-job"),
        ("GET", "/v1/jobs/no-such-job/solution"),
        ("DELETE", "/v1/jobs/no-such-job"),
    ]:
        response = service.client.request(method, path, headers=tenant.user)
        assert_error(response, 404, "not_found")
