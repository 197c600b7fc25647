"""H6: no conflicted organisation; no NED or chair seat at the current organisation."""

import pytest

from models.role import Role
from tests.factories import make_candidate, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal


def _seat(kind: str, org_id: str = "O1") -> Role:
    return make_role("R1", org_id, kind=kind, band=None if kind in ("ned", "chair") else "9")


@pytest.mark.parametrize("kind", ["ned", "chair"])
def test_h6_board_seat_at_other_organisation_placed(kind):
    """A NED or chair seat at an organisation other than the current one is allowed."""
    problem = make_problem([_seat(kind, "O2")], [make_candidate(current_organisation_id="O1")])
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


def test_h6_executive_at_current_organisation_placed():
    """An executive role at the candidate's current organisation is allowed."""
    problem = make_problem([_seat("executive")], [make_candidate(current_organisation_id="O1")])
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


@pytest.mark.parametrize("kind", ["ned", "chair"])
def test_h6_board_seat_at_current_organisation_never_placed(kind):
    """A NED or chair seat is never given at the candidate's current organisation."""
    problem = make_problem([_seat(kind)], [make_candidate(current_organisation_id="O1")])
    assert solve_optimal(problem).placements == []


@pytest.mark.parametrize("kind", ["executive", "manager", "ned"])
def test_h6_conflicted_organisation_never_placed(kind):
    """No role of any kind is given at an organisation the candidate is conflicted with."""
    problem = make_problem([_seat(kind)], [make_candidate(conflicts=["O1"])])
    assert solve_optimal(problem).placements == []


def test_h6_pinned_conflict_infeasible():
    """Pinning a candidate at a conflicted organisation is an H6 conflict."""
    problem = make_problem(
        [_seat("executive")], [make_candidate(conflicts=["O1"])], pinned=[pin("C1", "R1")]
    )
    solve_infeasible(problem, "H6", "C1", "R1")


def test_h6_pinned_ned_at_current_organisation_infeasible():
    """Pinning a NED seat at the candidate's current organisation is an H6 conflict."""
    problem = make_problem(
        [_seat("ned")], [make_candidate(current_organisation_id="O1")], pinned=[pin("C1", "R1")]
    )
    solve_infeasible(problem, "H6", "C1", "R1")


def test_h6_conflicted_pair_failing_another_rule_never_placed():
    """A conflicted pair that also breaks H8 is simply excluded (no error)."""
    role = make_role("R1", band="VSM")
    problem = make_problem([role], [make_candidate(conflicts=["O1"])])
    assert solve_optimal(problem).placements == []
