"""Regression tests for defects found in review, each on the smallest problem that showed it."""

import pytest
from pydantic import ValidationError

from matching.solve import solve
from matching.verify import verify
from models.pairs import PairScore
from models.policy import Weights
from tests.factories import make_candidate, make_problem, make_role, target

TIME_LIMIT_S = 10.0
BACKENDS = ("auto", "cpsat", "pulp")


@pytest.mark.parametrize("backend", BACKENDS)
def test_h12_float_third_met_by_one_in_three(backend):
    """A hard share of 1/3 (a float with 16 decimals) is met by one woman in three placements."""
    people = [
        make_candidate("F1", demographics={"sex": "female"}),
        make_candidate("M1", demographics={"sex": "male"}),
        make_candidate("M2", demographics={"sex": "male"}),
    ]
    roles = [make_role(f"R{i}", must_fill=True) for i in range(3)]
    problem = make_problem(
        roles, people, diversity_mode="targets", diversity_targets=[target("female", 1 / 3)]
    )
    solution = solve(problem, backend=backend, time_limit_s=TIME_LIMIT_S)
    assert solution.status == "optimal"
    assert len(solution.placements) == 3
    assert verify(problem, solution) == []


@pytest.mark.parametrize("backend", ["flow", "cpsat"])
def test_must_fill_beyond_capacity_is_infeasible(backend):
    """Two must-fill roles and one candidate: infeasible, the flow included, never a crash."""
    roles = [make_role("R1", must_fill=True), make_role("R2", must_fill=True)]
    solution = solve(make_problem(roles, [make_candidate("C1")]), backend=backend)
    assert solution.status == "infeasible"
    assert {c.rule for c in solution.conflicts} & {"H1", "H2"}


def test_large_tie_break_flow_with_must_fill():
    """The lexicographic tie-break flow with a must-fill role solves instead of crashing."""
    people = [
        make_candidate(f"C{i}", demographics={"sex": "female" if i % 2 else "male"})
        for i in range(60)
    ]
    roles = [make_role(f"R{i}", must_fill=(i == 0)) for i in range(60)]
    problem = make_problem(roles, people, weights=Weights(diversity=10))
    solution = solve(problem, backend="flow", time_limit_s=TIME_LIMIT_S)
    assert solution.status == "optimal"
    assert verify(problem, solution) == []


def test_external_score_is_bounded():
    """Scores beyond 1e9 are refused at input, before they could overflow 64-bit sums."""
    with pytest.raises(ValidationError):
        PairScore(candidate_id="C1", role_id="R1", score=10**12)
