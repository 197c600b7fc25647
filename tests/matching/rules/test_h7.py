"""H7: board-level roles need a candidate who is fit and proper."""

import pytest

from models.candidate import Candidate
from models.role import Role
from tests.factories import make_candidate, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal

BOARD_KINDS = ["executive", "ned", "chair"]


def _board_role(kind: str) -> Role:
    return make_role("R1", kind=kind, band=None if kind in ("ned", "chair") else "9")


@pytest.mark.parametrize("kind", BOARD_KINDS)
def test_h7_fit_and_proper_board_role_placed(kind):
    """A fit and proper candidate takes a board-level role."""
    problem = make_problem([_board_role(kind)], [make_candidate()])
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


@pytest.mark.parametrize("kind", BOARD_KINDS)
def test_h7_not_fit_and_proper_never_placed_on_board(kind):
    """A candidate who is not fit and proper never takes a board-level role."""
    problem = make_problem([_board_role(kind)], [make_candidate(fit_and_proper=False)])
    assert solve_optimal(problem).placements == []


def test_h7_absent_fit_and_proper_means_false():
    """A candidate with no fit_and_proper field is treated as not fit and proper."""
    fields = make_candidate().model_dump(exclude={"fit_and_proper"}, exclude_unset=True)
    problem = make_problem([_board_role("executive")], [Candidate.model_validate(fields)])
    assert solve_optimal(problem).placements == []


def test_h7_manager_role_needs_no_check():
    """A manager role is not board level: a candidate not fit and proper takes it."""
    problem = make_problem([make_role(kind="manager")], [make_candidate(fit_and_proper=False)])
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


def test_h7_explicit_non_board_executive_needs_no_check():
    """An executive role marked board_level false takes a candidate not fit and proper."""
    problem = make_problem([make_role(board_level=False)], [make_candidate(fit_and_proper=False)])
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


def test_h7_pinned_not_fit_and_proper_infeasible():
    """Pinning a candidate who is not fit and proper to a board role is an H7 conflict."""
    problem = make_problem(
        [_board_role("ned")], [make_candidate(fit_and_proper=False)], pinned=[pin("C1", "R1")]
    )
    solve_infeasible(problem, "H7", "C1", "R1")


def test_h7_explicit_board_manager_needs_check():
    """A manager role marked board_level true needs a fit and proper candidate."""
    role = make_role(kind="manager", board_level=True)
    problem = make_problem([role], [make_candidate(fit_and_proper=False)])
    assert solve_optimal(problem).placements == []
