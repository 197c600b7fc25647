"""Run many solves at once: local processes on this machine, or Ray tasks on a cluster.

Each task carries the Problem as JSON and comes back as the Solution's JSON, so both
executors run the same code on the same bytes and give the same answers for the same seed.
"""

import os
import socket
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context

from matching.solve import solve
from models.problem import Problem
from models.solution import Solution

#: Ray's shared-memory object store for a Ray started for one run: solutions are small.
RAY_OBJECT_STORE_BYTES = 256 * 1024 * 1024
#: How long to wait for a cluster's head to accept a connection.
RAY_CONNECT_TIMEOUT_S = 10.0

#: Called with the task's index and its solution as each one finishes.
DoneFn = Callable[[int, Solution], None]


class ExecutorUnavailable(Exception):
    """The executor cannot run the batch (no Ray cluster there, too few CPUs for a task)."""


class SolveFailed(Exception):
    """A solve in the batch raised instead of returning a Solution (an engine defect)."""

    def __init__(self, label: str, cause: BaseException) -> None:
        super().__init__(f"{label}: {type(cause).__name__}: {cause}")
        self.label = label


@dataclass(frozen=True)
class SolveTask:
    """One solve: the Problem as JSON and the solver limits to use."""

    label: str
    problem_json: str
    time_limit_s: float | None = None
    workers: int | None = None


def solve_task(task: SolveTask) -> str:
    """Solve one task and return the Solution as JSON (runs in a worker process)."""
    problem = Problem.model_validate_json(task.problem_json)
    solution = solve(problem, time_limit_s=task.time_limit_s, workers=task.workers)
    return solution.model_dump_json()


def run_local(tasks: Sequence[SolveTask], jobs: int, on_done: DoneFn) -> list[Solution]:
    """Solve the tasks in up to `jobs` fresh processes of this machine."""
    results: list[Solution | None] = [None] * len(tasks)
    pool = ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("spawn"))
    try:
        futures = {pool.submit(solve_task, task): i for i, task in enumerate(tasks)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = Solution.model_validate_json(future.result())
            except Exception as exc:
                raise SolveFailed(tasks[i].label, exc) from exc
            on_done(i, results[i])
    finally:
        # On failure, solves not yet started are dropped rather than waited for.
        pool.shutdown(wait=True, cancel_futures=True)
    return [r for r in results if r is not None]


def _check_reachable(address: str) -> None:
    """Fail fast where nothing listens: Ray itself retries an absent cluster for minutes."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if address == "auto" or not sep or not port.isdigit():
        return
    try:
        socket.create_connection((host, int(port)), timeout=RAY_CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise ExecutorUnavailable(f"nothing answers at '{address}': {exc}") from None


def _start_ray(address: str | None, cpus_per_task: int) -> None:
    """A Ray for this run (with room for one task at least), or a connection to a cluster."""
    import ray

    import matching
    import models
    import scenarios

    quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR"}
    if address is None:
        cpus = max(os.cpu_count() or 1, cpus_per_task)
        ray.init(num_cpus=cpus, object_store_memory=RAY_OBJECT_STORE_BYTES, **quiet)
        return
    _check_reachable(address)
    # A cluster's nodes get this code with the job; they need only the dependencies.
    code = {"py_modules": [matching, models, scenarios]}
    try:
        ray.init(address=address, runtime_env=code, **quiet)
    except Exception as exc:
        raise ExecutorUnavailable(f"cannot reach a Ray cluster at '{address}': {exc}") from None
    largest = max(
        (n.get("Resources", {}).get("CPU", 0) for n in ray.nodes() if n["Alive"]), default=0
    )
    if largest < cpus_per_task:
        ray.shutdown()
        raise ExecutorUnavailable(
            f"no node of the cluster at '{address}' has {cpus_per_task} CPUs for one solve; "
            "lower --workers"
        )


def run_ray(
    tasks: Sequence[SolveTask],
    on_done: DoneFn,
    *,
    address: str | None = None,
    cpus_per_task: int = 1,
) -> list[Solution]:
    """Solve each task as a Ray task: on a Ray started for this run, or on `address`."""
    import ray

    _start_ray(address, cpus_per_task)
    try:
        remote = ray.remote(num_cpus=cpus_per_task)(solve_task)
        refs = {remote.remote(task): i for i, task in enumerate(tasks)}
        results: list[Solution | None] = [None] * len(tasks)
        pending = list(refs)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            i = refs[done[0]]
            try:
                results[i] = Solution.model_validate_json(ray.get(done[0]))
            except Exception as exc:
                raise SolveFailed(tasks[i].label, exc) from exc
            on_done(i, results[i])
    finally:
        ray.shutdown()
    return [r for r in results if r is not None]
