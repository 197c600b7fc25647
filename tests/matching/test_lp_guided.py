"""The LP-guided search when the LP gives no optimum in time: still a verified placement."""

import numpy as np
import pytest

from matching.backends.lp import LpResult, solve_lp
from matching.backends.lp_guided import solve_lp_guided
from matching.prepare import prepare
from matching.registry import build_formulation
from matching.report import placements
from matching.verify import verify
from models.solution import Solution
from scenarios.generate import generate_problem

TIME_LIMIT_S = 10.0


@pytest.fixture(scope="module")
def model():
    problem = generate_problem("xs", seed=3, variant="full")
    ctx, _ = prepare(problem)
    return problem, ctx, build_formulation(ctx)


def _verified(problem, ctx, chosen) -> bool:
    solution = Solution(status="feasible", objective=0, placements=placements(ctx, chosen))
    return not verify(problem, solution)


def _guided(ctx, f, lp=None):
    return solve_lp_guided(
        f, time_limit_s=TIME_LIMIT_S, workers=1, seed=0, roles=ctx.pairs.role, lp=lp
    )


@pytest.mark.parametrize("partial", ["none", "restricted"])
def test_no_lp_optimum_still_gives_a_verified_placement(model, partial):
    """Without an LP optimum (nothing, or a restricted LP's values) the search still finds a
    placement that verifies and is worth no more than the optimum."""
    problem, ctx, f = model
    best = _guided(ctx, f)
    assert best.status.value == "optimal"
    values = np.zeros(f.n_pairs)
    if partial == "restricted":
        values = np.where(best.chosen, 1.0, 0.0)
        values[: f.n_pairs // 2] = 0.0  # only part of an optimum, as after a few rounds
    at_limit = LpResult("limit", 0.0, values, np.zeros(f.n_pairs))
    found = _guided(ctx, f, at_limit)
    assert found.status.is_ok
    assert found.objective is not None and found.objective <= best.objective
    assert _verified(problem, ctx, found.chosen)


def test_full_lp_bound_holds(model):
    """The LP bound the search reports is at least its objective, on the optimum too."""
    _, ctx, f = model
    lp = solve_lp(f, f.pair_objective, f.objective, TIME_LIMIT_S, roles=ctx.pairs.role)
    found = _guided(ctx, f, lp)
    assert found.objective is not None and found.bound is not None
    assert found.objective <= found.bound <= np.floor(lp.objective) + 1
