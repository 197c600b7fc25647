"""H2: a candidate takes at most one role per organisation, whatever their capacity."""

import pytest
from ortools.graph.python import min_cost_flow

from matching.solve import solve
from matching.verify import verify
from models.problem import Problem
from models.solution import Solution
from tests.factories import make_candidate, make_problem, make_role, pin
from tests.matching.rules.expect import TIME_LIMIT_S, pairs, solve_infeasible, solve_optimal
from tests.matching.test_properties import BruteForce

BACKENDS = ("flow", "auto", "cpsat", "pulp")


def _board(chair_org: str = "O1", ned_org: str = "O1", **fields: object) -> list:
    """A chair and a NED seat, at one board unless told otherwise."""
    return [
        make_role("R-chair", chair_org, kind="chair", band=None, **fields),
        make_role("R-ned", ned_org, kind="ned", band=None, **fields),
    ]


def _twice_best(chair_org: str = "O1", ned_org: str = "O1") -> Problem:
    """C1 (two roles left) is best for both seats; C2 takes one role at most."""
    return make_problem(
        _board(chair_org, ned_org),
        [make_candidate("C1", max_roles=2), make_candidate("C2")],
        scores={("C1", "R-chair"): 10, ("C1", "R-ned"): 9, ("C2", "R-chair"): 4},
        default_score=4,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_h2_two_roles_at_one_board_go_to_two_people(backend):
    """The best candidate for both seats of one board gets one; the runner-up the other."""
    problem = _twice_best()
    solution = solve_optimal(problem, backend=backend)
    assert pairs(solution) == {("C1", "R-chair"), ("C2", "R-ned")}
    assert solution.objective == BruteForce(problem).optimum() == 14


@pytest.mark.parametrize("backend", BACKENDS)
def test_h2_two_roles_at_two_boards_both_taken(backend):
    """With the seats at two boards the same candidate takes both."""
    problem = _twice_best(ned_org="O2")
    solution = solve_optimal(problem, backend=backend)
    assert pairs(solution) == {("C1", "R-chair"), ("C1", "R-ned")}
    assert solution.objective == BruteForce(problem).optimum() == 19


@pytest.mark.parametrize("backend", BACKENDS)
def test_h2_best_seat_per_board_across_boards(backend):
    """Three seats at two boards: one seat per board, the better one at the shared board."""
    roles = [*_board(), make_role("R-other", "O2", kind="ned", band=None)]
    problem = make_problem(
        roles,
        [make_candidate("C1", max_roles=3)],
        scores={("C1", "R-chair"): 7, ("C1", "R-ned"): 9, ("C1", "R-other"): 5},
    )
    solution = solve_optimal(problem, backend=backend)
    assert pairs(solution) == {("C1", "R-ned"), ("C1", "R-other")}
    assert solution.objective == BruteForce(problem).optimum() == 14


@pytest.mark.parametrize("backend", ["flow", "cpsat"])
def test_h2_pin_uses_up_the_board(backend):
    """A candidate pinned to one seat of a board is not placed in its other seat."""
    problem = make_problem(
        _board(),
        [make_candidate("C1", max_roles=2), make_candidate("C2")],
        scores={("C1", "R-ned"): 1, ("C1", "R-chair"): 10, ("C2", "R-chair"): 3},
        pinned=[pin("C1", "R-ned")],
    )
    solution = solve_optimal(problem, backend=backend)
    assert pairs(solution) == {("C1", "R-ned"), ("C2", "R-chair")}


def test_h2_two_pins_at_one_board_infeasible():
    """Pinning one candidate to two seats of one board is an H2 conflict naming both."""
    problem = make_problem(
        _board(),
        [make_candidate("C1", max_roles=2)],
        pinned=[pin("C1", "R-chair"), pin("C1", "R-ned")],
    )
    conflict = solve_infeasible(problem, "H2", "C1", "O1")
    assert "one role at organisation O1" in conflict.message


def test_h2_two_pins_at_one_board_infeasible_with_cpsat():
    """CP-SAT reaches the same H2 conflict as the flow path."""
    problem = make_problem(
        _board(),
        [make_candidate("C1", max_roles=2)],
        pinned=[pin("C1", "R-chair"), pin("C1", "R-ned")],
    )
    solution = solve(problem, backend="cpsat", time_limit_s=TIME_LIMIT_S)
    assert solution.status == "infeasible"
    assert any(c.rule == "H2" and {"C1", "O1"} <= set(c.records) for c in solution.conflicts)


def test_h2_must_fill_board_with_one_candidate_infeasible():
    """Two must-fill seats of one board and one eligible candidate: diagnosis names H2."""
    problem = make_problem(_board(must_fill=True), [make_candidate("C1", max_roles=2)])
    solve_infeasible(problem, "H2", "C1", "O1")


def test_h2_seat_left_empty_is_outcompeted():
    """The other seat of a board its only candidate sits on is reported outcompeted."""
    problem = make_problem(_board(), [make_candidate("C1", max_roles=2)])
    solution = solve_optimal(problem)
    (empty,) = solution.unfilled
    assert empty.code == "outcompeted"


def _hand_made(problem: Problem, placed: list[tuple[str, str]]) -> Solution:
    judge = BruteForce(problem)
    return Solution(
        status="feasible",
        objective=sum(judge.score(c, r) for c, r in placed),
        placements=[judge.placement(c, r, "none") for c, r in placed],
    )


def test_h2_verify_flags_two_placements_at_one_board():
    """verify reports two placements of one candidate at one organisation as H2."""
    problem = _twice_best()
    violations = verify(problem, _hand_made(problem, [("C1", "R-chair"), ("C1", "R-ned")]))
    assert [(v.rule, v.records) for v in violations] == [("H2", ("C1", "O1"))]
    assert "R-chair, R-ned" in violations[0].message


def test_h2_verify_accepts_two_boards():
    """The compliant twin: the same two placements at two organisations verify."""
    problem = _twice_best(ned_org="O2")
    assert verify(problem, _hand_made(problem, [("C1", "R-chair"), ("C1", "R-ned")])) == []


@pytest.fixture
def graphs(monkeypatch):
    """Every min-cost flow graph the flow backend builds, for counting its arcs."""
    built = []
    real = min_cost_flow.SimpleMinCostFlow

    def recording():
        graph = real()
        built.append(graph)
        return graph

    monkeypatch.setattr(min_cost_flow, "SimpleMinCostFlow", recording)
    return built


def test_h2_flow_graph_unchanged_without_shared_boards(graphs):
    """One eligible role per board each: 4 pair + 2 source + 2 sink arcs + the bypass."""
    solve_optimal(_twice_best(ned_org="O2"), backend="flow")
    assert graphs[0].num_arcs() == 4 + 2 + 2 + 1


def test_h2_flow_graph_adds_one_board_node(graphs):
    """Two eligible seats at one board add one node and one arc, for C1 only (capacity 2)."""
    solve_optimal(_twice_best(), backend="flow")
    assert graphs[0].num_arcs() == 4 + 2 + 2 + 1 + 1
