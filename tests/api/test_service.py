"""`placement serve` as real processes: a job over HTTP, a service killed with SIGKILL mid-job
and restarted, and two services sharing one PostgreSQL store.

Each service runs in its own process group, killed whole at teardown, and every wait has a
deadline, so a failure never leaves a service behind or hangs the suite.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select

from api.runner import run_solve
from api.solver_process import SolveRequest, SolverProcess
from api.tables import Job
from matching.verify import verify
from models.problem import Problem
from models.solution import Solution
from scenarios.generate import generate_problem
from tests.api.postgres import fresh_database

PLACEMENT = Path(sys.executable).with_name("placement")
READY_TIMEOUT_S = 60
JOB_TIMEOUT_S = 90

pytestmark = pytest.mark.skipif(
    not PLACEMENT.exists() or not Path("/proc/self/stat").exists(),
    reason="needs the installed `placement` command and Linux /proc",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def service_env(database_url: str, **settings: str) -> dict[str, str]:
    """The test's environment without any PLACEMENT_* of its own, plus the service's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLACEMENT_")}
    env |= {
        "PLACEMENT_DATABASE_URL": database_url,
        "PLACEMENT_LEASE_S": "3",
        "PLACEMENT_POLL_INTERVAL_S": "0.1",
    }
    return env | {f"PLACEMENT_{name.upper()}": value for name, value in settings.items()}


def wait_for(check: Callable[[], object], timeout_s: float, what: str) -> object:
    """The first truthy value of `check`, polled until `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def children_of(pid: int) -> set[int]:
    """Processes whose parent is `pid` (from /proc: any thread may have started them)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _stat(int(entry.name))[1] == pid:
            found.add(int(entry.name))
    return found


def running(pid: int) -> bool:
    """The process exists and is not a zombie."""
    state, _ = _stat(pid)
    return state not in (None, "Z", "X")


def _stat(pid: int) -> tuple[str | None, int | None]:
    """State and parent pid of a process (None, None once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None, None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1])


class Service:
    """One `placement serve` process, restartable on its port with its environment."""

    def __init__(self, env: dict[str, str], log: Path, port: int | None = None) -> None:
        self.env, self.log, self.port = env, log, port or free_port()
        self.process: subprocess.Popen | None = None
        self.groups: list[int] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Service":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(PLACEMENT), "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.groups.append(self.process.pid)
        return self

    def wait_ready(self) -> "Service":
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the service exited:\n{self.log.read_text()[-3000:]}")
            try:
                return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(ready, READY_TIMEOUT_S, f"{self.url}/readyz")
        return self

    def kill_service_only(self) -> set[int]:
        """SIGKILL the service process alone, as a crash would; returns its former children."""
        children = children_of(self.process.pid)
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        return children

    def kill_all(self) -> None:
        """Teardown: every process group this service ever had, whatever is left of them."""
        for group in self.groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process is not None:
            self.process.wait(timeout=10)


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    started: list[Service] = []

    def start(env: dict[str, str], name: str = "service", port: int | None = None) -> Service:
        service = Service(env, tmp_path / f"{name}.log", port).start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.kill_all()


def create_key(env: dict[str, str]) -> str:
    """A key made the operator's way, with `placement keys create` on the same store."""
    created = subprocess.run(
        [str(PLACEMENT), "keys", "create", "--name", "tests", "--tenant", "north"]
        + ["--scopes", "submit,read"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return created.stdout.strip()


def client(service: Service, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=service.url, headers={"Authorization": f"Bearer {key}"}, timeout=30
    )


def with_time_limit(problem: Problem, seconds: float) -> Problem:
    policy = problem.policy.model_copy(update={"time_limit_s": seconds})
    return problem.model_copy(update={"policy": policy})


def submit(http: httpx.Client, problem: Problem) -> str:
    response = http.post(
        "/v1/jobs",
        content=problem.model_dump_json(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 202, response.text
    return response.json()["id"]


def finished(http: httpx.Client, job_id: str, timeout_s: float = JOB_TIMEOUT_S) -> dict:
    """The job once it has left the queue and its run for good."""

    def done() -> dict | None:
        job = http.get(f"/v1/jobs/{job_id}").json()
        return job if job["status"] in ("succeeded", "failed", "cancelled") else None

    return wait_for(done, timeout_s, f"job {job_id} to finish")


def solution_of(http: httpx.Client, job_id: str) -> Solution:
    response = http.get(f"/v1/jobs/{job_id}/solution")
    assert response.status_code == 200, response.text
    return Solution.model_validate_json(response.text)


def assert_verifies(problem: Problem, solution: Solution) -> None:
    assert solution.status.is_ok, solution.status
    assert verify(problem, solution) == []


@pytest.fixture(scope="module")
def sqlite_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, str]]:
    """One service on a SQLite file, and a key, shared by the tests that only submit jobs."""
    folder = tmp_path_factory.mktemp("sqlite-service")
    env = service_env(f"sqlite:///{folder / 'store.db'}")
    key = create_key(env)
    service = Service(env, folder / "service.log").start()
    try:
        yield service.wait_ready(), key
    finally:
        service.kill_all()


def test_a_job_submitted_over_http_is_solved_and_its_solution_verifies(
    sqlite_service: tuple[Service, str], tmp_path: Path
) -> None:
    service, key = sqlite_service
    problem = generate_problem("s", seed=3)
    with client(service, key) as http:
        job_id = submit(http, problem)
        job = finished(http, job_id)
        assert (job["status"], job["attempts"], job["solution_status"]) == (
            "succeeded",
            1,
            "optimal",
        )
        assert job["progress"]["stage"].startswith("done")
        assert job_id in [j["id"] for j in http.get("/v1/jobs").json()["items"]]
        response = http.get(f"/v1/jobs/{job_id}/solution")
    assert response.status_code == 200, response.text
    assert_verifies(problem, Solution.model_validate_json(response.text))
    (tmp_path / "problem.json").write_text(problem.model_dump_json())
    (tmp_path / "solution.json").write_text(response.text)
    checked = subprocess.run(
        [str(PLACEMENT), "verify", str(tmp_path / "problem.json"), str(tmp_path / "solution.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_job_stopped_by_its_time_limit_returns_its_best_solution_and_status(
    sqlite_service: tuple[Service, str],
) -> None:
    """This problem takes over 6 s to prove optimal on 2 cores, and finds its first placement
    after 2 s or more. Stopped at 5 s, the job succeeds with what it had, a feasible placement
    or none yet, and says which: it is neither failed nor ended as an overrun."""
    service, key = sqlite_service
    limit_s = 5
    problem = with_time_limit(generate_problem("m", seed=1), limit_s)
    with client(service, key) as http:
        job_id = submit(http, problem)
        job = finished(http, job_id)
        assert (job["status"], job["attempts"]) == ("succeeded", 1)
        assert job["solution_status"] in ("feasible", "timeout_no_solution")
        assert job["progress"]["elapsed_s"] <= limit_s + 2
        solution = solution_of(http, job_id)
    assert solution.status.value == job["solution_status"]
    if solution.status.is_ok:
        assert verify(problem, solution) == []


def test_a_solve_interrupted_by_an_error_does_not_leave_its_answer_to_the_next(
    tmp_path: Path,
) -> None:
    """A failing lease renewal (the database briefly gone) raises out of a solve: the slot
    goes back to the pool, so its process must not still be solving, or the next job on the
    slot would be handed the interrupted job's answer."""
    slot = SolverProcess()
    try:
        interrupted = generate_problem("s", seed=1)

        def renewal_fails() -> bool:
            raise ConnectionError("the store is unreachable")

        with pytest.raises(ConnectionError):
            request = SolveRequest(interrupted.model_dump_json(), 30, 1)
            run_solve(slot, request, should_stop=renewal_fails)
        following = generate_problem("xs", seed=2)
        outcome = run_solve(slot, SolveRequest(following.model_dump_json(), 30, 1))
        assert outcome.kind == "solution", outcome.error
        assert_verifies(following, Solution.model_validate_json(outcome.solution))
    finally:
        slot.close()


def test_a_solver_process_that_died_idle_fails_one_solve_and_is_replaced() -> None:
    slot = SolverProcess()
    try:
        slot.process.kill()
        slot.process.join(timeout=10)
        problem = generate_problem("xs", seed=2)
        request = SolveRequest(problem.model_dump_json(), 30, 1)
        assert run_solve(slot, request).kind == "error"
        outcome = run_solve(slot, request)
        assert outcome.kind == "solution", outcome.error
        assert_verifies(problem, Solution.model_validate_json(outcome.solution))
    finally:
        slot.close()


@pytest.mark.slow
def test_a_service_killed_mid_job_and_restarted_loses_no_job(
    services: Callable[..., Service], tmp_path: Path
) -> None:
    """kill -9 mid-solve: the solver processes go with the service, and its restart re-runs
    the running job (a second attempt) and then the one still queued."""
    database = tmp_path / "store.db"
    env = service_env(f"sqlite:///{database}")
    key = create_key(env)
    service = services(env).wait_ready()
    # Long enough to be killed mid-solve, and to finish on a loaded machine when re-run.
    long_problem = with_time_limit(generate_problem("m", seed=1), 25)
    short_problem = generate_problem("xs", seed=2)
    with client(service, key) as http:
        long_id = submit(http, long_problem)
        short_id = submit(http, short_problem)

        def solving() -> bool:
            job = http.get(f"/v1/jobs/{long_id}").json()
            return job["status"] == "running" and job["progress"]["stage"] is not None

        wait_for(solving, 60, "the long job's progress")
        assert http.get(f"/v1/jobs/{short_id}").json()["status"] == "queued"
    solvers = service.kill_service_only()
    assert solvers, "the service had solver processes"
    wait_for(
        lambda: not any(running(pid) for pid in solvers),
        10,
        "the killed service's solver processes to exit",
    )
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            left = connection.execute(select(Job.status, Job.attempts).where(Job.id == long_id))
            assert left.one() == ("running", 1), "the kill left the job claimed"
    finally:
        engine.dispose()

    restarted = services(env, name="restarted", port=service.port).wait_ready()
    with client(restarted, key) as http:
        long_job, short_job = finished(http, long_id), finished(http, short_id)
        assert (long_job["status"], long_job["attempts"]) == ("succeeded", 2)
        assert (short_job["status"], short_job["attempts"]) == ("succeeded", 1)
        assert_verifies(long_problem, solution_of(http, long_id))
        assert_verifies(short_problem, solution_of(http, short_id))


@pytest.mark.slow
def test_two_services_on_one_postgresql_solve_every_job_exactly_once(
    services: Callable[..., Service],
) -> None:
    with fresh_database() as database_url:
        pair = [
            services(service_env(database_url, service_name=name), name=name).start()
            for name in ("service-a", "service-b")
        ]
        for service in pair:
            service.wait_ready()
        key = create_key(service_env(database_url))
        problems = {}
        clients = [client(service, key) for service in pair]
        try:
            for i in range(20):
                problem = generate_problem("xs", seed=i)
                problems[submit(clients[i % 2], problem)] = problem
            for job_id in problems:
                assert finished(clients[0], job_id)["status"] == "succeeded"
            for i, (job_id, problem) in enumerate(problems.items()):
                assert_verifies(problem, solution_of(clients[i % 2], job_id))
        finally:
            for http in clients:
                http.close()
        engine = create_engine(database_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(select(Job.id, Job.attempts, Job.claimed_by)).all()
        finally:
            engine.dispose()
    assert sorted(row.id for row in rows) == sorted(problems)
    assert all(row.attempts == 1 for row in rows), "a job was claimed twice"
    assert {row.claimed_by for row in rows} == {"service-a", "service-b"}
