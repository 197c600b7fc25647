"""Property-based fuzz of every route from the OpenAPI document: no 5xx, no response that
breaks the document (status codes, content types, bodies)."""

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.keys import create_key
from api.main import create_app
from api.settings import Settings

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


FUZZ_STORE = Path(tempfile.mkdtemp(prefix="placement-fuzz-")) / "store.db"
# Jobs stay queued (no background solves) and sync solves are short.
app = create_app(
    Settings(
        database_url=f"sqlite:///{FUZZ_STORE}",
        sync_time_limit_s=1,
        queue_depth=100_000,
        solver_workers=1,
    ),
    run_jobs=False,
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def auth() -> Iterator[dict[str, str]]:
    """The app running (its lifespan started) and a key with every scope."""
    with TestClient(app):
        scopes = frozenset({"submit", "read", "admin", "audit"})
        key = create_key(app.state.store, "fuzz", "T", scopes)
        yield {"Authorization": f"Bearer {key}"}
    shutil.rmtree(FUZZ_STORE.parent, ignore_errors=True)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_response_matches_the_document(case, auth):
    case.call_and_validate(headers=auth, checks=CHECKS)
