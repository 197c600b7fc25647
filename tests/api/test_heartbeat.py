"""The lease is renewed on its own clock, so a solve that is slow to start keeps its job."""

import time
from pathlib import Path

import pytest

from api.db import make_engine
from api.migrate import upgrade
from api.runner import Heartbeat
from api.store import Claim, JobStore, now
from api.tables import ApiKey

LEASE_S = 0.6


@pytest.fixture
def claimed(tmp_path: Path) -> tuple[JobStore, Claim]:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    upgrade(engine)
    store = JobStore(engine)
    with store.sessions.begin() as session:
        session.add(
            ApiKey(
                id=1,
                name="k",
                tenant="T",
                scopes="submit",
                key_hash="h",
                prefix="p",
                created_at=now(),
            )
        )
    store.submit(tenant="T", key_id=1, problem="{}", request_hash="x", time_limit_s=5)
    claim = store.claim("service-a", LEASE_S)
    assert claim is not None
    return store, claim


def test_a_blocked_solve_keeps_its_lease(claimed):
    store, claim = claimed
    heartbeat = Heartbeat(store, claim, LEASE_S)
    heartbeat.start()
    time.sleep(4 * LEASE_S)  # the solve thread is busy elsewhere (sending, starting up)
    store.requeue_expired()
    heartbeat.finish()

    job = store.get("T", claim.job_id)
    assert (job.status, job.claim_token, job.attempts) == ("running", claim.token, 1)
    assert not heartbeat.stop_asked.is_set()


def test_cancellation_and_a_lost_claim_stop_the_solve(claimed):
    store, claim = claimed
    heartbeat = Heartbeat(store, claim, LEASE_S)
    heartbeat.start()
    store.cancel("T", claim.job_id)
    assert heartbeat.stop_asked.wait(5) and not heartbeat.lost
    heartbeat.finish()

    store.requeue_worker("service-a")
    again = store.claim("service-b", LEASE_S)
    stale = Heartbeat(store, claim, LEASE_S)
    stale.start()
    assert stale.stop_asked.wait(5) and stale.lost
    stale.finish()
    assert again is not None and again.job_id == claim.job_id
