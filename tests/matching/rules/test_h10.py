"""H10: every pinned pair is placed (with its package if given); no forbidden pair is placed."""

import pytest
from pydantic import ValidationError

from tests.factories import make_candidate, make_package, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, placement, solve_infeasible, solve_optimal

TWO_CANDIDATES = [make_candidate("C1"), make_candidate("C2")]
SCORES = {("C1", "R1"): 5, ("C2", "R1"): 9}


def test_h10_pinned_pair_placed_over_better_candidate():
    """A pinned pair is placed even when another candidate scores higher."""
    problem = make_problem(
        [make_role("R1")], TWO_CANDIDATES, scores=SCORES, pinned=[pin("C1", "R1")]
    )
    solution = solve_optimal(problem)
    assert pairs(solution) == {("C1", "R1")}
    assert solution.objective == 5


def test_h10_pinned_negative_pair_placed():
    """A pinned pair is placed even when its score is negative."""
    problem = make_problem(
        [make_role("R1")], [make_candidate()], scores={("C1", "R1"): -7}, pinned=[pin("C1", "R1")]
    )
    assert solve_optimal(problem).objective == -7


def test_h10_pinned_package_used():
    """A pin that names a package is placed with that package."""
    packages = [make_package("none"), make_package("bonus", 1000)]
    problem = make_problem(
        [make_role("R1")], [make_candidate()], packages=packages, pinned=[pin("C1", "R1", "bonus")]
    )
    assert placement(solve_optimal(problem), "R1").package_id == "bonus"


def test_h10_forbidden_pair_never_placed():
    """A forbidden pair is not placed even when it is the best-scored pair."""
    problem = make_problem(
        [make_role("R1")], TWO_CANDIDATES, scores=SCORES, forbidden=[pin("C2", "R1")]
    )
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


def test_h10_forbidden_bans_pair_whatever_package():
    """A forbidden entry naming one package bans the pair with every package."""
    packages = [make_package("none"), make_package("bonus", 1000)]
    problem = make_problem(
        [make_role("R1")],
        [make_candidate()],
        packages=packages,
        forbidden=[pin("C1", "R1", "bonus")],
    )
    assert solve_optimal(problem).placements == []


def test_h10_pinned_and_forbidden_is_validation_error():
    """Pinning a forbidden pair is rejected when the Problem is built."""
    with pytest.raises(ValidationError):
        make_problem(
            [make_role("R1")],
            [make_candidate()],
            pinned=[pin("C1", "R1")],
            forbidden=[pin("C1", "R1")],
        )


def test_h10_unplaceable_pin_infeasible():
    """A pin that breaks an eligibility rule makes the problem infeasible, not dropped."""
    problem = make_problem(
        [make_role("R1", required_skills={"digital": 2})],
        TWO_CANDIDATES,
        pinned=[pin("C1", "R1")],
    )
    solve_infeasible(problem, "H4", "C1", "R1")
