"""Solve-and-check helpers shared by the rule tests."""

from matching.solve import solve
from matching.verify import verify
from models.problem import Problem
from models.solution import Conflict, Placement, Solution

TIME_LIMIT_S = 10.0


def solve_optimal(problem: Problem, **kwargs: object) -> Solution:
    """Solve a small problem, which must be proven optimal and pass `verify`."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S, **kwargs)
    assert solution.status == "optimal", f"{solution.status}: {solution.conflicts}"
    assert verify(problem, solution) == []
    return solution


def solve_infeasible(problem: Problem, rule: str, *record_ids: str) -> Conflict:
    """Solve a problem that must be infeasible with a `rule` conflict naming `record_ids`."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S)
    assert solution.status == "infeasible", f"{solution.status}: {solution.placements}"
    named = [c for c in solution.conflicts if c.rule == rule and set(record_ids) <= set(c.records)]
    assert named, f"no {rule} conflict naming {record_ids}: {solution.conflicts}"
    return named[0]


def pairs(solution: Solution) -> set[tuple[str, str]]:
    """The placed (candidate, role) pairs."""
    return {(p.candidate_id, p.role_id) for p in solution.placements}


def placement(solution: Solution, role_id: str) -> Placement:
    """The single placement into `role_id`."""
    (found,) = [p for p in solution.placements if p.role_id == role_id]
    return found


def unfilled_ids(solution: Solution) -> set[str]:
    """Ids of the roles reported unfilled."""
    return {u.role_id for u in solution.unfilled}
