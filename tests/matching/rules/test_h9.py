"""H9: packages are allowed for the role (challenged_only at challenged orgs); spend <= budget."""

from models.package import Package
from models.problem import Problem
from tests.factories import make_candidate, make_org, make_package, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, placement, solve_infeasible, solve_optimal

NONE = make_package("none")
BONUS = make_package("bonus", 3000)
RELOCATION = make_package("reloc", 5000, relocation_support=True)
CHALLENGED_RELOCATION = make_package("hard", 4000, relocation_support=True, challenged_only=True)


def _relocating_problem(
    n: int, packages: list[Package], *, org_fields: dict | None = None, **fields: object
) -> Problem:
    """`n` roles 100 km away and `n` willing candidates who would have to relocate."""
    roles = [make_role(f"R{i}") for i in range(n)]
    candidates = [make_candidate(f"C{i}", willing_to_relocate=True) for i in range(n)]
    org = make_org("O1", km=100, **(org_fields or {}))
    return make_problem(roles, candidates, orgs=[org], packages=packages, **fields)


def test_h9_spend_exactly_at_budget_placed():
    """A relocation whose package costs exactly the budget is allowed."""
    solution = solve_optimal(_relocating_problem(1, [NONE, RELOCATION], budget=5000))
    assert placement(solution, "R0").package_id == "reloc"
    assert solution.kpis.spend == 5000


def test_h9_budget_limits_costly_placements():
    """With budget for one relocation package, only one of two relocations is placed."""
    solution = solve_optimal(_relocating_problem(2, [NONE, RELOCATION], budget=9999))
    assert len(solution.placements) == 1
    assert solution.kpis.spend <= 9999


def test_h9_zero_budget_allows_free_packages():
    """A zero budget still allows placements with the free package."""
    problem = make_problem([make_role("R1")], [make_candidate()], packages=[NONE, BONUS], budget=0)
    assert placement(solve_optimal(problem), "R1").package_id == "none"


def test_h9_only_allowed_packages_used():
    """A role that allows only the bonus package is filled with it."""
    role = make_role("R1", allowed_packages=["bonus"])
    problem = make_problem([role], [make_candidate()], packages=[NONE, BONUS])
    assert placement(solve_optimal(problem), "R1").package_id == "bonus"


def test_h9_challenged_only_package_at_challenged_organisation():
    """A challenged_only package may be used at a segment 4 organisation."""
    problem = _relocating_problem(1, [NONE, CHALLENGED_RELOCATION], org_fields={"segment": 4})
    assert placement(solve_optimal(problem), "R0").package_id == "hard"


def test_h9_challenged_only_package_never_used_elsewhere():
    """A challenged_only package is not used at an organisation that is not challenged."""
    problem = _relocating_problem(1, [NONE, CHALLENGED_RELOCATION])
    assert solve_optimal(problem).placements == []


def test_h9_explicit_challenged_flag_overrides_segment():
    """challenged false overrides segment 4, so a challenged_only package is not allowed."""
    org_fields = {"segment": 4, "challenged": False}
    problem = _relocating_problem(1, [NONE, CHALLENGED_RELOCATION], org_fields=org_fields)
    assert solve_optimal(problem).placements == []


def test_h9_pinned_packages_over_budget_infeasible():
    """Pinned package costs above the budget are an H9 conflict."""
    problem = make_problem(
        [make_role("R1"), make_role("R2")],
        [make_candidate("C1"), make_candidate("C2")],
        packages=[NONE, BONUS],
        pinned=[pin("C1", "R1", "bonus"), pin("C2", "R2", "bonus")],
        budget=5000,
    )
    solve_infeasible(problem, "H9")


def test_h9_pinned_package_not_allowed_infeasible():
    """Pinning a package the role does not allow is an H9 conflict."""
    problem = make_problem(
        [make_role("R1", allowed_packages=["none"])],
        [make_candidate("C1")],
        packages=[NONE, BONUS],
        pinned=[pin("C1", "R1", "bonus")],
    )
    solve_infeasible(problem, "H9", "C1", "R1")


def test_h9_pinned_challenged_only_package_elsewhere_infeasible():
    """Pinning a challenged_only package at an unchallenged organisation is an H9 conflict."""
    problem = make_problem(
        [make_role("R1")],
        [make_candidate("C1")],
        packages=[NONE, CHALLENGED_RELOCATION],
        pinned=[pin("C1", "R1", "hard")],
    )
    solve_infeasible(problem, "H9", "C1", "R1")


def test_h9_budget_goes_to_the_best_relocation():
    """With budget for one relocation, it goes to the better-scored candidate."""
    scores = {(c, r): 5 if c == "C0" else 8 for c in ("C0", "C1") for r in ("R0", "R1")}
    problem = _relocating_problem(2, [NONE, RELOCATION], budget=5000, scores=scores)
    solution = solve_optimal(problem)
    assert {c for c, _ in pairs(solution)} == {"C1"}
    assert solution.objective == 8


def test_h9_role_allowing_no_package_never_filled():
    """A role whose allowed_packages is empty can take nobody."""
    problem = make_problem([make_role("R1", allowed_packages=[])], [make_candidate()])
    assert solve_optimal(problem).placements == []


def test_h9_must_fill_role_allowing_no_package_infeasible():
    """A must_fill role that allows no package has no eligible candidate (H1)."""
    role = make_role("R1", allowed_packages=[], must_fill=True)
    solve_infeasible(make_problem([role], [make_candidate()]), "H1", "R1")
