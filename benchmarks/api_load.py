"""Load check of the HTTP service on loopback: many small jobs from concurrent clients.

Starts `placement serve` on a free loopback port with its own store, creates a key, then
`--clients` threads submit `--jobs` small problems in all and poll them to the end. Every
solution is fetched and re-checked with `matching.verify`. Reports throughput and the p50/p99
latency of submitting (HTTP round trip of POST /v1/jobs) and of completion (submitted to
succeeded, from the service's own timestamps). Bounded: it stops at `--timeout` seconds.

    python -m benchmarks.api_load --jobs 200 --clients 20
"""

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from api.examples import EXAMPLE_PROBLEM
from benchmarks.records import git_revision
from matching.verify import verify
from models.problem import Problem
from models.solution import Solution

RESULTS = Path(__file__).parent / "results"
POLL_S = 0.05


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _problem(i: int) -> dict:
    """The example problem, its seed varied so that no two requests are the same."""
    return {**EXAMPLE_PROBLEM, "policy": {**EXAMPLE_PROBLEM["policy"], "seed": i}}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _wait_ready(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError("the service did not become ready")


class Client(threading.Thread):
    """Submits its share of jobs, then polls each to an end state."""

    def __init__(self, base: str, key: str, jobs: list[int], deadline: float) -> None:
        super().__init__(daemon=True)
        self.base, self.jobs, self.deadline = base, jobs, deadline
        self.headers = {"Authorization": f"Bearer {key}"}
        self.submit_s: list[float] = []
        self.ids: list[str] = []
        self.rejected = 0

    def run(self) -> None:
        with httpx.Client(base_url=self.base, headers=self.headers, timeout=30) as http:
            for i in self.jobs:
                started = time.perf_counter()
                response = http.post("/v1/jobs", json=_problem(i))
                self.submit_s.append(time.perf_counter() - started)
                if response.status_code == 202:
                    self.ids.append(response.json()["id"])
                else:
                    self.rejected += 1
            pending = list(self.ids)
            while pending and time.monotonic() < self.deadline:
                pending = [
                    j
                    for j in pending
                    if http.get(f"/v1/jobs/{j}").json()["status"]
                    not in ("succeeded", "failed", "cancelled")
                ]
                time.sleep(POLL_S)


def run(jobs: int, clients: int, timeout_s: float, solver_workers: int) -> dict:
    """Serve, load, check; the figures as a dict."""
    folder = Path(tempfile.mkdtemp(prefix="placement-load-"))
    port = _free_port()
    env = {
        **os.environ,
        "PLACEMENT_DATABASE_URL": f"sqlite:///{folder / 'store.db'}",
        "PLACEMENT_SOLVER_WORKERS": str(solver_workers),
        "PLACEMENT_QUEUE_DEPTH": str(jobs),
        "PLACEMENT_POLL_INTERVAL_S": "0.05",
    }
    placement = [sys.executable, "-m", "scenarios.cli"]
    created = subprocess.run(
        [
            *placement,
            "keys",
            "create",
            "--name",
            "load",
            "--tenant",
            "load",
            "--scopes",
            "submit,read",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    key = created.stdout.strip()
    service = subprocess.Popen(
        [*placement, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        _wait_ready(base, deadline)
        shares = [list(range(c, jobs, clients)) for c in range(clients)]
        threads = [Client(base, key, share, deadline) for share in shares]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        elapsed = time.perf_counter() - started
        return _check(base, key, threads, jobs, elapsed)
    finally:
        service.terminate()
        service.wait(timeout=30)


def _check(base: str, key: str, threads: list[Client], jobs: int, elapsed: float) -> dict:
    """Fetch every job and solution, verify, and compute the figures."""
    headers = {"Authorization": f"Bearer {key}"}
    ids = [j for t in threads for j in t.ids]
    completion, verified, failures = [], 0, []
    example = Problem.model_validate(EXAMPLE_PROBLEM)  # the seed does not change the rules
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        for job_id in ids:
            job = http.get(f"/v1/jobs/{job_id}").json()
            if job["status"] != "succeeded":
                failures.append(f"{job_id}: {job['status']}")
                continue
            created = datetime.fromisoformat(job["created_at"])
            finished = datetime.fromisoformat(job["finished_at"])
            completion.append((finished - created).total_seconds())
            solution = Solution.model_validate_json(http.get(f"/v1/jobs/{job_id}/solution").text)
            if not verify(example, solution):
                verified += 1
    submit = [s for t in threads for s in t.submit_s]
    return {
        "jobs": jobs,
        "clients": len(threads),
        "accepted": len(ids),
        "rejected": sum(t.rejected for t in threads),
        "succeeded": len(completion),
        "verified": verified,
        "lost_or_unfinished": failures,
        "elapsed_s": round(elapsed, 3),
        "throughput_jobs_per_s": round(len(completion) / elapsed, 2),
        "submit_p50_s": round(_percentile(submit, 0.5), 4),
        "submit_p99_s": round(_percentile(submit, 0.99), 4),
        "completion_p50_s": round(_percentile(completion, 0.5), 3) if completion else None,
        "completion_p99_s": round(_percentile(completion, 0.99), 3) if completion else None,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--solver-workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    figures = run(args.jobs, args.clients, args.timeout, args.solver_workers)
    record = {
        "benchmark": "api_load",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "python": platform.python_version(),
        "git_revision": git_revision(),
        "settings": vars(args),
        **figures,
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S%z")
    out = RESULTS / f"api_load_{stamp}.json"
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
