"""H4: the candidate holds every required skill at the required level (missing = 0)."""

from tests.factories import make_candidate, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal


def test_h4_skill_above_level_placed():
    """A candidate above every required level is placed."""
    problem = make_problem([make_role("R1", required_skills={"finance": 2})], [make_candidate()])
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


def test_h4_skill_at_exact_level_placed():
    """A skill exactly at the required level meets it."""
    role = make_role("R1", required_skills={"finance": 3, "leadership": 3})
    problem = make_problem([role], [make_candidate()])
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


def test_h4_level_zero_requirement_met_by_missing_skill():
    """A level 0 requirement is met by a candidate who lacks the skill."""
    problem = make_problem([make_role("R1", required_skills={"digital": 0})], [make_candidate()])
    assert pairs(solve_optimal(problem)) == {("C1", "R1")}


def test_h4_missing_skill_never_placed():
    """A missing skill counts as level 0, so a level 1 requirement excludes the pair."""
    problem = make_problem([make_role("R1", required_skills={"digital": 1})], [make_candidate()])
    assert solve_optimal(problem).placements == []


def test_h4_skill_below_level_never_placed():
    """A candidate one level short is not placed; the qualified one is."""
    role = make_role("R1", required_skills={"finance": 4})
    problem = make_problem(
        [role],
        [make_candidate("C1"), make_candidate("C2", skills={"finance": 4, "leadership": 3})],
        scores={("C1", "R1"): 50, ("C2", "R1"): 1},
    )
    assert pairs(solve_optimal(problem)) == {("C2", "R1")}


def test_h4_pinned_below_level_infeasible():
    """Pinning a candidate below a required level is an H4 conflict."""
    problem = make_problem(
        [make_role("R1", required_skills={"finance": 4})],
        [make_candidate("C1")],
        pinned=[pin("C1", "R1")],
    )
    solve_infeasible(problem, "H4", "C1", "R1")
