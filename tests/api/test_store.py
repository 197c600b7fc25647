"""The job store on SQLite and on PostgreSQL: schema, submit and read, idempotency, claims.

Claims are what durability and scale-out rest on: each queued job is claimed by one worker at a
time, and a worker whose claim was lost (its lease ran out, its service restarted) can no
longer renew, finish or fail the job.
"""

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from api.db import make_engine
from api.keys import authenticate, create_key
from api.migrate import MIGRATIONS, upgrade
from api.store import Claim, IdempotencyConflict, JobProgress, JobStore, as_utc, now
from api.tables import JOB_STATUSES, Base, Job
from tests.api.postgres import fresh_database

LEASE_S = 30.0
THREADS = 8


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        with fresh_database() as url:
            yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> JobStore:
    upgrade(engine)
    return JobStore(engine)


@pytest.fixture
def keys(store: JobStore) -> dict[str, int]:
    """A key id per tenant: jobs reference the key that submitted them."""
    ids = {}
    for tenant in ("north", "south"):
        key = create_key(store, f"{tenant}-client", tenant, frozenset({"submit", "read"}))
        ids[tenant] = authenticate(store, key).key_id
    return ids


@pytest.fixture
def submit(store: JobStore, keys: dict[str, int]) -> Callable[..., Job]:
    def submit(
        tenant: str = "north",
        problem: str = '{"p": 1}',
        idempotency_key: str | None = None,
        time_limit_s: float = 5.0,
    ) -> Job:
        job, _ = store.submit(
            tenant=tenant,
            key_id=keys[tenant],
            problem=problem,
            request_hash=f"hash of {problem}",
            time_limit_s=time_limit_s,
            idempotency_key=idempotency_key,
        )
        return job

    return submit


def stored(store: JobStore, job_id: str) -> Job:
    """The job as the database has it, whoever owns it."""
    with store.sessions() as session:
        return session.get(Job, job_id)


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def schema_revision(engine: Engine) -> str:
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


# Schema


def test_migrations_build_the_tables_the_store_uses_and_can_run_again(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
    assert {"api_keys", "jobs", "audit_events", "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )
    assert schema_revision(engine) == head_revision()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_services_starting_together_migrate_one_at_a_time(database_url: str) -> None:
    """Several services may start at once on one store: each brings the schema to head.

    Unserialised, two migrations on PostgreSQL block each other for good, so the threads are
    daemons joined with a timeout: a regression fails here instead of hanging the suite.
    """
    engines = [make_engine(database_url) for _ in range(2)]
    barrier = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def migrate(engine: Engine) -> None:
        try:
            barrier.wait(timeout=10)
            upgrade(engine)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=migrate, args=(e,), daemon=True) for e in engines]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        assert not any(thread.is_alive() for thread in threads), "the migrations deadlocked"
        assert errors == []
        assert schema_revision(engines[0]) == head_revision()
    finally:
        for engine in engines:
            engine.dispose()


def test_ping(store: JobStore) -> None:
    assert store.ping()


# Submit and read


def test_a_submitted_job_is_queued_and_readable_by_its_tenant_only(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    job = submit("north", time_limit_s=7.5)
    assert (job.status, job.attempts, job.time_limit_s) == ("queued", 0, 7.5)
    read = store.get("north", job.id)
    assert read is not None and read.problem == job.problem and read.solution is None
    assert store.get("south", job.id) is None
    assert store.get("north", "no-such-job") is None


def test_pages_are_per_tenant_newest_first(store: JobStore, submit: Callable[..., Job]) -> None:
    north = [submit("north", problem=f'{{"n": {i}}}') for i in range(5)]
    submit("south")
    first, total = store.page("north", limit=2, offset=0)
    rest, _ = store.page("north", limit=10, offset=2)
    assert total == 5
    assert [j.id for j in first + rest] == [j.id for j in reversed(north)]
    assert store.page("south", limit=10, offset=0)[1] == 1
    assert store.page("east", limit=10, offset=0) == ([], 0)


def test_queued_count_is_per_tenant_and_only_queued(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    for _ in range(3):
        submit("north")
    submit("south")
    store.claim("w", LEASE_S)
    assert (store.queued_count("north"), store.queued_count("south")) == (2, 1)


# Idempotency


def test_an_idempotency_key_replays_the_same_job(
    store: JobStore, keys: dict[str, int], submit: Callable[..., Job]
) -> None:
    first = submit(idempotency_key="k1")
    again, created = store.submit(
        tenant="north",
        key_id=keys["north"],
        problem=first.problem,
        request_hash=first.request_hash,
        time_limit_s=5.0,
        idempotency_key="k1",
    )
    assert (again.id, created) == (first.id, False)
    assert store.page("north", 10, 0)[1] == 1


def test_an_idempotency_key_reused_for_another_request_is_a_conflict(
    submit: Callable[..., Job],
) -> None:
    submit(problem='{"p": 1}', idempotency_key="k1")
    with pytest.raises(IdempotencyConflict):
        submit(problem='{"p": 2}', idempotency_key="k1")


def test_idempotency_keys_belong_to_their_tenant(submit: Callable[..., Job]) -> None:
    assert submit("north", idempotency_key="k1").id != submit("south", idempotency_key="k1").id


def test_requests_racing_with_one_idempotency_key_make_one_job(
    store: JobStore, keys: dict[str, int]
) -> None:
    barrier = threading.Barrier(THREADS)

    def submit() -> tuple[str, bool]:
        barrier.wait(timeout=10)
        job, created = store.submit(
            tenant="north",
            key_id=keys["north"],
            problem='{"p": 1}',
            request_hash="h",
            time_limit_s=5.0,
            idempotency_key="race",
        )
        return job.id, created

    with ThreadPoolExecutor(THREADS) as pool:
        results = [f.result(timeout=60) for f in [pool.submit(submit) for _ in range(THREADS)]]
    assert len({job_id for job_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert store.page("north", 10, 0)[1] == 1


# Claims


def test_a_claim_takes_the_oldest_queued_job_with_a_fresh_token_and_a_lease(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    jobs = [submit(problem=f'{{"n": {i}}}', time_limit_s=3.0 + i) for i in range(3)]
    before = now()
    claim = store.claim("service-a", LEASE_S)
    assert claim is not None
    assert (claim.job_id, claim.problem, claim.time_limit_s, claim.attempt) == (
        jobs[0].id,
        jobs[0].problem,
        3.0,
        1,
    )
    job = stored(store, claim.job_id)
    assert (job.status, job.claimed_by, job.claim_token, job.attempts) == (
        "running",
        "service-a",
        claim.token,
        1,
    )
    lease_until = as_utc(job.lease_until)
    assert (
        before + timedelta(seconds=LEASE_S - 1) < lease_until <= now() + timedelta(seconds=LEASE_S)
    )
    assert as_utc(job.started_at) >= before
    second = store.claim("service-b", LEASE_S)
    assert second.job_id == jobs[1].id and second.token != claim.token
    assert store.claim("service-a", LEASE_S).job_id == jobs[2].id
    assert store.claim("service-a", LEASE_S) is None


def test_concurrent_claimers_never_take_one_job_twice(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    jobs = {submit(problem=f'{{"n": {i}}}').id for i in range(50)}
    barrier = threading.Barrier(THREADS)

    def claim_until_empty(worker: str) -> list[Claim]:
        barrier.wait(timeout=10)
        claims = []
        while (claim := store.claim(worker, LEASE_S)) is not None:
            claims.append(claim)
        return claims

    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(claim_until_empty, f"w{i}") for i in range(THREADS)]
        claims = [claim for future in futures for claim in future.result(timeout=120)]
    assert sorted(c.job_id for c in claims) == sorted(jobs)
    assert len({c.token for c in claims}) == len(jobs)
    assert all(stored(store, job_id).attempts == 1 for job_id in jobs)
    assert store.counts()["running"] == len(jobs)


def test_renewal_extends_the_lease_and_records_progress(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    submit()
    claim = store.claim("w", 5.0)
    progress = JobProgress(stage="searching", elapsed_s=1.5, objective=10.0, bound=12.0)
    assert store.renew(claim, LEASE_S, progress) is True
    job = stored(store, claim.job_id)
    assert as_utc(job.lease_until) > now() + timedelta(seconds=LEASE_S - 5)
    assert (job.progress_stage, job.progress_elapsed_s, job.progress_objective) == (
        "searching",
        1.5,
        10.0,
    )
    assert job.progress_bound == 12.0


def test_success_and_failure_are_stored_under_the_claim(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    submit(problem='{"n": 1}')
    submit(problem='{"n": 2}')
    won, lost = store.claim("w", LEASE_S), store.claim("w", LEASE_S)
    done = JobProgress(stage="done", elapsed_s=2.0, objective=5.0, bound=5.0)
    assert store.succeed(won, '{"s": 1}', "optimal", done)
    assert store.fail(lost, "RuntimeError: " + "x" * 5000)
    solved, failed = stored(store, won.job_id), stored(store, lost.job_id)
    assert (solved.status, solved.solution, solved.solution_status) == (
        "succeeded",
        '{"s": 1}',
        "optimal",
    )
    assert solved.progress_stage == "done" and solved.lease_until is None
    assert solved.finished_at is not None
    assert failed.status == "failed" and len(failed.error) == 2000
    assert not store.succeed(won, '{"s": 2}', "optimal", None), "a finished job is final"
    assert stored(store, won.job_id).solution == '{"s": 1}'


def test_a_lost_claim_can_neither_renew_nor_finish(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    """A service killed mid-job comes back and re-runs it: the first run's answer is dropped."""
    submit()
    first = store.claim("service-a", LEASE_S)
    assert store.requeue_worker("service-a") == 1
    second = store.claim("service-a", LEASE_S)
    assert second.job_id == first.job_id and second.attempt == 2
    assert store.renew(first, LEASE_S) is None
    assert not store.succeed(first, '{"from": "first"}', "optimal", None)
    assert not store.fail(first, "late error")
    assert not store.cancelled(first)
    assert store.renew(second, LEASE_S) is True
    assert store.succeed(second, '{"from": "second"}', "feasible", None)
    job = stored(store, first.job_id)
    assert (job.status, job.solution, job.attempts) == ("succeeded", '{"from": "second"}', 2)


def test_only_expired_leases_go_back_to_the_queue(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    submit(problem='{"n": 1}')
    submit(problem='{"n": 2}')
    submit(problem='{"n": 3}')
    dead = store.claim("gone", -1.0)
    alive = store.claim("here", LEASE_S)
    assert store.requeue_expired() == 1
    requeued, running = stored(store, dead.job_id), stored(store, alive.job_id)
    assert (requeued.status, requeued.claimed_by, requeued.claim_token) == ("queued", None, None)
    assert requeued.lease_until is None and requeued.attempts == 1
    assert running.status == "running" and running.claim_token == alive.token
    assert store.requeue_expired() == 0
    assert store.claim("here", LEASE_S).job_id == dead.job_id, "the oldest job goes first"


def test_a_restarted_service_requeues_only_its_own_jobs(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    for i in range(3):
        submit(problem=f'{{"n": {i}}}')
    mine, theirs = store.claim("a", LEASE_S), store.claim("b", LEASE_S)
    store.succeed(store.claim("a", LEASE_S), "{}", "optimal", None)
    assert store.requeue_worker("a") == 1
    assert stored(store, mine.job_id).status == "queued"
    assert stored(store, theirs.job_id).status == "running"
    assert store.counts()["succeeded"] == 1


def test_cancelling_a_queued_job_ends_it_at_once(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    job = submit()
    assert store.cancel("south", job.id) is None, "another tenant's job cannot be cancelled"
    cancelled = store.cancel("north", job.id)
    assert cancelled.status == "cancelled" and cancelled.finished_at is not None
    assert store.claim("w", LEASE_S) is None


def test_cancelling_a_running_job_asks_its_worker_to_stop(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    job = submit()
    claim = store.claim("w", LEASE_S)
    asked = store.cancel("north", job.id)
    assert (asked.status, asked.cancel_requested) == ("running", True)
    assert store.renew(claim, LEASE_S) is False
    assert store.cancelled(claim)
    assert stored(store, job.id).status == "cancelled"
    assert store.cancel("north", job.id).status == "cancelled", "cancelling again changes nothing"


def test_cancelling_a_finished_job_changes_nothing(
    store: JobStore, submit: Callable[..., Job]
) -> None:
    job = submit()
    store.succeed(store.claim("w", LEASE_S), "{}", "optimal", None)
    assert store.cancel("north", job.id).status == "succeeded"
    assert not stored(store, job.id).cancel_requested


def test_counts_list_every_status(store: JobStore, submit: Callable[..., Job]) -> None:
    assert store.counts() == dict.fromkeys(JOB_STATUSES, 0)
    for i in range(5):
        submit(problem=f'{{"n": {i}}}')
    store.succeed(store.claim("w", LEASE_S), "{}", "optimal", None)
    store.fail(store.claim("w", LEASE_S), "boom")
    store.claim("w", LEASE_S)
    store.cancel("north", store.page("north", 1, 0)[0][0].id)
    assert store.counts() == {
        "queued": 1,
        "running": 1,
        "succeeded": 1,
        "failed": 1,
        "cancelled": 1,
    }


def test_jobs_outlive_the_engine_that_stored_them(
    database_url: str, engine: Engine, submit: Callable[..., Job]
) -> None:
    """What one service process stored, a restarted one reads."""
    job = submit()
    engine.dispose()
    again = make_engine(database_url)
    try:
        upgrade(again)
        assert JobStore(again).get("north", job.id).problem == job.problem
    finally:
        again.dispose()
