"""A long-lived solver process: takes one problem at a time, reports progress, can be killed.

Solves run here, never on the service's event loop or threads: a crash or a kill -9 of the
solver cannot take the service down, and cancelling a solve is ending its process.
"""

import multiprocessing as mp
import queue
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

#: Progress snapshots are sent at most this often.
PROGRESS_EVERY_S = 0.5

_context = mp.get_context("spawn")


@dataclass(frozen=True)
class SolveRequest:
    """A problem as JSON and the solver limits."""

    problem: str
    time_limit_s: float
    threads: int


def _serve(requests: Any, replies: Any) -> None:
    """The process's loop: solve each request, sending progress and then the answer."""
    from matching.solve import solve
    from models.problem import Problem

    while True:
        request: SolveRequest | None = requests.get()
        if request is None:
            return
        last = [0.0]

        def progress(p: Any, last: list[float] = last) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY_S or p.stage.startswith("done"):
                last[0] = now
                replies.put(("progress", (p.stage, p.elapsed_s, p.objective, p.bound)))

        try:
            problem = Problem.model_validate_json(request.problem)
            solution = solve(
                problem,
                time_limit_s=request.time_limit_s,
                workers=request.threads,
                progress=progress,
            )
            replies.put(("solution", (solution.model_dump_json(), solution.status.value)))
        except Exception as exc:  # an engine defect: report it, keep serving
            replies.put(("error", f"{type(exc).__name__}: {exc}"))


class SolverProcess:
    """One solver process and its two queues; restarted after a kill."""

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        self.requests = _context.Queue()
        self.replies = _context.Queue()
        self.process: BaseProcess = _context.Process(
            target=_serve, args=(self.requests, self.replies), daemon=True
        )
        self.process.start()

    def send(self, request: SolveRequest) -> None:
        """Start a solve."""
        self.requests.put(request)

    def receive(self, timeout_s: float) -> tuple[str, Any] | None:
        """The next message (progress, solution or error), or None after `timeout_s`.

        A process that died mid-solve reports ("died", exit code).
        """
        try:
            return self.replies.get(timeout=timeout_s)
        except queue.Empty:
            if not self.process.is_alive():
                return ("died", self.process.exitcode)
            return None

    def restart(self) -> None:
        """End the process (cancelling its solve) and start a fresh one."""
        self.process.kill()
        self.process.join(timeout=10)
        self._start()

    def close(self) -> None:
        """Stop the process."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
