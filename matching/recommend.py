"""Recommended fit: the best candidates for one role (a vacancy that opens between rounds),
each pinned there with everyone else re-placed around them, exactly."""

from matching.explain import QUESTION_TIME_S, Explainer, ExplainError, points
from matching.solve import solve
from models.explanation import Recommendation
from models.problem import Problem
from models.solution import Solution

DEFAULT_TOP = 5


def recommend(
    problem: Problem,
    role_id: str,
    *,
    top: int = DEFAULT_TOP,
    solution: Solution | None = None,
    time_limit_s: float = QUESTION_TIME_S,
    workers: int | None = None,
    total_time_s: float | None = None,
) -> Recommendation:
    """The `top` candidates for the role by the objective with them in it, compared with
    `solution` (solved here when not given). `time_limit_s` bounds each re-solve,
    `total_time_s` all of them.

    Raises:
        ExplainError: for an unknown role, or a problem with no feasible placement.
    """
    if top < 1:
        raise ExplainError(f"top must be at least 1, not {top}")
    if solution is None:
        solution = solve(problem, workers=workers)
    if not solution.status.is_ok:
        raise ExplainError(
            f"the problem has no placement to compare with ({solution.status.value}); "
            "placement explain lists its conflicts and how to relax them"
        )
    e = Explainer(
        problem, solution, time_limit_s=time_limit_s, workers=workers, total_time_s=total_time_s
    )
    role = e.role_index(role_id)
    pairs = e.ctx.pairs_of_role(role)
    best, complete = e.best_pins(pairs, top)
    notices = e.notices()
    if pairs.size and not best and complete:
        notices.append(f"No eligible candidate can take {role_id} while every rule holds.")
    return Recommendation(
        role_id=role_id,
        objective=points(e.objective),
        candidates=best,
        eligible=int(pairs.size),
        notices=notices,
    )
