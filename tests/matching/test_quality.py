"""data_quality(): each warning exactly when its condition holds, with paths and counts."""

import re

from hypothesis import given

from matching.quality import MAX_LISTED_CANDIDATES, Finding, data_quality
from matching.solve import solve
from models.candidate import Candidate
from models.problem import Problem
from scenarios.generate import generate_problem
from tests.factories import (
    km_north,
    make_candidate,
    make_member,
    make_org,
    make_package,
    make_problem,
    make_role,
    pin,
    requirement,
)
from tests.strategies import problems

CODES = {
    "role_without_candidates",
    "must_fill_without_candidates",
    "candidate_without_roles",
    "pin_not_eligible",
    "pins_over_budget",
    "role_over_budget",
    "board_requirement_unreachable",
}
#: Findings that make the problem infeasible; solve() must agree.
INFEASIBLE_CODES = {
    "must_fill_without_candidates",
    "pin_not_eligible",
    "pins_over_budget",
    "board_requirement_unreachable",
}
DEMOGRAPHIC_WORDS = re.compile(r"\b(female|male|prefer_not_to_say|ethnic_minority|disabled|sex)\b")
FAR = km_north(200)


def of_code(problem: Problem, code: str) -> list[Finding]:
    """The findings of one check."""
    return [f for f in data_quality(problem) if f.code == code]


def unskilled(cand_id: str) -> Candidate:
    """A candidate at HOME below the default role's leadership 2 (fails H4)."""
    return make_candidate(cand_id, skills={"leadership": 1})


def far_away(cand_id: str) -> Candidate:
    """A qualified candidate 200 km away who will not relocate (fails H5)."""
    return make_candidate(cand_id, home=FAR)


def test_eligible_problem_has_no_findings() -> None:
    problem = make_problem([make_role("R1")], [make_candidate("C1")])
    assert data_quality(problem) == []


def test_role_without_candidates_counts_exclusions_by_rule() -> None:
    people = [unskilled(f"C{i}") for i in range(3)] + [far_away(f"F{i}") for i in range(2)]
    problem = make_problem([make_role("R1")], people)
    [finding] = of_code(problem, "role_without_candidates")
    assert finding.path == "roles[R1]"
    assert "none of the 5 candidates is eligible for role R1" in finding.message
    assert "3 below a required skill level (H4)" in finding.message
    assert "2 beyond commute and unwilling to relocate (H5)" in finding.message
    assert of_code(problem, "must_fill_without_candidates") == []


def test_role_with_one_eligible_candidate_is_not_reported() -> None:
    people = [unskilled("C0"), far_away("F0"), make_candidate("OK")]
    problem = make_problem([make_role("R1")], people)
    assert of_code(problem, "role_without_candidates") == []


def test_must_fill_without_candidates_says_infeasible() -> None:
    problem = make_problem([make_role("R1", must_fill=True)], [unskilled("C0"), far_away("F0")])
    [finding] = of_code(problem, "must_fill_without_candidates")
    assert finding.path == "roles[R1]"
    assert "must be filled" in finding.message
    assert "1 below a required skill level (H4)" in finding.message
    assert "1 beyond commute" in finding.message
    assert "infeasible" in finding.message
    assert of_code(problem, "role_without_candidates") == []


def test_must_fill_with_a_candidate_is_not_reported() -> None:
    problem = make_problem([make_role("R1", must_fill=True)], [make_candidate("C1")])
    assert of_code(problem, "must_fill_without_candidates") == []


def test_candidate_without_roles_named_one_by_one() -> None:
    people = [make_candidate("C1"), make_candidate("C2", kinds=["manager"])]
    problem = make_problem([make_role("R1")], people)
    [finding] = of_code(problem, "candidate_without_roles")
    assert finding.path == "candidates[C2]"
    assert finding.message == "candidate C2 is eligible for none of the 1 roles"


def test_candidate_with_a_role_is_not_reported() -> None:
    problem = make_problem([make_role("R1")], [make_candidate("C1"), make_candidate("C2")])
    assert of_code(problem, "candidate_without_roles") == []


def test_up_to_the_limit_each_idle_candidate_is_named() -> None:
    idle = [unskilled(f"C{i:02d}") for i in range(MAX_LISTED_CANDIDATES)]
    problem = make_problem([make_role("R1")], [make_candidate("OK"), *idle])
    findings = of_code(problem, "candidate_without_roles")
    assert [f.path for f in findings] == [f"candidates[{c.id}]" for c in idle]


def test_beyond_the_limit_idle_candidates_are_aggregated() -> None:
    idle = [unskilled(f"C{i:02d}") for i in range(MAX_LISTED_CANDIDATES + 1)]
    problem = make_problem([make_role("R1")], [make_candidate("OK"), *idle])
    [finding] = of_code(problem, "candidate_without_roles")
    assert finding.path == "candidates"
    assert finding.message.startswith("21 of 22 candidates are eligible for none of the 1 roles")
    assert "C19" in finding.message
    assert "C20" not in finding.message


def test_pin_not_eligible_names_the_rule() -> None:
    people = [make_candidate("C1"), unskilled("C2")]
    problem = make_problem(
        [make_role("R1"), make_role("R2")],
        people,
        pinned=[
            pin("C1", "R1"),
            pin("C2", "R2"),
        ],
    )
    [finding] = of_code(problem, "pin_not_eligible")
    assert finding.path == "pinned[1]"
    assert "(C2, R2)" in finding.message
    assert "leadership 1 < 2" in finding.message
    assert "H4" in finding.message
    assert "infeasible" in finding.message


def test_eligible_pin_is_not_reported() -> None:
    problem = make_problem([make_role("R1")], [make_candidate("C1")], pinned=[pin("C1", "R1")])
    assert of_code(problem, "pin_not_eligible") == []


def _priced(budget: int | None, pinned: bool = False, must_fill: bool = False) -> Problem:
    """One role whose only allowed package costs 5,000."""
    return make_problem(
        [make_role("R1", allowed_packages=["P1"], must_fill=must_fill)],
        [make_candidate("C1")],
        packages=[make_package("P1", 5000)],
        pinned=[pin("C1", "R1")] if pinned else [],
        budget=budget,
    )


def test_pins_over_budget() -> None:
    [finding] = of_code(_priced(1000, pinned=True), "pins_over_budget")
    assert finding.path == "policy.budget"
    assert "£5,000" in finding.message
    assert "£1,000" in finding.message
    assert "infeasible" in finding.message


def test_pins_within_budget_are_not_reported() -> None:
    assert of_code(_priced(5000, pinned=True), "pins_over_budget") == []
    assert of_code(_priced(None, pinned=True), "pins_over_budget") == []


def test_role_over_budget() -> None:
    [finding] = of_code(_priced(1000), "role_over_budget")
    assert finding.path == "roles[R1]"
    assert "1 eligible candidates" in finding.message
    assert "£5,000, over the £1,000 budget" in finding.message
    assert "cannot be filled" in finding.message
    [must] = of_code(_priced(1000, must_fill=True), "role_over_budget")
    assert "infeasible" in must.message


def test_role_within_budget_is_not_reported() -> None:
    assert of_code(_priced(5000), "role_over_budget") == []
    assert of_code(_priced(None), "role_over_budget") == []


def _board(level: int, min_members: int, skills: list[int], manager: bool = False) -> Problem:
    """O1 needs finance >= level; one existing member holds finance 4."""
    org = make_org(
        "O1",
        board=[make_member("M1", skills={"finance": 4})],
        board_requirements=[requirement("finance", level, min_members)],
    )
    roles = [make_role("R1"), make_role("R2", kind="manager" if manager else "executive")]
    people = [
        make_candidate(f"C{i}", skills={"leadership": 3, "finance": s})
        for i, s in enumerate(skills)
    ]
    return make_problem(roles, people, orgs=[org])


def test_board_requirement_unreachable_counts_members_and_roles() -> None:
    problem = _board(level=4, min_members=3, skills=[3, 2])
    [finding] = of_code(problem, "board_requirement_unreachable")
    assert finding.path == "organisations[O1].board_requirements[0]"
    assert "board of O1 needs 3 members with finance >= 4" in finding.message
    assert "1 of its 1 existing members qualify" in finding.message
    assert "0 of its 2 board-level roles" in finding.message
    assert "infeasible" in finding.message


def test_board_requirement_counts_roles_not_candidates() -> None:
    [finding] = of_code(
        _board(level=4, min_members=4, skills=[4, 4]), "board_requirement_unreachable"
    )
    assert "2 of its 2 board-level roles" in finding.message


def test_board_requirement_reachable_is_not_reported() -> None:
    assert (
        of_code(_board(level=4, min_members=3, skills=[4]), "board_requirement_unreachable") == []
    )
    assert (
        of_code(_board(level=3, min_members=2, skills=[3]), "board_requirement_unreachable") == []
    )


def test_board_requirement_ignores_manager_roles() -> None:
    problem = _board(level=4, min_members=3, skills=[4], manager=True)
    [finding] = of_code(problem, "board_requirement_unreachable")
    assert "1 of its 1 board-level roles" in finding.message


def test_generated_problem_has_no_infeasibility_findings() -> None:
    findings = data_quality(generate_problem("xs", seed=2))
    assert {f.code for f in findings}.isdisjoint(INFEASIBLE_CODES)
    assert not any("infeasible" in f.message for f in findings)


@given(problems())
def test_findings_are_well_formed_and_name_no_demographics(problem: Problem) -> None:
    roles = {r.id for r in problem.roles}
    cands = {c.id for c in problem.candidates}
    for finding in data_quality(problem):
        assert finding.code in CODES
        assert not DEMOGRAPHIC_WORDS.search(finding.message), finding.message
        kind, _, rest = finding.path.partition("[")
        record = rest.split("]")[0]
        assert {
            "roles": record in roles,
            "candidates": record in cands or finding.path == "candidates",
            "pinned": record.isdigit() and int(record) < len(problem.pinned),
            "policy.budget": problem.policy.budget is not None,
            "organisations": any(o.id == record for o in problem.organisations),
        }[kind]


@given(problems())
def test_infeasibility_findings_agree_with_solve(problem: Problem) -> None:
    if {f.code for f in data_quality(problem)} & INFEASIBLE_CODES:
        assert solve(problem, time_limit_s=5.0).status.value == "infeasible"
