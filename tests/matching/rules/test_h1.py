"""H1: each role has at most one placement; exactly one if must_fill."""

from tests.factories import make_candidate, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal, unfilled_ids


def test_h1_role_takes_the_better_of_two_candidates():
    """A role gets one placement, the better-scored candidate."""
    problem = make_problem(
        [make_role("R1")],
        [make_candidate("C1"), make_candidate("C2")],
        scores={("C1", "R1"): 5, ("C2", "R1"): 9},
    )
    solution = solve_optimal(problem)
    assert pairs(solution) == {("C2", "R1")}
    assert solution.objective == 9


def test_h1_two_pins_on_one_role_infeasible():
    """Two pins on one role cannot both hold: an H1 conflict naming the role."""
    problem = make_problem(
        [make_role("R1")],
        [make_candidate("C1"), make_candidate("C2")],
        pinned=[pin("C1", "R1"), pin("C2", "R1")],
    )
    solve_infeasible(problem, "H1", "R1")


def test_h1_must_fill_without_eligible_candidate_infeasible():
    """A must_fill role with no eligible candidate is an H1 conflict naming the role."""
    problem = make_problem(
        [make_role("R1", must_fill=True)], [make_candidate("C1", kinds=["manager"])]
    )
    solve_infeasible(problem, "H1", "R1")


def test_h1_must_fill_role_filled_despite_negative_score():
    """A must_fill role is filled even when its only pair scores below zero."""
    problem = make_problem(
        [make_role("R1", must_fill=True)], [make_candidate("C1")], scores={("C1", "R1"): -5}
    )
    solution = solve_optimal(problem)
    assert pairs(solution) == {("C1", "R1")}
    assert solution.objective == -5


def test_h1_negative_score_role_left_empty_with_reason():
    """A role whose only pair scores below zero is left empty, with a reason."""
    problem = make_problem([make_role("R1")], [make_candidate("C1")], scores={("C1", "R1"): -5})
    solution = solve_optimal(problem)
    assert solution.placements == []
    assert solution.objective == 0
    assert unfilled_ids(solution) == {"R1"}
    assert all(u.reason for u in solution.unfilled)
