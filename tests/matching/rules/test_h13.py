"""H13: each board requirement is met by existing members plus new board placements."""

from models.candidate import Candidate
from models.organisation import Organisation
from models.problem import Problem
from models.role import Role
from tests.factories import (
    make_candidate,
    make_member,
    make_org,
    make_problem,
    make_role,
    requirement,
)
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal

FINANCE_4 = requirement("finance", 4)


def _finance(cand_id: str, level: int) -> Candidate:
    return make_candidate(cand_id, skills={"leadership": 3, "finance": level})


def _problem(
    orgs: list[Organisation], roles: list[Role], scores: dict[str, int] | None = None
) -> Problem:
    """Candidates C3 (finance 3, score 10) and C4 (finance 4, score 5) for every role."""
    candidates = [_finance("C3", 3), _finance("C4", 4)]
    score_of = {"C3": 10, "C4": 5} | (scores or {})
    table = {(c.id, r.id): score_of[c.id] for c in candidates for r in roles}
    return make_problem(roles, candidates, orgs=orgs, scores=table)


def test_h13_requirement_decides_who_is_placed():
    """A board needing finance 4 takes the lower-scored candidate who has it."""
    problem = _problem([make_org("O1", board_requirements=[FINANCE_4])], [make_role("R1")])
    solution = solve_optimal(problem)
    assert pairs(solution) == {("C4", "R1")}
    assert solution.objective == 5


def test_h13_met_by_existing_members():
    """A requirement already met by an existing member leaves merit to decide."""
    member = make_member("B1", skills={"finance": 5})
    org = make_org("O1", board=[member], board_requirements=[FINANCE_4])
    assert pairs(solve_optimal(_problem([org], [make_role("R1")]))) == {("C3", "R1")}


def test_h13_forces_filling_a_negative_role():
    """Needing two finance members fills both seats, even one that scores below zero."""
    org = make_org("O1", board_requirements=[requirement("finance", 3, 2)])
    roles = [make_role("R1"), make_role("R2")]
    solution = solve_optimal(_problem([org], roles, scores={"C4": -3}))
    assert len(solution.placements) == 2
    assert solution.objective == 7


def test_h13_unmeetable_requirement_infeasible():
    """Two members needed but one board seat and no existing members is an H13 conflict."""
    org = make_org("O1", board_requirements=[requirement("finance", 3, 2)])
    solve_infeasible(_problem([org], [make_role("R1")]), "H13", "O1")


def test_h13_no_candidate_with_skill_infeasible():
    """A requirement no candidate or member can meet is an H13 conflict."""
    org = make_org("O1", board_requirements=[requirement("digital", 1)])
    solve_infeasible(_problem([org], [make_role("R1")]), "H13", "O1")


def test_h13_manager_placement_does_not_count():
    """A placement into a manager (non-board) role does not count towards the board."""
    org = make_org("O1", board_requirements=[FINANCE_4])
    manager = make_role("R1", kind="manager")
    solve_infeasible(_problem([org], [manager]), "H13", "O1")


def test_h13_organisation_without_roles_must_already_comply():
    """An organisation with no vacancy whose members miss a requirement is an H13 conflict."""
    orgs = [make_org("O1"), make_org("O2", board_requirements=[FINANCE_4])]
    solve_infeasible(_problem(orgs, [make_role("R1")]), "H13", "O2")


def test_h13_one_person_is_one_member():
    """One qualified NED cannot take two seats of one board (H2) to meet a two-member need."""
    org = make_org("O1", board_requirements=[requirement("finance", 4, 2)])
    seats = [make_role(f"R{i}", kind="ned", band=None) for i in range(2)]
    candidate = make_candidate("C1", skills={"leadership": 3, "finance": 4}, max_roles=2)
    solve_infeasible(make_problem(seats, [candidate], orgs=[org]), "H13", "O1")


def test_h13_member_exactly_at_level_counts():
    """An existing member exactly at the required level meets the requirement."""
    member = make_member("B1", skills={"finance": 4})
    org = make_org("O1", board=[member], board_requirements=[FINANCE_4])
    assert pairs(solve_optimal(_problem([org], [make_role(kind="manager")]))) == {("C3", "R1")}
