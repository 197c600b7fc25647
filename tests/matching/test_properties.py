"""Property tests: every answer verifies, tiny optima match brute force, backends agree."""

import itertools
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.solve import solve
from matching.verify import verify
from models.problem import Problem
from models.solution import Placement, Solution
from tests.factories import FIT_ONLY, haversine_km
from tests.strategies import NO_SIDE_CONSTRAINTS, TINY, Shape, problems

TIME_LIMIT_S = 5.0
TOLERANCE = 1e-6
ANSWERED = {"optimal", "feasible", "infeasible"}

Assignment = tuple[str | None, ...]
TIE_BREAK_WEIGHTS = FIT_ONLY.model_copy(update={"diversity": 10.0})


@dataclass(frozen=True)
class BruteForce:
    """Enumerates every role's candidate-or-empty and every package; `verify` is the judge."""

    problem: Problem

    def optimum(self) -> int | None:
        """Best total score of an assignment that verifies; None if none does."""
        options = [None, *(c.id for c in self.problem.candidates)]
        assignments = itertools.product(options, repeat=len(self.problem.roles))
        for assignment in sorted(assignments, key=self.total, reverse=True):
            if self.feasible(assignment):
                return self.total(assignment)
        return None

    def total(self, assignment: Assignment) -> int:
        """Sum of the scores of the placed pairs."""
        return sum(self.score(c, r) for c, r in self.chosen(assignment))

    def feasible(self, assignment: Assignment) -> bool:
        """Some choice of packages makes the assignment pass `verify`."""
        chosen = self.chosen(assignment)
        package_ids = [p.id for p in self.problem.effective_packages]
        for packages in itertools.product(package_ids, repeat=len(chosen)):
            pairs = zip(chosen, packages, strict=True)
            placements = [self.placement(c, r, p) for (c, r), p in pairs]
            candidate = Solution(
                status="feasible", objective=self.total(assignment), placements=placements
            )
            if not verify(self.problem, candidate):
                return True
        return False

    def chosen(self, assignment: Assignment) -> list[tuple[str, str]]:
        """(candidate, role) pairs of an assignment."""
        return [
            (c, r.id) for c, r in zip(assignment, self.problem.roles, strict=True) if c is not None
        ]

    def score(self, cand_id: str, role_id: str) -> int:
        """The pair's `scores` entry (tiny problems score every pair)."""
        (found,) = [
            s.score
            for s in self.problem.scores
            if s.candidate_id == cand_id and s.role_id == role_id
        ]
        return found

    def placement(self, cand_id: str, role_id: str, package_id: str) -> Placement:
        """A placement with the distance and relocation flag the design defines."""
        cand = next(c for c in self.problem.candidates if c.id == cand_id)
        role = next(r for r in self.problem.roles if r.id == role_id)
        org = next(o for o in self.problem.organisations if o.id == role.organisation_id)
        distance = haversine_km(cand.home, org.location)
        score = self.score(cand_id, role_id)
        return Placement(
            candidate_id=cand_id,
            role_id=role_id,
            package_id=package_id,
            score=score,
            breakdown={"fit": score},
            relocation=distance > cand.max_commute_km,
            distance_km=distance,
        )


def _assert_answer(problem: Problem, solution: Solution) -> None:
    assert solution.status in ANSWERED
    if solution.status == "infeasible":
        assert solution.conflicts
    else:
        assert verify(problem, solution) == []


@given(problems())
def test_every_solution_verifies_or_is_infeasible_with_conflicts(problem):
    """A random problem's answer is infeasible with conflicts, or breaks no hard rule."""
    _assert_answer(problem, solve(problem, time_limit_s=TIME_LIMIT_S))


@given(problems(TINY))
def test_tiny_optimum_matches_brute_force_and_pulp(problem):
    """On tiny fit-only problems the optimum equals brute force and the PuLP backend."""
    expected = BruteForce(problem).optimum()
    for backend in ("auto", "pulp"):
        solution = solve(problem, backend=backend, time_limit_s=TIME_LIMIT_S)
        _assert_answer(problem, solution)
        if expected is None:
            assert solution.status == "infeasible", backend
        else:
            assert solution.status == "optimal", backend
            assert solution.objective == pytest.approx(expected, abs=TOLERANCE), backend


@given(problems(NO_SIDE_CONSTRAINTS))
def test_flow_and_cpsat_agree_without_side_constraints(problem):
    """Without side constraints the flow and CP-SAT backends reach the same optimum."""
    flow = solve(problem, backend="flow", time_limit_s=TIME_LIMIT_S)
    cpsat = solve(problem, backend="cpsat", time_limit_s=TIME_LIMIT_S)
    _assert_answer(problem, flow)
    _assert_answer(problem, cpsat)
    assert flow.status in ("optimal", "infeasible")
    assert cpsat.status == flow.status
    if flow.status == "optimal":
        assert flow.objective == pytest.approx(cpsat.objective, abs=TOLERANCE)


def _tie_break_policy(problem: Problem, weights: object, tolerance: float) -> Problem:
    """The problem in tie_break mode with the given weights and merit tolerance."""
    update = {"diversity_mode": "tie_break", "weights": weights, "merit_tolerance": tolerance}
    return problem.model_copy(update={"policy": problem.policy.model_copy(update=update)})


@given(problems(Shape(fit_only=True)))
def test_fit_only_objective_is_sum_of_scores(problem):
    """With fit-only weights the objective is the sum of the placements' fit scores."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S)
    _assert_answer(problem, solution)
    if solution.status != "infeasible":
        total = sum(p.score for p in solution.placements)
        assert solution.objective == pytest.approx(total, abs=TOLERANCE)


@given(problems(Shape(fit_only=True)), st.sampled_from([0.0, 0.1]))
def test_tie_break_keeps_merit_within_tolerance(problem, tolerance):
    """The diversity tie-break never gives up more merit than merit_tolerance allows."""
    merit = solve(_tie_break_policy(problem, FIT_ONLY, 0.0), time_limit_s=TIME_LIMIT_S)
    staged_problem = _tie_break_policy(problem, TIE_BREAK_WEIGHTS, tolerance)
    staged = solve(staged_problem, time_limit_s=TIME_LIMIT_S)
    _assert_answer(staged_problem, staged)
    assert staged.status == merit.status
    if merit.status != "infeasible":
        floor = merit.objective - tolerance * abs(merit.objective)
        assert staged.objective >= floor - TOLERANCE
