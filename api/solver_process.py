"""A long-lived solver process: takes one problem at a time, reports progress, can be killed.

Solves run here, never on the service's event loop or threads: a crash or a kill -9 of the
solver cannot take the service down, and cancelling a solve is ending its process. A service
killed with SIGKILL cannot end its solver processes, so each one watches its parent and exits
when the parent is gone: an orphaned solve would only burn a core for an answer nobody can
store (the job's claim is lost and it is re-run by the restarted service).
"""

import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

#: Progress snapshots are sent at most this often.
PROGRESS_EVERY_S = 0.5
#: How often a solver process looks whether its service is still there.
PARENT_CHECK_S = 0.5

_context = mp.get_context("spawn")


@dataclass(frozen=True)
class SolveRequest:
    """A problem as JSON and the solver limits."""

    problem: str
    time_limit_s: float
    threads: int


def _exit_with_parent(parent_pid: int) -> None:
    """Exit once the service that started this process is gone (the process is re-parented)."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def _serve(requests: Connection, replies: Any, parent_pid: int) -> None:
    """The process's loop: solve each request, sending progress and then the answer."""
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    from matching.solve import solve
    from models.problem import Problem

    while True:
        try:
            request: SolveRequest = requests.recv()
        except EOFError:
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
    """One solver process, a pipe for its requests and a queue for its replies; restarted
    after a kill.

    Requests go down a pipe only the process reads, not a queue: a queue's feeder thread,
    caught writing a large problem to a process killed before it read it, would block for
    good and hold up the service's exit. A send to a dead process fails instead.
    """

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        reader, self.requests = _context.Pipe(duplex=False)
        self.replies = _context.Queue()
        self.process: BaseProcess = _context.Process(
            target=_serve, args=(reader, self.replies, os.getpid()), daemon=True
        )
        self.process.start()
        reader.close()

    def send(self, request: SolveRequest) -> None:
        """Start a solve (a problem larger than the pipe's buffer waits until it is read).

        Raises:
            OSError: the process has died.
        """
        self.requests.send(request)

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
        self.close()
        self._start()

    def close(self) -> None:
        """Stop the process."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
        self.requests.close()
