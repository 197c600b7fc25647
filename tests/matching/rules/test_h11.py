"""H11: at most max_drawn_per_organisation placed candidates share a current organisation."""

from models.role import Role
from tests.factories import FIT_ONLY, make_candidate, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal


def _roles(n: int, kind: str = "executive") -> list[Role]:
    band = None if kind == "ned" else "9"
    return [make_role(f"R{i}", f"O{i}", kind=kind, band=band) for i in range(n)]


def test_h11_draw_limit_spreads_placements():
    """With a limit of one, only one of two colleagues is placed; an outsider fills the rest."""
    candidates = [
        make_candidate("C1", current_organisation_id="SRC"),
        make_candidate("C2", current_organisation_id="SRC"),
        make_candidate("C3", skills={"leadership": 3}),
    ]
    scores = {("C3", "R0"): 5, ("C3", "R1"): 5}
    problem = make_problem(_roles(2), candidates, scores=scores, max_drawn_per_organisation=1)
    solution = solve_optimal(problem)
    drawn = [p for p in solution.placements if p.candidate_id in ("C1", "C2")]
    assert len(drawn) == 1
    assert solution.objective == 15


def test_h11_counts_distinct_candidates():
    """One candidate in two seats counts once against the draw limit."""
    candidate = make_candidate("C1", current_organisation_id="SRC", max_roles=2)
    problem = make_problem(_roles(2, "ned"), [candidate], max_drawn_per_organisation=1)
    assert pairs(solve_optimal(problem)) == {("C1", "R0"), ("C1", "R1")}


def test_h11_candidates_without_organisation_unlimited():
    """Candidates with no current organisation are not limited by H11."""
    candidates = [make_candidate(f"C{i}") for i in range(3)]
    problem = make_problem(_roles(3), candidates, max_drawn_per_organisation=1)
    assert len(solve_optimal(problem).placements) == 3


def test_h11_pins_over_limit_infeasible():
    """Pinning two colleagues with a draw limit of one is an H11 conflict."""
    candidates = [make_candidate(f"C{i}", current_organisation_id="SRC") for i in range(2)]
    problem = make_problem(
        _roles(2),
        candidates,
        pinned=[pin("C0", "R0"), pin("C1", "R1")],
        max_drawn_per_organisation=1,
    )
    conflict = solve_infeasible(problem, "H11")
    assert conflict.records


def test_h11_holds_through_tie_break_stage():
    """The draw limit (with its per-candidate indicator) survives the diversity tie-break stage."""
    candidate = make_candidate(
        "C1", current_organisation_id="O1", max_roles=2, demographics={"disabled": True}
    )
    problem = make_problem(
        [make_role("R1", "O2"), make_role("R2", "O3")],
        [candidate],
        weights=FIT_ONLY.model_copy(update={"diversity": 10.0}),
        max_drawn_per_organisation=1,
    )
    assert pairs(solve_optimal(problem)) == {("C1", "R1"), ("C1", "R2")}
