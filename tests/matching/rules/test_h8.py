"""H8: a role's band is at most one step above the candidate's; a step up needs accreditation."""

import pytest

from tests.factories import make_candidate, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal


def _problem(role_band: str | None, cand_band: str | None, **candidate_fields: object):
    role = make_role("R1", band=role_band)
    return make_problem([role], [make_candidate("C1", band=cand_band, **candidate_fields)])


@pytest.mark.parametrize(("role_band", "cand_band"), [("9", "9"), ("8a", "VSM"), ("8c", "8d")])
def test_h8_same_or_lower_band_placed(role_band, cand_band):
    """A role at or below the candidate's band is allowed."""
    assert pairs(solve_optimal(_problem(role_band, cand_band))) == {("C1", "R1")}


@pytest.mark.parametrize(("role_band", "cand_band"), [("8b", "8a"), ("9", "8d"), ("VSM", "9")])
def test_h8_one_step_up_with_accreditation_placed(role_band, cand_band):
    """An accredited candidate may step up one band."""
    problem = _problem(role_band, cand_band, accredited=True)
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


def test_h8_one_step_up_without_accreditation_never_placed():
    """A one-band step up is not given to a candidate without accreditation."""
    assert solve_optimal(_problem("9", "8d")).placements == []


def test_h8_two_steps_up_never_placed():
    """A two-band step up is never allowed, even for an accredited candidate."""
    assert solve_optimal(_problem("9", "8c", accredited=True)).placements == []


@pytest.mark.parametrize("role_band", [None, "NED"])
def test_h8_unbanded_role_sets_no_limit(role_band):
    """A role with no band (absent or NED) takes a candidate of any band."""
    assert pairs(solve_optimal(_problem(role_band, "8a"))) == {("C1", "R1")}


@pytest.mark.parametrize("cand_band", [None, "NED"])
def test_h8_unbanded_candidate_takes_only_unbanded_roles(cand_band):
    """A candidate with no band takes the unbanded NED seat, never the banded role."""
    roles = [make_role("R1", band="8a"), make_role("R2", "O2", kind="ned", band=None)]
    candidate = make_candidate("C1", band=cand_band, accredited=True, max_roles=2)
    assert pairs(solve_optimal(make_problem(roles, [candidate]))) == {("C1", "R2")}


def test_h8_pinned_two_steps_up_infeasible():
    """Pinning a two-band step up is an H8 conflict."""
    problem = make_problem(
        [make_role("R1", band="VSM")],
        [make_candidate("C1", band="8d", accredited=True)],
        pinned=[pin("C1", "R1")],
    )
    solve_infeasible(problem, "H8", "C1", "R1")


def test_h8_pinned_step_up_without_accreditation_infeasible():
    """Pinning a one-band step up for an unaccredited candidate is an H8 conflict."""
    problem = make_problem(
        [make_role("R1", band="VSM")], [make_candidate("C1")], pinned=[pin("C1", "R1")]
    )
    solve_infeasible(problem, "H8", "C1", "R1")
