"""H12: hard diversity targets hold in every scope unit that receives a new placement."""

import pytest

from models.candidate import Candidate
from models.organisation import Organisation
from models.pairs import PairRef
from models.policy import DiversityTarget
from models.problem import Problem
from tests.factories import (
    make_candidate,
    make_member,
    make_org,
    make_problem,
    make_role,
    pin,
    target,
)
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal

FEMALE = {"sex": "female"}
MALE = {"sex": "male"}


def _person(cand_id: str, demographics: dict | None, score: int = 10) -> tuple[Candidate, int]:
    return make_candidate(cand_id, demographics=demographics), score


def _problem(
    people: list[tuple[Candidate, int]],
    targets: list[DiversityTarget],
    *,
    orgs: list[Organisation] | None = None,
    n_roles: int = 2,
    pinned: list[PairRef] | None = None,
    mode: str = "targets",
) -> Problem:
    """`n_roles` executive roles spread over `orgs` (default O1) and scored `people`."""
    org_ids = [o.id for o in orgs] if orgs else ["O1"]
    roles = [make_role(f"R{i}", org_ids[i % len(org_ids)]) for i in range(n_roles)]
    scores = {(c.id, r.id): s for c, s in people for r in roles}
    return make_problem(
        roles,
        [c for c, _ in people],
        orgs=orgs,
        scores=scores,
        pinned=pinned,
        diversity_mode=mode,
        diversity_targets=targets,
    )


def _two_men_one_woman() -> list[tuple[Candidate, int]]:
    return [_person("M1", MALE), _person("M2", MALE), _person("F1", FEMALE, 5)]


def test_h12_hard_target_changes_who_is_placed():
    """A hard 50% female target places the lower-scored woman alongside one man."""
    solution = solve_optimal(_problem(_two_men_one_woman(), [target("female", 0.5)]))
    placed = {c for c, _ in pairs(solution)}
    assert "F1" in placed
    assert len(placed) == 2
    assert solution.objective == 15


def test_h12_targets_not_enforced_in_tie_break_mode():
    """In tie_break mode a hard target is only reported: merit places the two men."""
    problem = _problem(_two_men_one_woman(), [target("female", 0.5)], mode="tie_break")
    solution = solve_optimal(problem)
    assert {c for c, _ in pairs(solution)} == {"M1", "M2"}


def test_h12_pinned_placements_breaking_target_infeasible():
    """Pinning two men into the only two roles breaks a hard 50% female target (H12)."""
    pinned = [pin("M1", "R0"), pin("M2", "R1")]
    problem = _problem(_two_men_one_woman(), [target("female", 0.5)], pinned=pinned)
    solve_infeasible(problem, "H12")


def test_h12_unknown_attribute_never_counts_towards_target():
    """Candidates of unknown sex cannot meet a 100% female target, so nobody is placed."""
    people = [_person("U1", {"sex": "prefer_not_to_say"}), _person("U2", None)]
    solution = solve_optimal(_problem(people, [target("female", 1.0)], n_roles=1))
    assert solution.placements == []


def test_h12_unknown_attribute_counts_in_denominator():
    """A woman plus a person of unknown sex is a 50% share, below a 60% target."""
    people = [_person("F1", FEMALE), _person("U1", None)]
    solution = solve_optimal(_problem(people, [target("female", 0.6)]))
    assert {c for c, _ in pairs(solution)} == {"F1"}


def test_h12_region_scope_holds_per_region():
    """A 50% region target cannot be met in both regions with one woman: one role stays empty."""
    orgs = [make_org("O1", region="R-north"), make_org("O2", region="R-south")]
    people = [_person("F1", FEMALE), _person("M1", MALE)]
    by_region = solve_optimal(_problem(people, [target("female", 0.5, "region")], orgs=orgs))
    overall = solve_optimal(_problem(people, [target("female", 0.5)], orgs=orgs))
    assert {c for c, _ in pairs(by_region)} == {"F1"}
    assert by_region.objective == 10
    assert overall.objective == 20


def test_h12_board_scope_counts_existing_members():
    """Two existing women on the board let a man join under a 50% board target."""
    women = [make_member(f"W{i}", demographics=FEMALE) for i in range(2)]
    orgs = [make_org("O1", board=women)]
    targets = [target("female", 0.5, "board")]
    problem = _problem([_person("M1", MALE)], targets, orgs=orgs, n_roles=1)
    assert pairs(solve_optimal(problem)) == {("M1", "R0")}


def test_h12_board_scope_blocks_placement():
    """A board of one man must take the woman, not the better-scored man, at 50% female."""
    orgs = [make_org("O1", board=[make_member("B1", demographics=MALE)])]
    people = [_person("M1", MALE), _person("F1", FEMALE, 1)]
    problem = _problem(people, [target("female", 0.5, "board")], orgs=orgs, n_roles=1)
    assert pairs(solve_optimal(problem)) == {("F1", "R0")}


def test_h12_board_without_new_placement_unconstrained():
    """A board that receives no new board placement is not constrained, whatever its members."""
    men = [make_member(f"B{i}", demographics=MALE) for i in range(2)]
    orgs = [make_org("O1", board=men), make_org("O2", board=men)]
    manager = make_role("R1", "O1", kind="manager")
    problem = make_problem(
        [manager],
        [make_candidate("M1", demographics=MALE)],
        orgs=orgs,
        diversity_mode="targets",
        diversity_targets=[target("female", 0.5, "board")],
    )
    assert pairs(solve_optimal(problem)) == {("M1", "R1")}


@pytest.mark.parametrize("share", [0.3334, 0.3333334])
def test_h12_share_compared_exactly(share):
    """A hard share just above 1/3 is not met by one woman in three placements."""
    people = [_person("F1", FEMALE), _person("M1", MALE), _person("M2", MALE)]
    solution = solve_optimal(_problem(people, [target("female", share)], n_roles=3))
    assert len(solution.placements) == 2
    assert solution.objective == 20


def test_h12_counts_placements_not_people():
    """One woman in two roles (at two organisations) counts twice: 2 of 3 meets a 60% target."""
    woman = make_candidate("F1", demographics=FEMALE, max_roles=2)
    people = [(woman, 10), _person("M1", MALE), _person("M2", MALE)]
    orgs = [make_org("O1"), make_org("O2")]
    solution = solve_optimal(_problem(people, [target("female", 0.6)], orgs=orgs, n_roles=3))
    assert solution.objective == 30


@pytest.mark.parametrize("unknown", [None, "prefer_not_to_say"])
def test_h12_ethnic_minority_unknown_never_counts(unknown):
    """An undisclosed ethnicity cannot meet a hard ethnic_minority target."""
    people = [
        _person("U1", {"ethnic_minority": unknown}),
        _person("E1", {"ethnic_minority": True}, 1),
    ]
    solution = solve_optimal(_problem(people, [target("ethnic_minority", 1.0)], n_roles=1))
    assert pairs(solution) == {("E1", "R0")}
