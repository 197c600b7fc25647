"""H3: the role's kind is one of the candidate's kinds."""

import pytest

from tests.factories import make_candidate, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal, unfilled_ids


def test_h3_matching_kind_placed():
    """A candidate open only to NED roles takes a NED seat."""
    problem = make_problem(
        [make_role("R1", kind="ned", band=None)], [make_candidate("C1", kinds=["ned"])]
    )
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


@pytest.mark.parametrize("kind", ["chair", "manager"])
def test_h3_one_of_several_kinds_placed(kind):
    """A candidate open to several kinds takes a role of any of them."""
    role = make_role("R1", kind=kind, band=None if kind == "chair" else "9")
    problem = make_problem([role], [make_candidate("C1", kinds=["manager", "chair"])])
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


def test_h3_wrong_kind_never_placed():
    """An executive role is never given to a candidate open only to manager roles."""
    problem = make_problem([make_role("R1")], [make_candidate("C1", kinds=["manager"])])
    solution = solve_optimal(problem)
    assert solution.placements == []
    assert unfilled_ids(solution) == {"R1"}


def test_h3_pinned_wrong_kind_infeasible():
    """Pinning a candidate to a role of a kind they do not take is an H3 conflict."""
    problem = make_problem(
        [make_role("R1")], [make_candidate("C1", kinds=["manager"])], pinned=[pin("C1", "R1")]
    )
    solve_infeasible(problem, "H3", "C1", "R1")
