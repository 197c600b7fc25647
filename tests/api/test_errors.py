"""Every 4xx and 5xx is the one JSON error shape, and never a stack trace."""

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import (
    ALLOWED_ORIGIN,
    LIMITED_MAX_BYTES,
    Service,
    Tenant,
    assert_error,
    example_problem,
)


def _padded(size: int) -> bytes:
    """The example problem as JSON of exactly `size` bytes (trailing whitespace is valid)."""
    body = json.dumps(example_problem()).encode()
    assert len(body) <= size
    return body + b" " * (size - len(body))


def _streamed(body: bytes) -> Iterator[bytes]:
    """The body in chunks, so it is sent without a Content-Length (chunked)."""
    for start in range(0, len(body), 1000):
        yield body[start : start + 1000]


def test_a_body_that_is_not_json_is_400(service: Service, tenant: Tenant):
    response = service.client.post(
        "/v1/jobs",
        content=b'{"organisations": [',
        headers=tenant.user | {"Content-Type": "application/json"},
    )

    error = assert_error(response, 400, "bad_request")
    assert error["details"][0]["path"] == "body"


def test_an_unknown_route_is_404(service: Service):
    assert_error(service.client.get("/v2/jobs"), 404, "not_found")


def test_a_method_the_route_lacks_is_405_with_allow(service: Service, tenant: Tenant):
    response = service.client.put("/v1/jobs", json={}, headers=tenant.user)

    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_an_invalid_query_parameter_is_422_naming_it(service: Service, tenant: Tenant):
    response = service.client.get("/v1/jobs?limit=0", headers=tenant.user)

    error = assert_error(response, 422, "invalid")
    assert [d["path"] for d in error["details"]] == ["query.limit"]


def test_a_missing_body_is_422(service: Service, tenant: Tenant):
    response = service.client.post("/v1/jobs", headers=tenant.user)

    error = assert_error(response, 422, "invalid")
    assert [d["path"] for d in error["details"]] == ["body"]


@pytest.mark.parametrize("path", ["/v1/solve", "/v1/jobs", "/v1/validate"])
@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_413_before_it_is_parsed(
    limited: Service, path: str, streamed: bool
):
    """The body is valid JSON: only its size can be the reason for refusing it."""
    headers = limited.tenant().user | {"Content-Type": "application/json"}
    body = _padded(LIMITED_MAX_BYTES + 1)

    response = limited.client.post(
        path, content=_streamed(body) if streamed else body, headers=headers
    )

    if streamed:
        assert "content-length" not in response.request.headers
    assert str(LIMITED_MAX_BYTES) in assert_error(response, 413, "too_large")["message"]


@pytest.mark.parametrize("streamed", [False, True], ids=["content-length", "chunked"])
def test_a_body_at_the_limit_is_accepted(limited: Service, streamed: bool):
    headers = limited.tenant().user | {"Content-Type": "application/json"}
    body = _padded(LIMITED_MAX_BYTES)

    response = limited.client.post(
        "/v1/validate", content=_streamed(body) if streamed else body, headers=headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["valid"] is True


def test_an_unexpected_failure_is_500_without_a_trace(
    service: Service, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
):
    """A store failure inside a route: the body says only that it was logged."""

    def broken(*_: object) -> None:
        raise RuntimeError("database exploded near candidate C1 at /srv/secret/path.py")

    monkeypatch.setattr(service.app.state.store, "page", broken)
    client = TestClient(service.app, raise_server_exceptions=False)  # no second lifespan

    response = client.get("/v1/jobs", headers=tenant.user)

    error = assert_error(response, 500, "internal")
    assert error["details"] == []
    for leak in ("RuntimeError", "exploded", "C1", "secret", ".py", "line "):
        assert leak not in response.text


def test_browsers_can_read_413_and_500_and_metrics_count_them(
    limited: Service, monkeypatch: pytest.MonkeyPatch
):
    """CORS wraps the size limit and the 500 handling; metrics see both."""
    origin = {"Origin": ALLOWED_ORIGIN}
    headers = limited.tenant().user | origin | {"Content-Type": "application/json"}

    too_large = limited.client.post(
        "/v1/validate", content=_padded(LIMITED_MAX_BYTES + 1), headers=headers
    )

    def broken(*_: object) -> None:
        raise RuntimeError("store down")

    monkeypatch.setattr(limited.app.state.store, "page", broken)
    client = TestClient(limited.app, raise_server_exceptions=False)
    failed = client.get("/v1/jobs", headers=headers)
    metrics = limited.client.get("/metrics").text

    assert too_large.status_code == 413 and failed.status_code == 500
    assert too_large.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert failed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert 'status="413"' in metrics
    assert 'route="/v1/jobs",status="500"' in metrics
