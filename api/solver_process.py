"""A long-lived solver process: takes one request at a time (a solve, an explanation or a
recommendation), reports progress, can be killed.

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

from models.problem import Problem
from models.solution import Solution, SolveStatus

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


@dataclass(frozen=True)
class ExplainRequest:
    """A problem and a solution of it as JSON, the roles and candidates to explain (none:
    every placement and empty role), and the time limit of all the what-if re-solves."""

    problem: str
    solution: str
    role_ids: tuple[str, ...]
    candidate_ids: tuple[str, ...]
    time_limit_s: float
    threads: int


@dataclass(frozen=True)
class RecommendRequest:
    """A problem as JSON, the role and how many candidates to recommend, the solution to
    compare with (None: solve the problem first), and the time limit of all the solves."""

    problem: str
    role_id: str
    top: int
    solution: str | None
    time_limit_s: float
    threads: int


SolverRequest = SolveRequest | ExplainRequest | RecommendRequest


def _exit_with_parent(parent_pid: int) -> None:
    """Exit once the service that started this process is gone (the process is re-parented)."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def _serve(requests: Connection, replies: Any, parent_pid: int) -> None:
    """The process's loop: answer each request, a solve sending its progress on the way."""
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    from matching.explain import ExplainError

    while True:
        try:
            request: SolverRequest = requests.recv()
        except EOFError:
            return
        try:
            if isinstance(request, ExplainRequest):
                replies.put(("answer", _explain(request)))
            elif isinstance(request, RecommendRequest):
                replies.put(("answer", _recommend(request)))
            else:
                replies.put(("solution", _solve(request, replies)))
        except ExplainError as exc:  # a question the engine refuses, e.g. an unknown id
            replies.put(("refused", str(exc)))
        except Exception as exc:  # an engine defect: report it, keep serving
            replies.put(("error", f"{type(exc).__name__}: {exc}"))


def _solve(request: SolveRequest, replies: Any) -> tuple[str, str]:
    """The solution as JSON and its status, with progress sent on the way."""
    from matching.solve import solve

    last = [0.0]

    def progress(p: Any) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S or p.stage.startswith("done"):
            last[0] = now
            replies.put(("progress", (p.stage, p.elapsed_s, p.objective, p.bound)))

    solution = solve(
        Problem.model_validate_json(request.problem),
        time_limit_s=request.time_limit_s,
        workers=request.threads,
        progress=progress,
    )
    return solution.model_dump_json(), solution.status.value


def _explain(request: ExplainRequest) -> str:
    """The Explanation as JSON."""
    from matching.explain import explain

    problem = Problem.model_validate_json(request.problem)
    solution = Solution.model_validate_json(request.solution)
    limit = request.time_limit_s
    if solution.status is SolveStatus.INFEASIBLE:
        limit /= 2  # half to find the conflicts again, half to relax them
        solution = _own_conflicts(problem, limit, request.threads)
    explanation = explain(
        problem,
        solution,
        role_ids=list(request.role_ids),
        candidate_ids=list(request.candidate_ids),
        time_limit_s=limit,
        workers=request.threads,
        total_time_s=limit,
    )
    return explanation.model_dump_json()


def _own_conflicts(problem: Problem, limit_s: float, threads: int) -> Solution:
    """The problem solved again, for its conflicts: those of a posted infeasible solution
    are not taken on trust, as only conflicts the engine found can be relaxed."""
    from matching.explain import ExplainError
    from matching.solve import solve

    solved = solve(problem, time_limit_s=limit_s, workers=threads)
    if solved.status is not SolveStatus.INFEASIBLE:
        raise ExplainError(
            f"the solution says the problem is infeasible, but solving it gives "
            f"{solved.status.value}: explain the solution that solve returns"
        )
    return solved


def _recommend(request: RecommendRequest) -> str:
    """The Recommendation as JSON, against the given solution or a fresh solve (which then
    takes half of the time limit, so that the whole answer keeps within it)."""
    from matching.recommend import recommend
    from matching.solve import solve

    problem = Problem.model_validate_json(request.problem)
    limit = request.time_limit_s
    if request.solution is not None:
        solution = Solution.model_validate_json(request.solution)
    else:
        limit /= 2
        solution = solve(problem, time_limit_s=limit, workers=request.threads)
    recommendation = recommend(
        problem,
        request.role_id,
        top=request.top,
        solution=solution,
        time_limit_s=limit,
        workers=request.threads,
        total_time_s=limit,
    )
    return recommendation.model_dump_json()


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

    def send(self, request: SolverRequest) -> None:
        """Start a request (a problem larger than the pipe's buffer waits until it is read).

        Raises:
            OSError: the process has died.
        """
        self.requests.send(request)

    def receive(self, timeout_s: float) -> tuple[str, Any] | None:
        """The next message (progress, solution, answer, refused or error), or None after
        `timeout_s`.

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
