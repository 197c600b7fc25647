"""Security: keys, scopes, tenants, the audit log, no per-person demographics, CORS."""

import hashlib
import json

import pytest
from sqlalchemy import select

from api.keys import revoke_key
from api.tables import ApiKey, AuditEvent
from tests.api.conftest import (
    ALLOWED_ORIGIN,
    Service,
    Tenant,
    assert_error,
    demographic_keys,
    example_problem,
    tie_break_problem,
)

PROTECTED = [
    ("POST", "/v1/solve"),
    ("POST", "/v1/jobs"),
    ("POST", "/v1/validate"),
    ("GET", "/v1/jobs"),
    ("GET", "/v1/jobs/some-job"),
    ("GET", "/v1/jobs/some-job/solution"),
    ("DELETE", "/v1/jobs/some-job"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize(
    "authorization", [None, "Basic dXNlcjpwYXNz", "Bearer plk_not-a-real-key", "Bearer "]
)
def test_every_route_is_401_without_a_valid_key(
    service: Service, method: str, path: str, authorization: str | None
):
    headers = {"Authorization": authorization} if authorization else {}

    response = service.client.request(method, path, json=example_problem(), headers=headers)

    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_revoked_key_is_401(service: Service):
    headers = service.key("revoking-tenant", "read", name="soon-revoked")
    assert service.client.get("/v1/jobs", headers=headers).status_code == 200

    assert revoke_key(service.app.state.store, "soon-revoked") == 1

    response = service.client.get("/v1/jobs", headers=headers)
    assert "revoked" in assert_error(response, 401, "unauthorized")["message"]


def test_keys_are_stored_only_as_their_hash(service: Service):
    headers = service.key("hashing-tenant", "read", name="hashed")
    key = headers["Authorization"].removeprefix("Bearer ")

    with service.app.state.store.sessions() as session:
        stored = session.scalars(select(ApiKey).where(ApiKey.name == "hashed")).one()

    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert key.startswith(stored.prefix) and len(stored.prefix) < len(key) // 3


@pytest.mark.parametrize(
    ("keys", "method", "path", "scope"),
    [
        ("reader", "POST", "/v1/solve", "submit"),
        ("reader", "POST", "/v1/jobs", "submit"),
        ("reader", "DELETE", "/v1/jobs/{job}", "submit"),
        ("submitter", "GET", "/v1/jobs", "read"),
        ("submitter", "GET", "/v1/jobs/{job}", "read"),
        ("submitter", "GET", "/v1/jobs/{job}/solution", "read"),
    ],
)
def test_a_key_without_the_scope_a_route_needs_is_403(
    limited: Service, keys: str, method: str, path: str, scope: str
):
    tenant = limited.tenant()
    job_id = limited.submit(tenant.user, example_problem(), **{"Idempotency-Key": "scoped"})
    url = path.format(job=job_id)

    response = limited.client.request(
        method, url, json=example_problem(), headers=getattr(tenant, keys)
    )

    assert f"'{scope}'" in assert_error(response, 403, "forbidden")["message"]


def test_a_tenant_never_sees_another_tenants_job(service: Service, tenant: Tenant):
    """Another tenant's job is 404 exactly like a job that does not exist, so ids leak nothing."""
    job_id = service.submit(tenant.user, example_problem())
    service.wait_for(tenant.user, job_id)
    other = service.tenant()

    for method, path in [
        ("GET", f"/v1/jobs/{job_id}"),
        ("GET", f"/v1/jobs/{job_id}/solution"),
        ("DELETE", f"/v1/jobs/{job_id}"),
    ]:
        theirs = service.client.request(method, path, headers=other.auditor)
        missing = service.client.request(method, path.replace(job_id, "0" * 32), headers=other.user)
        assert_error(theirs, 404, "not_found")
        assert theirs.json() == json.loads(missing.text.replace("0" * 32, job_id))
    listed = service.client.get("/v1/jobs", headers=other.user).json()
    assert listed["total"] == 0 and listed["items"] == []
    assert service.wait_for(tenant.user, job_id)["status"] == "succeeded"


def _events(service: Service, tenant: str) -> list[AuditEvent]:
    with service.app.state.store.sessions() as session:
        query = select(AuditEvent).where(AuditEvent.tenant == tenant).order_by(AuditEvent.id)
        return list(session.scalars(query))


def test_submit_read_and_cancel_are_audited_with_key_and_job_ids_only(limited: Service):
    tenant = limited.tenant()
    problem = tie_break_problem()
    job_id = limited.submit(tenant.user, problem)
    limited.client.get(f"/v1/jobs/{job_id}", headers=tenant.reader)
    limited.client.get(f"/v1/jobs/{job_id}/solution", headers=tenant.reader)
    limited.client.delete(f"/v1/jobs/{job_id}", headers=tenant.submitter)

    events = _events(limited, tenant.name)

    assert [(e.action, e.outcome, e.key_name) for e in events] == [
        ("submit", "created", f"{tenant.name}-user"),
        ("read_solution", "not_ready:queued", f"{tenant.name}-reader"),
        ("cancel", "cancelled", f"{tenant.name}-submitter"),
    ]
    assert all(e.job_id == job_id and e.key_id is not None and e.at for e in events)
    recorded = " ".join(
        str(getattr(e, column.name)) for e in events for column in AuditEvent.__table__.columns
    )
    for person in problem["candidates"]:
        assert person["id"] not in recorded
    assert not {"female", "male", "ethnic"} & set(recorded.split())


def test_no_response_echoes_a_persons_demographics(service: Service, tenant: Tenant):
    """Every body a problem with demographics can produce, the tie-break audit left out."""
    problem = tie_break_problem()
    client, headers = service.client, tenant.user
    job_id = service.submit(headers, problem)
    service.wait_for(headers, job_id)
    invalid = json.loads(json.dumps(problem))
    invalid["candidates"][1]["demographics"]["sex"] = "unknown"
    invalid["candidates"][0]["demographics"]["disabled"] = "perhaps"

    responses = [
        client.post("/v1/solve", json=problem, headers=headers),
        client.post("/v1/jobs", json=problem, headers=headers),
        client.get(f"/v1/jobs/{job_id}", headers=headers),
        client.get(f"/v1/jobs/{job_id}/solution", headers=headers),
        client.get("/v1/jobs", headers=headers),
        client.post("/v1/validate", json=problem, headers=headers),
        client.post("/v1/validate", json=invalid, headers=headers),
        client.post("/v1/solve", json=invalid, headers=headers),
        client.post("/v1/jobs", json=invalid, headers=headers),
    ]

    for response in responses:
        assert response.status_code < 500, response.text
        body = response.json()
        assert demographic_keys(body) == set(), response.request.url
        assert body.get("tie_breaks", []) == []
        assert "unknown" not in response.text and "perhaps" not in response.text
    assert [r.status_code for r in responses[-2:]] == [422, 422]


def test_only_a_key_with_the_audit_scope_sees_tie_breaks(service: Service, tenant: Tenant):
    problem = tie_break_problem()
    job_id = service.submit(tenant.user, problem)
    service.wait_for(tenant.user, job_id)

    plain = service.client.get(f"/v1/jobs/{job_id}/solution", headers=tenant.user).json()
    audited = service.client.get(f"/v1/jobs/{job_id}/solution", headers=tenant.auditor).json()
    sync = service.client.post("/v1/solve", json=problem, headers=tenant.auditor).json()

    assert plain["tie_breaks"] == []
    expected = {"role_id": "R1", "chosen_candidate_id": "C2", "merit_candidate_id": "C1"}
    for solution in (audited, sync):
        assert len(solution["tie_breaks"]) == 1
        assert expected.items() <= solution["tie_breaks"][0].items()
        assert {p["candidate_id"] for p in solution["placements"]} == {"C2"}
    assert plain["placements"] == audited["placements"]


def test_cors_is_closed_by_default(service: Service):
    origin = {"Origin": ALLOWED_ORIGIN}
    response = service.client.get("/healthz", headers=origin)
    preflight = service.client.options(
        "/v1/jobs", headers=origin | {"Access-Control-Request-Method": "POST"}
    )

    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_only_a_configured_origin(limited: Service):
    allowed = limited.client.get("/healthz", headers={"Origin": ALLOWED_ORIGIN})
    preflight = limited.client.options(
        "/v1/jobs",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Idempotency-Key",
        },
    )
    other = limited.client.get("/healthz", headers={"Origin": "https://elsewhere.example"})

    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "access-control-allow-origin" not in other.headers
