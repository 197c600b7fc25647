"""The LP relaxation by column generation agrees with the LP over every pair.

Column generation starts from each role's best pairs; a restricted LP that cannot meet a
>= row (a board requirement, a must-fill role) is made feasible by phase-one pricing.
"""

import pytest
from hypothesis import given

from matching.backends import lp
from matching.backends.lp import LpResult, solve_lp
from matching.formulation import Formulation
from matching.prepare import prepare
from matching.registry import build_formulation
from models.problem import Problem
from tests.factories import make_candidate, make_org, make_problem, make_role, requirement
from tests.strategies import problems

TIME_LIMIT_S = 10.0
RELATIVE_TOLERANCE = 1e-7


def _model(problem: Problem) -> tuple[Formulation, object]:
    ctx, _ = prepare(problem)
    return build_formulation(ctx), ctx.pairs.role


def _whole(f: Formulation) -> LpResult:
    assert f.pair_objective is not None
    return solve_lp(f, f.pair_objective, f.objective, TIME_LIMIT_S)


def _generated(f: Formulation, roles: object) -> LpResult:
    """Column generation forced on a small model, from one pair per role."""
    assert f.pair_objective is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lp, "COLUMN_GENERATION_MIN_PAIRS", 0)
        patch.setattr(lp, "INITIAL_PAIRS_PER_ROLE", 1)
        return solve_lp(f, f.pair_objective, f.objective, TIME_LIMIT_S, roles=roles)


def _phase_one_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls of phase one."""
    calls: list[int] = []
    begin = lp._Relaxation.begin_phase_one

    def counted(self: lp._Relaxation) -> None:
        calls.append(1)
        begin(self)

    monkeypatch.setattr(lp._Relaxation, "begin_phase_one", counted)
    return calls


def _finance_board(min_members: int, seats: int) -> Problem:
    """C3 (finance 3) scores 10, C4 (finance 4) scores 5, for a board needing finance 4."""
    org = make_org("O1", board_requirements=[requirement("finance", 4, min_members)])
    roles = [make_role(f"R{k}") for k in range(1, seats + 1)]
    candidates = [
        make_candidate(c, skills={"leadership": 3, "finance": level})
        for c, level in (("C3", 3), ("C4", 4))
    ]
    table = {(c.id, r.id): 10 if c.id == "C3" else 5 for c in candidates for r in roles}
    return make_problem(roles, candidates, orgs=[org], scores=table)


def test_phase_one_brings_in_the_pair_a_requirement_needs(monkeypatch):
    """The best pair alone misses finance 4; phase one finds C4 and the optimum follows."""
    f, roles = _model(_finance_board(min_members=1, seats=1))
    calls = _phase_one_runs(monkeypatch)
    generated = _generated(f, roles)
    assert calls, "the seed LP should have been infeasible"
    whole = _whole(f)
    assert generated.status == whole.status == "optimal"
    assert generated.objective == pytest.approx(whole.objective, rel=RELATIVE_TOLERANCE)


def test_phase_one_proves_infeasibility():
    """Two finance members on one seat: no pair can help, and the LP says infeasible."""
    f, roles = _model(_finance_board(min_members=2, seats=1))
    assert _generated(f, roles).status == "infeasible"
    assert _whole(f).status == "infeasible"


@given(problem=problems())
def test_column_generation_agrees_with_the_whole_lp(problem):
    """Same status and optimum from one pair per role as from every pair."""
    f, roles = _model(problem)
    whole = _whole(f)
    generated = _generated(f, roles)
    assert generated.status == whole.status
    if whole.status == "optimal":
        scale = max(1.0, abs(whole.objective))
        assert abs(generated.objective - whole.objective) <= RELATIVE_TOLERANCE * scale
