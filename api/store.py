"""The durable job store: submit, read, claim, renew, finish and recover jobs.

A worker claims a queued job with a lease and a fresh token. It renews the lease while it
solves; finishing, failing and renewing all require the token, so a run whose claim was lost
(its process was killed and the job re-queued) can never overwrite a later run's answer.
PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, so many services can share one store;
SQLite serialises claims with its write lock (BEGIN IMMEDIATE), for one machine.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from api.db import is_postgresql
from api.tables import JOB_STATUSES, Job

FINISHED = ("succeeded", "failed", "cancelled")


def now() -> datetime:
    """Aware UTC time, as every timestamp in the store."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were stored as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Claim:
    """A job a worker holds: what to solve and the token that proves the claim."""

    job_id: str
    token: str
    problem: str
    time_limit_s: float
    attempt: int


@dataclass(frozen=True)
class JobProgress:
    """What a running solve has reached, written with each lease renewal."""

    stage: str
    elapsed_s: float
    objective: float | None
    bound: float | None


def _progress(progress: JobProgress | None) -> dict[str, object]:
    """Progress as job columns (none if there is no news)."""
    if progress is None:
        return {}
    return {
        "progress_stage": progress.stage[:100],
        "progress_elapsed_s": progress.elapsed_s,
        "progress_objective": progress.objective,
        "progress_bound": progress.bound,
    }


class IdempotencyConflict(Exception):
    """The idempotency key was used before with a different request."""


class JobStore:
    """Jobs in a SQL database (SQLite by default, PostgreSQL by URL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.readers = sessionmaker(
            engine.execution_options(read_only=True), expire_on_commit=False
        )

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self.readers() as session, session.begin():
            yield session

    def ping(self) -> bool:
        """The database answers."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            return False

    def submit(
        self,
        *,
        tenant: str,
        key_id: int,
        problem: str,
        request_hash: str,
        time_limit_s: float,
        idempotency_key: str | None = None,
    ) -> tuple[Job, bool]:
        """Store a queued job; with an idempotency key seen before, return that job instead.

        Returns:
            The job and whether it was created now.

        Raises:
            IdempotencyConflict: the key was used before for a different request.
        """
        if idempotency_key is not None:
            earlier = self._by_idempotency_key(tenant, idempotency_key)
            if earlier is not None:
                return self._same_request(earlier, request_hash), False
        job = Job(
            id=uuid.uuid4().hex,
            tenant=tenant,
            key_id=key_id,
            status="queued",
            problem=problem,
            request_hash=request_hash,
            idempotency_key=idempotency_key,
            time_limit_s=time_limit_s,
            created_at=now(),
            attempts=0,
            cancel_requested=False,
        )
        try:
            with self._session() as session:
                session.add(job)
        except IntegrityError:
            # Two identical requests raced: the other one stored the job first.
            earlier = self._by_idempotency_key(tenant, idempotency_key or "")
            if earlier is None:
                raise
            return self._same_request(earlier, request_hash), False
        return job, True

    @staticmethod
    def _same_request(job: Job, request_hash: str) -> Job:
        if job.request_hash != request_hash:
            raise IdempotencyConflict(job.id)
        return job

    def _by_idempotency_key(self, tenant: str, key: str) -> Job | None:
        with self._reading() as session:
            query = select(Job).where(Job.tenant == tenant, Job.idempotency_key == key)
            return session.scalars(query).first()

    def get(self, tenant: str, job_id: str) -> Job | None:
        """The tenant's job, or None (another tenant's job is as good as absent)."""
        with self._reading() as session:
            job = session.get(Job, job_id)
            return job if job is not None and job.tenant == tenant else None

    def page(self, tenant: str, limit: int, offset: int) -> tuple[list[Job], int]:
        """The tenant's jobs, newest first, and how many there are in all."""
        with self._reading() as session:
            mine = select(Job).where(Job.tenant == tenant)
            total = session.scalar(select(func.count()).select_from(mine.subquery())) or 0
            query = mine.order_by(Job.created_at.desc(), Job.id).limit(limit).offset(offset)
            return list(session.scalars(query)), total

    def queued_count(self, tenant: str) -> int:
        """Jobs of the tenant waiting to run: the queue-depth limit counts these."""
        with self._reading() as session:
            query = select(func.count()).where(Job.tenant == tenant, Job.status == "queued")
            return session.scalar(query) or 0

    def cancel(self, tenant: str, job_id: str) -> Job | None:
        """Cancel a queued job at once; ask a running one to stop (its worker ends it)."""
        with self._session() as session:
            job = session.get(Job, job_id, with_for_update=is_postgresql(self.engine))
            if job is None or job.tenant != tenant:
                return None
            if job.status == "queued":
                job.status, job.finished_at = "cancelled", now()
            elif job.status == "running":
                job.cancel_requested = True
            return job

    def claim(self, worker: str, lease_s: float) -> Claim | None:
        """Take the oldest queued job, if any, for `lease_s` seconds."""
        with self._session() as session:
            query = (
                select(Job).where(Job.status == "queued").order_by(Job.created_at, Job.id).limit(1)
            )
            if is_postgresql(self.engine):
                query = query.with_for_update(skip_locked=True)
            job = session.scalars(query).first()
            if job is None:
                return None
            token = uuid.uuid4().hex
            job.status, job.claimed_by, job.claim_token = "running", worker, token
            job.lease_until = now() + timedelta(seconds=lease_s)
            job.started_at = job.started_at or now()
            job.attempts += 1
            return Claim(job.id, token, job.problem, job.time_limit_s, job.attempts)

    def _held(self, job_id: str, token: str):  # noqa: ANN202 (a SQLAlchemy update)
        return update(Job).where(
            Job.id == job_id, Job.claim_token == token, Job.status == "running"
        )

    def renew(
        self, claim: Claim, lease_s: float, progress: JobProgress | None = None
    ) -> bool | None:
        """Extend the lease and record progress.

        Returns:
            True to go on, False if cancellation was asked, None if the claim is lost.
        """
        values = {"lease_until": now() + timedelta(seconds=lease_s), **_progress(progress)}
        with self._session() as session:
            held = session.execute(self._held(claim.job_id, claim.token).values(**values))
            if held.rowcount == 0:
                return None
            cancel = session.scalar(select(Job.cancel_requested).where(Job.id == claim.job_id))
            return not cancel

    def succeed(
        self, claim: Claim, solution: str, solution_status: str, progress: JobProgress | None
    ) -> bool:
        """Store the answer, if the claim still holds (a lost claim's answer is dropped)."""
        return self._finish(
            claim,
            status="succeeded",
            solution=solution,
            solution_status=solution_status,
            **_progress(progress),
        )

    def fail(self, claim: Claim, error: str) -> bool:
        """Record a failure (an engine defect or a crash of the solver process)."""
        return self._finish(claim, status="failed", error=error[:2000])

    def cancelled(self, claim: Claim) -> bool:
        """Record that the worker stopped the job on request."""
        return self._finish(claim, status="cancelled")

    def _finish(self, claim: Claim, **values: object) -> bool:
        values |= {"finished_at": now(), "lease_until": None}
        with self._session() as session:
            held = session.execute(self._held(claim.job_id, claim.token).values(**values))
            return held.rowcount == 1

    def requeue_expired(self) -> int:
        """Running jobs whose lease ran out (their process died) go back to the queue."""
        with self._session() as session:
            expired = session.execute(
                update(Job)
                .where(Job.status == "running", Job.lease_until < now())
                .values(status="queued", claimed_by=None, claim_token=None, lease_until=None)
            )
            return expired.rowcount

    def requeue_worker(self, worker: str) -> int:
        """A restarted service re-queues what its previous life was running."""
        with self._session() as session:
            mine = session.execute(
                update(Job)
                .where(Job.status == "running", Job.claimed_by == worker)
                .values(status="queued", claimed_by=None, claim_token=None, lease_until=None)
            )
            return mine.rowcount

    def counts(self) -> dict[str, int]:
        """Jobs by status, every status listed."""
        with self._reading() as session:
            rows = session.execute(select(Job.status, func.count()).group_by(Job.status))
            found = dict(rows.all())
        return {status: int(found.get(status, 0)) for status in JOB_STATUSES}
