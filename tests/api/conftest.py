"""Fixtures of the API tests.

Each app starts solver processes (spawned, ~1-2 s each), so there are only two, shared by
the session: `service`, which runs jobs, and `limited`, which runs none and has tight limits
(queue depth 1, one solver, small bodies, a CORS origin). Every test gets tenants of its own,
so tests sharing an app never see each other's jobs.
"""

import copy
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from api.examples import EXAMPLE_PROBLEM
from api.keys import create_key
from api.main import create_app
from api.settings import Settings
from models.common import Demographics
from tests.factories import FIT_ONLY, make_candidate, make_problem, make_role

FINISHED = ("succeeded", "failed", "cancelled")
DEMOGRAPHIC_KEYS = frozenset({"sex", "ethnic_minority", "disabled"})
ALLOWED_ORIGIN = "https://boards.example.nhs.uk"
LIMITED_MAX_BYTES = 20_000


@dataclass
class Tenant:
    """One tenant's keys, as request headers: one per scope set a test needs."""

    name: str
    user: dict[str, str]  # submit + read
    reader: dict[str, str]  # read only
    submitter: dict[str, str]  # submit only
    auditor: dict[str, str]  # submit + read + audit


@dataclass
class Service:
    """A running app and a client of it."""

    app: FastAPI
    client: TestClient

    def key(self, tenant: str, *scopes: str, name: str | None = None) -> dict[str, str]:
        """Headers carrying a new key of `tenant` with `scopes`."""
        key = create_key(self.app.state.store, name or f"{tenant}-key", tenant, frozenset(scopes))
        return {"Authorization": f"Bearer {key}"}

    def tenant(self) -> Tenant:
        """A fresh tenant with a key for each scope set."""
        name = f"tenant-{uuid.uuid4().hex[:8]}"
        return Tenant(
            name=name,
            user=self.key(name, "submit", "read", name=f"{name}-user"),
            reader=self.key(name, "read", name=f"{name}-reader"),
            submitter=self.key(name, "submit", name=f"{name}-submitter"),
            auditor=self.key(name, "submit", "read", "audit", name=f"{name}-auditor"),
        )

    def submit(self, headers: dict[str, str], problem: dict[str, Any], **extra: str) -> str:
        """Submit a job and return its id."""
        response = self.client.post("/v1/jobs", json=problem, headers=headers | extra)
        assert response.status_code == 202, response.text
        return response.json()["id"]

    def wait_for(
        self,
        headers: dict[str, str],
        job_id: str,
        statuses: tuple[str, ...] = FINISHED,
        timeout_s: float = 20.0,
    ) -> dict[str, Any]:
        """Poll the job until its status is one of `statuses`; its view then."""
        deadline = time.monotonic() + timeout_s
        while True:
            response = self.client.get(f"/v1/jobs/{job_id}", headers=headers)
            assert response.status_code == 200, response.text
            job = response.json()
            if job["status"] in statuses:
                return job
            assert time.monotonic() < deadline, f"job still {job['status']}, not {statuses}"
            time.sleep(0.05)


def _running(settings: Settings, run_jobs: bool) -> Iterator[Service]:
    app = create_app(settings, run_jobs=run_jobs)
    with TestClient(app) as client:
        yield Service(app, client)


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service as deployed, jobs run in two solver processes (one may be busy)."""
    store = tmp_path_factory.mktemp("service") / "store.db"
    settings = Settings(
        database_url=f"sqlite:///{store}", poll_interval_s=0.05, lease_s=5, solver_workers=2
    )
    yield from _running(settings, run_jobs=True)


@pytest.fixture(scope="session")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A service that claims nothing (queued jobs stay queued) and whose limits are tight."""
    store = tmp_path_factory.mktemp("limited") / "store.db"
    settings = Settings(
        database_url=f"sqlite:///{store}",
        poll_interval_s=0.05,
        lease_s=5,
        queue_depth=1,
        solver_workers=1,
        sync_max_pairs=4,
        max_request_bytes=LIMITED_MAX_BYTES,
        cors_origins=[ALLOWED_ORIGIN],
    )
    yield from _running(settings, run_jobs=False)


@pytest.fixture
def tenant(service: Service) -> Tenant:
    """A tenant of its own on the shared service."""
    return service.tenant()


def example_problem(**policy: Any) -> dict[str, Any]:
    """The OpenAPI example (two trusts, two roles, three people), policy fields overridden."""
    problem = copy.deepcopy(EXAMPLE_PROBLEM)
    problem["policy"] |= policy
    return problem


def tie_break_problem() -> dict[str, Any]:
    """Two candidates with demographics for one role: merit picks C1, the lawful tie-break
    within a 20% merit tolerance picks C2, so the solution records a tie-break."""
    people = [
        make_candidate("C1", demographics=Demographics(sex="male", ethnic_minority=False)),
        make_candidate("C2", demographics=Demographics(sex="female", ethnic_minority=True)),
    ]
    problem = make_problem(
        [make_role("R1")],
        people,
        scores={("C1", "R1"): 11, ("C2", "R1"): 10},
        weights=FIT_ONLY.model_copy(update={"diversity": 1}),
        diversity_mode="tie_break",
        merit_tolerance=0.2,
        time_limit_s=5,
    )
    return json.loads(problem.model_dump_json())


def assert_error(response: Response, status: int, code: str) -> dict[str, Any]:
    """The response is the one error shape with this status and code; its error object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert all(set(d) == {"path", "message"} for d in error["details"])
    assert "Traceback" not in response.text
    return error


def demographic_keys(value: Any) -> set[str]:
    """Every demographic key anywhere in a JSON value."""
    if isinstance(value, dict):
        found = DEMOGRAPHIC_KEYS & set(value)
        for item in value.values():
            found |= demographic_keys(item)
        return found
    if isinstance(value, list):
        return set().union(*(demographic_keys(item) for item in value))
    return set()
