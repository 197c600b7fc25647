"""Solver slots and the job runner: queued jobs are claimed and solved in solver processes.

Each service runs a bounded pool of solver processes. Sync solves borrow a free slot; the
runner claims a queued job whenever a slot is free, renews its lease while it solves, stops
it when cancellation is asked, and stores the answer under its claim.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from api.settings import Settings
from api.solver_process import SolveRequest, SolverProcess, SolverRequest
from api.store import Claim, JobProgress, JobStore

log = logging.getLogger("placement.runner")

#: A solve still running this long after its time limit (plus the grace) is ended.
OVERRUN_GRACE_S = 60.0
TICK_S = 0.25


@dataclass(frozen=True)
class Outcome:
    """How a request ended: solution (JSON and status), answer (an explanation or a
    recommendation as JSON), refused (the engine's reason), error, or cancelled."""

    kind: str
    solution: str | None = None
    status: str | None = None
    answer: str | None = None
    error: str | None = None


class SolverPool:
    """A fixed number of solver processes, each lent to one solve at a time."""

    def __init__(self, size: int) -> None:
        self.slots = [SolverProcess() for _ in range(size)]
        self.released = threading.Event()
        self.free: queue.Queue[SolverProcess] = queue.Queue()
        for slot in self.slots:
            self.free.put(slot)

    def acquire(self, timeout_s: float | None) -> SolverProcess | None:
        """A free slot with a live process, waiting up to `timeout_s` (0: only if one is free
        now); a process that died while idle is replaced first, so no solve fails for it."""
        try:
            slot = self.free.get(block=bool(timeout_s), timeout=timeout_s or None)
        except queue.Empty:
            return None
        if not slot.process.is_alive():
            slot.restart()
        return slot

    def release(self, slot: SolverProcess) -> None:
        """Give a slot back, and tell whoever waits for one."""
        self.free.put(slot)
        self.released.set()

    def heal(self) -> None:
        """Replace idle solver processes that died, so readiness recovers on its own."""
        idle = list(iter(lambda: self.acquire(0), None))
        for slot in idle:
            self.free.put(slot)

    def alive(self) -> bool:
        """Every solver process is running."""
        return all(slot.process.is_alive() for slot in self.slots)

    def close(self) -> None:
        """End every solver process."""
        for slot in self.slots:
            slot.close()


def run_solve(
    slot: SolverProcess,
    request: SolverRequest,
    on_progress: Callable[[JobProgress], None] = lambda _: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> Outcome:
    """Run a request (a solve, or the re-solves of an explanation or a recommendation) on
    `slot` until an answer, a refusal, an error, a stop request or an overrun.

    If a callback raises, the solve is ended before the exception goes on: the caller gives
    the slot back, and a process still solving would hand its answer to the slot's next job.
    """
    try:
        slot.send(request)
    except OSError:
        slot.restart()
        return Outcome("error", error="the solver process ended before it took the problem")
    try:
        return _follow(slot, request, on_progress, should_stop)
    except BaseException:
        slot.restart()
        raise


def _follow(
    slot: SolverProcess,
    request: SolverRequest,
    on_progress: Callable[[JobProgress], None],
    should_stop: Callable[[], bool],
) -> Outcome:
    deadline = time.monotonic() + request.time_limit_s + OVERRUN_GRACE_S
    while True:
        message = slot.receive(TICK_S)
        # Asked after every message too: a stop is seen within a tick, however often it reports.
        if should_stop():
            slot.restart()
            return Outcome("cancelled")
        if time.monotonic() > deadline:
            slot.restart()
            return Outcome("error", error="the solver overran its time limit and was ended")
        if message is None:
            continue
        kind, body = message
        if kind == "progress":
            on_progress(JobProgress(*body))
        elif kind == "solution":
            return Outcome("solution", solution=body[0], status=body[1])
        elif kind == "answer":
            return Outcome("answer", answer=body)
        elif kind == "refused":
            return Outcome("refused", error=body)
        elif kind == "error":
            return Outcome("error", error=body)
        else:
            slot.restart()
            return Outcome("error", error=f"the solver process ended (exit code {body})")


class Heartbeat(threading.Thread):
    """Renews a job's lease on its own clock, whatever the solve is doing (a solver still
    starting up, a large problem still being sent), and records progress with it.

    `stop_asked` is set when cancellation is asked or the claim was lost.
    """

    def __init__(self, store: JobStore, claim: Claim, lease_s: float) -> None:
        super().__init__(name=f"lease-{claim.job_id}", daemon=True)
        self.store, self.claim, self.lease_s = store, claim, lease_s
        self.latest: JobProgress | None = None
        self.lost = False
        self.stop_asked = threading.Event()
        self.done = threading.Event()

    def record(self, progress: JobProgress) -> None:
        """The solve's newest progress, written with the next renewal."""
        self.latest = progress

    def finish(self) -> None:
        """The solve is over: stop renewing."""
        self.done.set()
        self.join(timeout=10)

    def run(self) -> None:
        while not self.done.wait(min(1.0, self.lease_s / 3)):
            try:
                verdict = self.store.renew(self.claim, self.lease_s, self.latest)
            except Exception:
                # A store briefly out of reach should not end the solve: if the lease runs
                # out meanwhile, the job is re-run elsewhere and this answer is dropped.
                log.exception("could not renew the lease of job %s", self.claim.job_id)
                continue
            if not verdict:
                self.lost = verdict is None
                self.stop_asked.set()
                return


class JobRunner:
    """Claims queued jobs while solver slots are free, and sees each to an end state."""

    def __init__(
        self,
        store: JobStore,
        pool: SolverPool,
        settings: Settings,
        worker_id: str,
        on_solved: Callable[[float], None] = lambda _: None,
    ) -> None:
        self.store, self.pool, self.settings = store, pool, settings
        self.worker_id = worker_id
        self.on_solved = on_solved
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.dispatcher = threading.Thread(target=self._dispatch, name="job-dispatch", daemon=True)

    def start(self) -> None:
        """Take back what this service was running before a restart, then start claiming."""
        requeued = self.store.requeue_worker(self.worker_id)
        if requeued:
            log.warning("re-queued %d job(s) this service was running when it stopped", requeued)
        self.dispatcher.start()

    def stop(self) -> None:
        """Stop claiming; running solves are ended and their jobs re-queued by lease expiry."""
        self.stopping.set()
        self.pool.released.set()
        self.dispatcher.join(timeout=10)
        for thread in self.threads:
            thread.join(timeout=10)
        self.store.requeue_worker(self.worker_id)

    def alive(self) -> bool:
        """The dispatcher is claiming and the solver processes are up."""
        return self.dispatcher.is_alive() and self.pool.alive()

    def wake(self) -> None:
        """Look for queued jobs now (a job was submitted here), not at the next poll."""
        self.pool.released.set()

    def _dispatch(self) -> None:
        while not self.stopping.is_set():
            self.pool.released.clear()
            try:
                self.pool.heal()
                self.store.requeue_expired()
                self._claim_while_free()
            except Exception:
                log.exception("job dispatch failed; retrying")
            # A freed slot or a new job wakes the dispatcher before the poll interval is up.
            self.pool.released.wait(self.settings.poll_interval_s)

    def _claim_while_free(self) -> None:
        while not self.stopping.is_set():
            slot = self.pool.acquire(0)
            if slot is None:
                return
            claim = self.store.claim(self.worker_id, self.settings.lease_s)
            if claim is None:
                self.pool.release(slot)
                return
            thread = threading.Thread(target=self._run, args=(claim, slot), daemon=True)
            self.threads = [t for t in self.threads if t.is_alive()] + [thread]
            thread.start()

    def _run(self, claim: Claim, slot: SolverProcess) -> None:
        started = time.monotonic()
        heartbeat = Heartbeat(self.store, claim, self.settings.lease_s)
        heartbeat.start()

        def should_stop() -> bool:
            return self.stopping.is_set() or heartbeat.stop_asked.is_set()

        try:
            request = SolveRequest(claim.problem, claim.time_limit_s, self.settings.solver_threads)
            outcome = run_solve(slot, request, heartbeat.record, should_stop)
        finally:
            heartbeat.finish()
            self.pool.release(slot)
        self._record(claim, outcome, heartbeat, time.monotonic() - started)

    def _record(
        self, claim: Claim, outcome: Outcome, heartbeat: "Heartbeat", seconds: float
    ) -> None:
        if outcome.kind == "solution":
            self.store.succeed(
                claim, outcome.solution or "", outcome.status or "", heartbeat.latest
            )
            self.on_solved(seconds)
        elif outcome.kind == "error":
            self.store.fail(claim, outcome.error or "unknown error")
        elif not heartbeat.lost and not self.stopping.is_set():
            self.store.cancelled(claim)
