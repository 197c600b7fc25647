"""Store records as API views, and Solutions as a caller may see them."""

from api.keys import Caller
from api.schemas import JobProgressView, JobView
from api.store import as_utc
from api.tables import Job
from models.solution import Solution


def _gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return round(max(0.0, bound - objective) / max(1.0, abs(bound)), 6)


def job_view(job: Job) -> JobView:
    """A job's state and progress; never its problem (personal data stays in the store)."""
    return JobView(
        id=job.id,
        status=job.status,
        created_at=as_utc(job.created_at),
        started_at=as_utc(job.started_at),
        finished_at=as_utc(job.finished_at),
        attempts=job.attempts,
        cancel_requested=job.cancel_requested,
        progress=JobProgressView(
            stage=job.progress_stage,
            objective=job.progress_objective,
            bound=job.progress_bound,
            gap=_gap(job.progress_objective, job.progress_bound),
            elapsed_s=job.progress_elapsed_s,
        ),
        solution_status=job.solution_status,
        error=job.error,
    )


def solution_for(caller: Caller, solution_json: str) -> str:
    """The solution as stored, without the tie-break audit unless the key holds `audit`."""
    if "audit" in caller.scopes:
        return solution_json
    solution = Solution.model_validate_json(solution_json)
    return solution.model_copy(update={"tie_breaks": []}).model_dump_json()
