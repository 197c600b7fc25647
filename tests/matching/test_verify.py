"""Tests for the independent checker: each hard rule broken alone, and a compliant twin."""

from typing import Any

from matching.verify import Violation, format_violation, verify
from models.candidate import Candidate
from models.common import Demographics, Location
from models.organisation import BoardMember, BoardRequirement, Organisation
from models.package import Package
from models.pairs import PairRef, PairScore
from models.policy import DiversityTarget, Policy
from models.problem import Problem
from models.role import Role
from models.solution import Placement, Solution

HERE = Location(lat=52.0, lon=-1.0)
#: One degree of longitude along the equator with R = 6371.0088 km.
ONE_DEGREE_KM = 111.19508


def make_org(org_id: str = "O1", **fields: Any) -> Organisation:
    """An acute trust at HERE in region North unless overridden."""
    defaults: dict[str, Any] = {
        "name": org_id,
        "type": "acute",
        "region": "North",
        "location": HERE,
    }
    return Organisation(id=org_id, **(defaults | fields))


def make_role(role_id: str = "R1", org_id: str = "O1", **fields: Any) -> Role:
    """A manager role (not board level, no band) unless overridden."""
    return Role(id=role_id, organisation_id=org_id, **({"kind": "manager"} | fields))


def make_candidate(cand_id: str = "C1", **fields: Any) -> Candidate:
    """A manager at HERE who passes every personal test unless overridden."""
    defaults: dict[str, Any] = {
        "kinds": ["manager"],
        "home": HERE,
        "region": "North",
        "fit_and_proper": True,
        "accredited": True,
    }
    return Candidate(id=cand_id, **(defaults | fields))


def make_problem(
    orgs: list[Organisation] | None = None,
    roles: list[Role] | None = None,
    candidates: list[Candidate] | None = None,
    **fields: Any,
) -> Problem:
    """One organisation, one role and one candidate unless overridden."""
    return Problem(
        organisations=orgs if orgs is not None else [make_org()],
        roles=roles if roles is not None else [make_role()],
        candidates=candidates if candidates is not None else [make_candidate()],
        **fields,
    )


def place(
    cand_id: str = "C1",
    role_id: str = "R1",
    package_id: str = "none",
    **fields: Any,
) -> Placement:
    """A placement at distance 0 without relocation unless overridden."""
    defaults: dict[str, Any] = {
        "score": 0.0,
        "breakdown": {},
        "relocation": False,
        "distance_km": 0.0,
    }
    return Placement(
        candidate_id=cand_id, role_id=role_id, package_id=package_id, **(defaults | fields)
    )


def solve(*placements: Placement, status: str = "feasible") -> Solution:
    """A hand-built solution with the given placements."""
    return Solution(status=status, placements=list(placements))


def rules(violations: list[Violation]) -> list[str]:
    """The distinct rule ids reported, sorted."""
    return sorted({v.rule for v in violations})


def female(flag: bool = True) -> Demographics:
    """Demographics with only sex known."""
    return Demographics(sex="female" if flag else "male")


# --- compliant solutions and the contract --------------------------------------------------


def test_compliant_solution_has_no_violations() -> None:
    """A solution meeting every rule at once passes."""
    orgs = [
        make_org(
            "O1",
            segment=4,
            board=[BoardMember(skills={"finance": 4})],
            board_requirements=[BoardRequirement(skill="finance", level=4, min_members=2)],
        ),
        make_org("O2", location=Location(lat=0.0, lon=0.0)),
    ]
    roles = [
        make_role("R1", "O1", kind="executive", band="VSM", required_skills={"finance": 4}),
        make_role("R2", "O2", band="8c", allowed_packages=["reloc"]),
        make_role("R3", "O1", kind="ned", band="NED"),
    ]
    candidates = [
        make_candidate("C1", kinds=["executive"], band="9", skills={"finance": 5}),
        make_candidate(
            "C2",
            band="8b",
            home=Location(lat=0.0, lon=1.0),
            willing_to_relocate=True,
            current_organisation_id="O1",
        ),
        make_candidate("C3", kinds=["ned"], current_organisation_id="O2"),
    ]
    problem = make_problem(
        orgs,
        roles,
        candidates,
        packages=[
            Package(id="none", cost=0),
            Package(id="reloc", cost=5000, relocation_support=True),
            Package(id="premium", cost=2000, challenged_only=True),
        ],
        policy=Policy(budget=7000, max_drawn_per_organisation=1),
        pinned=[PairRef(candidate_id="C1", role_id="R1", package_id="premium")],
        forbidden=[PairRef(candidate_id="C3", role_id="R2")],
        scores=[PairScore(candidate_id="C1", role_id="R1", score=77)],
    )
    solution = solve(
        place("C1", "R1", "premium", score=77),
        place("C2", "R2", "reloc", relocation=True, distance_km=ONE_DEGREE_KM),
        place("C3", "R3"),
    )
    assert verify(problem, solution) == []


def test_empty_solution_passes_without_must_fill_or_requirements() -> None:
    """No placements break nothing when no rule demands one."""
    assert verify(make_problem(), solve()) == []


def test_unknown_ids_are_contract_violations_and_not_checked_further() -> None:
    """A placement naming an unknown candidate, role or package is reported once as contract."""
    violations = verify(make_problem(), solve(place("C9", "R1"), place("C1", "R1", "gold")))
    assert rules(violations) == ["contract"]
    assert len(violations) == 2
    assert "unknown candidate 'C9'" in violations[0].message
    assert "unknown package 'gold'" in violations[1].message


def test_score_must_match_external_score() -> None:
    """A placement's score differs from the scores entry for its pair."""
    problem = make_problem(scores=[PairScore(candidate_id="C1", role_id="R1", score=40)])
    assert rules(verify(problem, solve(place(score=39.0)))) == ["contract"]
    assert verify(problem, solve(place(score=40.0))) == []


def test_non_ok_status_must_have_no_placements() -> None:
    """An infeasible solution carrying placements breaks the contract; rules are not checked."""
    problem = make_problem(roles=[make_role(must_fill=True)])
    assert rules(verify(problem, solve(place(), status="infeasible"))) == ["contract"]
    assert verify(problem, solve(status="infeasible")) == []


def test_format_violation_prefixes_rule_once() -> None:
    """format_violation shows the rule id once, whether or not the message has it."""
    assert format_violation(Violation("H3", ("C1",), "H3: x")) == "H3: x"
    assert format_violation(Violation("H3", ("C1",), "x")) == "H3: x"


# --- H1 role capacity ----------------------------------------------------------------------


def test_h1_role_placed_twice() -> None:
    """Two candidates in one role break H1."""
    problem = make_problem(candidates=[make_candidate("C1"), make_candidate("C2")])
    violations = verify(problem, solve(place("C1"), place("C2")))
    assert rules(violations) == ["H1"]
    assert violations[0].records == ("R1", "C1", "C2")


def test_h1_must_fill_role_unfilled() -> None:
    """A must-fill role left empty breaks H1; filled it passes."""
    problem = make_problem(roles=[make_role(must_fill=True)])
    assert rules(verify(problem, solve())) == ["H1"]
    assert verify(problem, solve(place())) == []


# --- H2 candidate capacity -----------------------------------------------------------------


def test_h2_candidate_over_capacity() -> None:
    """Roles already held reduce the placements a candidate may take."""
    orgs = [make_org("O1"), make_org("O2")]
    roles = [make_role("R1", "O1"), make_role("R2", "O2")]
    busy = make_problem(orgs, roles, [make_candidate(max_roles=2, current_roles=1)])
    free = make_problem(orgs, roles, [make_candidate(max_roles=2)])
    solution = solve(place("C1", "R1"), place("C1", "R2"))
    assert rules(verify(busy, solution)) == ["H2"]
    assert verify(free, solution) == []


def test_h2_two_roles_at_one_organisation() -> None:
    """Spare capacity does not allow two roles at one organisation."""
    roles = [make_role("R1"), make_role("R2")]
    problem = make_problem(roles=roles, candidates=[make_candidate(max_roles=3)])
    violations = verify(problem, solve(place("C1", "R1"), place("C1", "R2")))
    assert [(v.rule, v.records) for v in violations] == [("H2", ("C1", "O1"))]


def test_h2_capacity_never_negative() -> None:
    """Holding more roles than max_roles leaves capacity 0, not negative."""
    problem = make_problem(candidates=[make_candidate(max_roles=1, current_roles=3)])
    violations = verify(problem, solve(place()))
    assert rules(violations) == ["H2"]
    assert "capacity 0" in violations[0].message


# --- H3 role kind --------------------------------------------------------------------------


def test_h3_kind_not_taken() -> None:
    """A candidate who takes only executive roles cannot fill a manager role."""
    bad = make_problem(candidates=[make_candidate(kinds=["executive"])])
    good = make_problem(candidates=[make_candidate(kinds=["executive", "manager"])])
    assert rules(verify(bad, solve(place()))) == ["H3"]
    assert verify(good, solve(place())) == []


# --- H4 required skills --------------------------------------------------------------------


def test_h4_skill_below_required() -> None:
    """A skill below the required level breaks H4; the message names both records."""
    problem = make_problem(
        roles=[make_role("R7", required_skills={"finance": 4})],
        candidates=[make_candidate("C3", skills={"finance": 2})],
    )
    violations = verify(problem, solve(place("C3", "R7")))
    assert rules(violations) == ["H4"]
    assert violations[0].message == "H4: candidate C3 has finance 2 < 4 required by role R7"


def test_h4_missing_skill_is_level_zero_and_exact_level_passes() -> None:
    """A missing skill counts as 0; holding exactly the level is enough."""
    roles = [make_role(required_skills={"finance": 1})]
    missing = make_problem(roles=roles)
    exact = make_problem(roles=roles, candidates=[make_candidate(skills={"finance": 1})])
    assert rules(verify(missing, solve(place()))) == ["H4"]
    assert verify(exact, solve(place())) == []


# --- H5 commute and relocation -------------------------------------------------------------


def far_problem(**candidate_fields: Any) -> Problem:
    """A candidate one degree of longitude (about 111.2 km) from the role's organisation."""
    return make_problem(
        orgs=[make_org(location=Location(lat=0.0, lon=0.0))],
        candidates=[make_candidate(home=Location(lat=0.0, lon=1.0), **candidate_fields)],
        packages=[Package(id="none", cost=0), Package(id="move", cost=0, relocation_support=True)],
    )


def test_h5_reported_distance_must_match_haversine() -> None:
    """A distance_km off by more than 0.01 km breaks H5."""
    problem = far_problem(max_commute_km=200)
    assert rules(verify(problem, solve(place(distance_km=ONE_DEGREE_KM + 0.5)))) == ["H5"]
    assert verify(problem, solve(place(distance_km=ONE_DEGREE_KM))) == []


def test_h5_relocation_flag_must_match_commute_limit() -> None:
    """A placement beyond the commute limit must say relocation=True, and only then."""
    within = far_problem(max_commute_km=200)
    beyond = far_problem(max_commute_km=100, willing_to_relocate=True)
    flagged = place(package_id="move", distance_km=ONE_DEGREE_KM, relocation=True)
    unflagged = place(package_id="move", distance_km=ONE_DEGREE_KM, relocation=False)
    assert rules(verify(within, solve(flagged))) == ["H5"]
    assert rules(verify(beyond, solve(unflagged))) == ["H5"]
    assert verify(beyond, solve(flagged)) == []


def test_h5_relocation_needs_willing_candidate() -> None:
    """A relocation for a candidate not willing to relocate breaks H5."""
    problem = far_problem(willing_to_relocate=False)
    solution = solve(place(package_id="move", distance_km=ONE_DEGREE_KM, relocation=True))
    violations = verify(problem, solution)
    assert rules(violations) == ["H5"]
    assert "not willing to relocate" in violations[0].message


def test_h5_relocation_needs_supporting_package() -> None:
    """A relocation with a package lacking relocation support breaks H5."""
    problem = far_problem(willing_to_relocate=True)
    solution = solve(place(package_id="none", distance_km=ONE_DEGREE_KM, relocation=True))
    violations = verify(problem, solution)
    assert rules(violations) == ["H5"]
    assert "no relocation support" in violations[0].message


# --- H6 conflicts --------------------------------------------------------------------------


def test_h6_conflicted_organisation() -> None:
    """A role at an organisation in the candidate's conflicts breaks H6."""
    problem = make_problem(
        orgs=[make_org("O1"), make_org("O2")], candidates=[make_candidate(conflicts=["O1"])]
    )
    assert rules(verify(problem, solve(place()))) == ["H6"]


def test_h6_ned_at_own_employer() -> None:
    """A NED role at the candidate's employer breaks H6; a manager role there does not."""
    ned = make_problem(
        roles=[make_role(kind="ned")],
        candidates=[make_candidate(kinds=["ned"], current_organisation_id="O1")],
    )
    manager = make_problem(candidates=[make_candidate(current_organisation_id="O1")])
    assert rules(verify(ned, solve(place()))) == ["H6"]
    assert verify(manager, solve(place())) == []


# --- H7 fit and proper ---------------------------------------------------------------------


def test_h7_board_role_needs_fit_and_proper() -> None:
    """An executive role (board level by default) needs a fit and proper candidate."""
    candidates = [make_candidate(kinds=["executive"], fit_and_proper=False)]
    board = make_problem(roles=[make_role(kind="executive")], candidates=candidates)
    off_board = make_problem(
        roles=[make_role(kind="executive", board_level=False)], candidates=candidates
    )
    assert rules(verify(board, solve(place()))) == ["H7"]
    assert verify(off_board, solve(place())) == []


# --- H8 bands ------------------------------------------------------------------------------


def band_problem(role_band: str | None, cand_band: str | None, accredited: bool) -> Problem:
    """One role and one candidate with the given bands."""
    return make_problem(
        roles=[make_role(band=role_band)],
        candidates=[make_candidate(band=cand_band, accredited=accredited)],
    )


def test_h8_two_steps_up() -> None:
    """A role two bands above the candidate breaks H8 even when accredited."""
    assert rules(verify(band_problem("8c", "8a", True), solve(place()))) == ["H8"]


def test_h8_step_up_needs_accreditation() -> None:
    """One step up needs accreditation; a step down or level move never does."""
    assert rules(verify(band_problem("9", "8d", False), solve(place()))) == ["H8"]
    assert verify(band_problem("9", "8d", True), solve(place())) == []
    assert verify(band_problem("8a", "VSM", False), solve(place())) == []


def test_h8_no_band_candidate_only_for_unbanded_roles() -> None:
    """A candidate with no band may take no-band and NED roles, not banded ones."""
    assert rules(verify(band_problem("8a", None, True), solve(place()))) == ["H8"]
    assert rules(verify(band_problem("8a", "NED", True), solve(place()))) == ["H8"]
    assert verify(band_problem("NED", None, False), solve(place())) == []
    assert verify(band_problem(None, None, False), solve(place())) == []


# --- H9 packages and budget ----------------------------------------------------------------


def package_problem(**fields: Any) -> Problem:
    """Packages: free 'none', 'gold' (£3,000) and challenged-only 'hard' (£1,000)."""
    packages = [
        Package(id="none", cost=0),
        Package(id="gold", cost=3000),
        Package(id="hard", cost=1000, challenged_only=True),
    ]
    return make_problem(packages=packages, **fields)


def test_h9_package_not_allowed_for_role() -> None:
    """A package outside the role's allowed list breaks H9."""
    problem = package_problem(roles=[make_role(allowed_packages=["none"])])
    assert rules(verify(problem, solve(place(package_id="gold")))) == ["H9"]
    assert verify(problem, solve(place(package_id="none"))) == []


def test_h9_challenged_only_package() -> None:
    """A challenged-only package at a non-challenged organisation breaks H9; segment 4 is OK."""
    calm = package_problem(orgs=[make_org(segment=2)])
    segment4 = package_problem(orgs=[make_org(segment=4)])
    overridden = package_problem(orgs=[make_org(segment=4, challenged=False)])
    assert rules(verify(calm, solve(place(package_id="hard")))) == ["H9"]
    assert verify(segment4, solve(place(package_id="hard"))) == []
    assert rules(verify(overridden, solve(place(package_id="hard")))) == ["H9"]


def test_h9_budget_exceeded() -> None:
    """Package spend above the budget breaks H9; spend equal to it passes."""
    roles = [make_role("R1"), make_role("R2")]
    candidates = [make_candidate("C1"), make_candidate("C2")]
    solution = solve(place("C1", "R1", "gold"), place("C2", "R2", "gold"))
    tight = package_problem(roles=roles, candidates=candidates, policy=Policy(budget=5999))
    exact = package_problem(roles=roles, candidates=candidates, policy=Policy(budget=6000))
    assert rules(verify(tight, solution)) == ["H9"]
    assert verify(exact, solution) == []


# --- H10 pinned and forbidden --------------------------------------------------------------


def test_h10_pinned_pair_not_placed() -> None:
    """A pinned pair left out breaks H10."""
    problem = make_problem(pinned=[PairRef(candidate_id="C1", role_id="R1")])
    assert rules(verify(problem, solve())) == ["H10"]
    assert verify(problem, solve(place())) == []


def test_h10_pinned_package_must_match() -> None:
    """A pinned pair placed with another package than the pinned one breaks H10."""
    problem = package_problem(pinned=[PairRef(candidate_id="C1", role_id="R1", package_id="gold")])
    assert rules(verify(problem, solve(place(package_id="none")))) == ["H10"]
    assert verify(problem, solve(place(package_id="gold"))) == []


def test_h10_forbidden_pair_whatever_the_package() -> None:
    """A forbidden pair is banned even with a package other than the one it names."""
    problem = package_problem(
        forbidden=[PairRef(candidate_id="C1", role_id="R1", package_id="none")]
    )
    assert rules(verify(problem, solve(place(package_id="gold")))) == ["H10"]


# --- H11 drawn per organisation ------------------------------------------------------------


def drawn_problem(limit: int, current: list[str | None]) -> Problem:
    """One role per candidate, role i at organisation T{i}; candidate i works at current[i]."""
    n = len(current)
    return make_problem(
        orgs=[make_org("O1"), *(make_org(f"T{i}") for i in range(n))],
        roles=[make_role(f"R{i}", f"T{i}") for i in range(n)],
        candidates=[
            make_candidate(f"C{i}", current_organisation_id=org, max_roles=2)
            for i, org in enumerate(current)
        ],
        policy=Policy(max_drawn_per_organisation=limit),
    )


def test_h11_too_many_drawn_from_one_organisation() -> None:
    """Two placed candidates from O1 with a limit of 1 break H11."""
    problem = drawn_problem(1, ["O1", "O1"])
    violations = verify(problem, solve(place("C0", "R0"), place("C1", "R1")))
    assert rules(violations) == ["H11"]
    assert violations[0].records == ("O1", "C0", "C1")


def test_h11_counts_distinct_candidates_and_ignores_no_employer() -> None:
    """One candidate in two roles counts once; candidates without an employer are not drawn."""
    problem = drawn_problem(1, ["O1", None, None])
    solution = solve(place("C0", "R0"), place("C0", "R1"), place("C1", "R2"))
    assert verify(problem, solution) == []


# --- H12 hard diversity targets ------------------------------------------------------------


def diversity_problem(
    demographics: list[Demographics | None],
    target: DiversityTarget,
    mode: str = "targets",
    **fields: Any,
) -> Problem:
    """One manager role per candidate at O1; candidate i has demographics[i]."""
    n = len(demographics)
    defaults: dict[str, Any] = {
        "roles": [make_role(f"R{i}") for i in range(n)],
        "candidates": [make_candidate(f"C{i}", demographics=d) for i, d in enumerate(demographics)],
    }
    return make_problem(
        policy=Policy(diversity_mode=mode, diversity_targets=[target]), **(defaults | fields)
    )


def place_all(n: int) -> Solution:
    """Candidate Ci in role Ri for i < n."""
    return solve(*(place(f"C{i}", f"R{i}") for i in range(n)))


HALF_FEMALE = DiversityTarget(attribute="female", min_share=0.5, scope="all", hard=True)


def test_h12_scope_all_below_share() -> None:
    """One woman of three placements is below a hard 50% target; two of three meets it."""
    short = diversity_problem([female(), female(False), female(False)], HALF_FEMALE)
    met = diversity_problem([female(), female(), female(False)], HALF_FEMALE)
    violations = verify(short, place_all(3))
    assert rules(violations) == ["H12"]
    assert violations[0].records == ("all",)
    assert verify(met, place_all(3)) == []


def test_h12_message_gives_counts_not_people() -> None:
    """An H12 message names the unit and counts, never a candidate."""
    problem = diversity_problem([female(), female(False), female(False)], HALF_FEMALE)
    (violation,) = verify(problem, place_all(3))
    assert "1 of 3" in violation.message
    assert not any(f"C{i}" in violation.message for i in range(3))


def test_h12_unknown_counts_in_denominator_only() -> None:
    """Prefer-not-to-say and missing demographics count as placements without the attribute."""
    people = [female(), Demographics(sex="prefer_not_to_say"), None]
    assert rules(verify(diversity_problem(people, HALF_FEMALE), place_all(3))) == ["H12"]


def test_h12_uses_integer_permille_arithmetic() -> None:
    """A 0.333 share is met by one of three (1000 >= 333 * 3)."""
    target = DiversityTarget(attribute="female", min_share=0.333, scope="all", hard=True)
    problem = diversity_problem([female(), female(False), female(False)], target)
    assert verify(problem, place_all(3)) == []


def test_h12_not_enforced_in_tie_break_mode_or_when_soft() -> None:
    """Targets bind only when hard and in targets mode."""
    people = [female(False), female(False)]
    soft = DiversityTarget(attribute="female", min_share=0.5, scope="all", hard=False)
    assert verify(diversity_problem(people, HALF_FEMALE, mode="tie_break"), place_all(2)) == []
    assert verify(diversity_problem(people, soft), place_all(2)) == []


def test_h12_region_scope_uses_role_region_and_skips_empty_units() -> None:
    """Region units follow the role's organisation; a region without placements is free."""
    target = DiversityTarget(attribute="ethnic_minority", min_share=1.0, scope="region", hard=True)
    orgs = [make_org("O1", region="North"), make_org("O2", region="South")]
    roles = [make_role("R0", "O1"), make_role("R1", "O2")]
    people = [Demographics(ethnic_minority=True), Demographics(ethnic_minority=False)]
    problem = diversity_problem(people, target, orgs=orgs, roles=roles)
    violations = verify(problem, place_all(2))
    assert rules(violations) == ["H12"]
    assert violations[0].records == ("South",)
    assert verify(problem, solve(place("C0", "R0"))) == []


def test_h12_board_scope_counts_existing_members() -> None:
    """Board units add existing members to new board-level placements."""
    target = DiversityTarget(attribute="female", min_share=0.5, scope="board", hard=True)
    board = [BoardMember(demographics=female(False)), BoardMember(demographics=female(False))]
    roles = [make_role("R0", kind="ned")]
    candidates = [make_candidate("C0", kinds=["ned"], demographics=female())]
    lopsided = diversity_problem(
        [], target, orgs=[make_org(board=board)], roles=roles, candidates=candidates
    )
    balanced = diversity_problem(
        [], target, orgs=[make_org(board=board[:1])], roles=roles, candidates=candidates
    )
    violations = verify(lopsided, place_all(1))
    assert rules(violations) == ["H12"]
    assert "1 of 3" in violations[0].message
    assert verify(balanced, place_all(1)) == []


def test_h12_board_scope_ignores_boards_without_new_board_placements() -> None:
    """A board that receives only a non-board placement is not constrained."""
    target = DiversityTarget(attribute="female", min_share=0.5, scope="board", hard=True)
    board = [BoardMember(demographics=female(False))]
    problem = diversity_problem([female(False)], target, orgs=[make_org(board=board)])
    assert verify(problem, place_all(1)) == []


# --- H13 board requirements ----------------------------------------------------------------


def board_problem(min_members: int, existing_levels: list[int], **fields: Any) -> Problem:
    """O1 needs min_members with finance >= 3; existing members hold existing_levels."""
    org = make_org(
        board=[BoardMember(skills={"finance": level}) for level in existing_levels],
        board_requirements=[BoardRequirement(skill="finance", level=3, min_members=min_members)],
    )
    return make_problem(orgs=[org], **fields)


def test_h13_requirement_unmet_even_without_placements() -> None:
    """H13 always holds: a board short of a skill breaks it with no placements at all."""
    problem = board_problem(2, [5, 2])
    violations = verify(problem, solve())
    assert rules(violations) == ["H13"]
    assert violations[0].records == ("O1",)


def test_h13_met_by_new_board_placement_only() -> None:
    """A new board-level placement with the skill fills the gap; a non-board one does not."""
    candidates = [make_candidate(kinds=["executive", "manager"], skills={"finance": 3})]
    board_role = board_problem(2, [5], roles=[make_role(kind="executive")], candidates=candidates)
    manager_role = board_problem(2, [5], candidates=candidates)
    assert verify(board_role, solve(place())) == []
    assert rules(verify(manager_role, solve(place()))) == ["H13"]
