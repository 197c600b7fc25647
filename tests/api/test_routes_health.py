"""Liveness, readiness and Prometheus metrics: no key needed, so probes and scrapers work."""

import time

import pytest

from tests.api.conftest import Service, Tenant, example_problem


def _sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one Prometheus sample, 0 if it is absent."""
    selector = "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else ""
    for line in metrics.splitlines():
        if line.startswith(f"{name}{selector} "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_healthz_is_ok_without_a_key(service: Service):
    response = service.client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_readyz_is_ok_when_the_store_answers_and_the_workers_are_alive(service: Service):
    response = service.client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"store": True, "workers": True}}


@pytest.mark.parametrize(
    ("target", "method", "failed"),
    [("store", "ping", "store"), ("runner", "alive", "workers")],
)
def test_readyz_is_503_naming_the_failed_check(
    service: Service, monkeypatch: pytest.MonkeyPatch, target: str, method: str, failed: str
):
    monkeypatch.setattr(getattr(service.app.state, target), method, lambda: False)

    response = service.client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][failed] is False


def test_metrics_count_requests_jobs_by_status_and_solve_seconds(service: Service, tenant: Tenant):
    before = service.client.get("/metrics").text
    service.client.get("/healthz")
    service.client.post("/v1/solve", json=example_problem(), headers=tenant.user)
    service.wait_for(tenant.user, service.submit(tenant.user, example_problem()))

    response = service.client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    after = response.text
    healthz = {"method": "GET", "route": "/healthz", "status": "200"}
    name = "placement_http_requests_total"
    assert _sample(after, name, **healthz) == _sample(before, name, **healthz) + 1
    jobs = {"method": "POST", "route": "/v1/jobs", "status": "202"}
    assert _sample(after, name, **jobs) >= 1
    latency = "placement_http_request_seconds_count"
    assert _sample(after, latency, route="/v1/solve") >= 1
    for kind in ("sync", "job"):
        count = "placement_solve_seconds_count"
        assert _sample(after, count, kind=kind) >= _sample(before, count, kind=kind) + 1
    succeeded = _sample(after, "placement_jobs", status="succeeded")
    assert succeeded >= _sample(before, "placement_jobs", status="succeeded") + 1
    assert 'placement_jobs{status="queued"}' in after


def test_a_solver_that_dies_idle_is_replaced_and_readiness_recovers(
    service: Service, tenant: Tenant
):
    """No healthy job fails for a solver process that died between jobs."""
    dead = service.app.state.pool.slots[0].process
    dead.kill()
    dead.join(timeout=10)

    deadline = time.monotonic() + 10
    while service.client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    job_id = service.submit(tenant.user, example_problem())
    job = service.wait_for(tenant.user, job_id)

    assert service.client.get("/readyz").status_code == 200
    assert job["attempts"] == 1 and job["error"] is None
