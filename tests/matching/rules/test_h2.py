"""H2: candidate c takes at most max_roles - current_roles placements."""

from models.role import Role
from tests.factories import make_candidate, make_problem, make_role, pin
from tests.matching.rules.expect import pairs, solve_infeasible, solve_optimal


def _ned_seats(*org_ids: str) -> list[Role]:
    return [make_role(f"R{i}", org_id, kind="ned", band=None) for i, org_id in enumerate(org_ids)]


def test_h2_candidate_fills_capacity():
    """A NED with max_roles 2 takes two seats at two boards."""
    problem = make_problem(_ned_seats("O1", "O2"), [make_candidate("C1", max_roles=2)])
    solution = solve_optimal(problem)
    assert pairs(solution) == {("C1", "R0"), ("C1", "R1")}
    assert solution.objective == 20


def test_h2_single_role_candidate_takes_one_role():
    """With the default max_roles 1 a candidate takes one of two roles."""
    problem = make_problem(_ned_seats("O1", "O2"), [make_candidate("C1")])
    solution = solve_optimal(problem)
    assert len(solution.placements) == 1
    assert solution.objective == 10


def test_h2_current_roles_reduce_capacity():
    """max_roles 3 with 2 current roles leaves room for one of three seats."""
    problem = make_problem(
        _ned_seats("O1", "O2", "O3"), [make_candidate("C1", max_roles=3, current_roles=2)]
    )
    solution = solve_optimal(problem)
    assert len(solution.placements) == 1


def test_h2_pins_beyond_capacity_infeasible():
    """Pinning a candidate to more roles than its spare capacity is an H2 conflict."""
    problem = make_problem(
        _ned_seats("O1", "O2"),
        [make_candidate("C1", max_roles=2, current_roles=1)],
        pinned=[pin("C1", "R0"), pin("C1", "R1")],
    )
    solve_infeasible(problem, "H2", "C1")


def test_h2_full_candidate_pinned_infeasible():
    """A candidate already at max_roles cannot be pinned anywhere (H2)."""
    problem = make_problem(
        _ned_seats("O1"), [make_candidate("C1", current_roles=1)], pinned=[pin("C1", "R0")]
    )
    solve_infeasible(problem, "H2", "C1")


def test_h2_full_candidate_never_placed():
    """A candidate with no spare capacity is never placed when not pinned."""
    problem = make_problem(_ned_seats("O1"), [make_candidate("C1", max_roles=2, current_roles=2)])
    solution = solve_optimal(problem)
    assert solution.placements == []


def test_h2_current_roles_above_max_never_placed():
    """More current roles than max_roles leaves no capacity (never negative)."""
    problem = make_problem(_ned_seats("O1"), [make_candidate("C1", current_roles=3)])
    assert solve_optimal(problem).placements == []
