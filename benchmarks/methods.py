"""The methods the benchmark compares, each from a Problem to a checked placement.

The engine runs as users run it. The peers are what an analyst would otherwise use, each on
the engine's own eligible pairs and formulation, so the comparison is of solvers, not of
transcriptions: plain CP-SAT on the whole model, CBC through PuLP, HiGHS as a MIP through
scipy, a greedy heuristic and, on capacities-only problems, the exact min-cost flow.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.backends.cpsat import STATUS, CpSatModel
from matching.backends.flow import solve_flow
from matching.backends.lp import as_minimisation
from matching.backends.pulp_backend import solve_pulp
from matching.context import ModelContext
from matching.formulation import Formulation
from matching.prepare import prepare
from matching.registry import build_formulation
from matching.report import placements
from matching.rules.diversity_targets import soft_penalty
from matching.scoring import SCALE
from matching.solve import side_constraints, solve
from matching.verify import verify
from models.problem import Problem
from models.solution import Solution, SolveStatus

#: The engine's stages that build the model (eligibility and scoring, the formulation).
BUILD_STAGES = ("eligibility", "model")


@dataclass(frozen=True)
class Run:
    """One method on one problem: times, outcome and whether `verify` accepts it."""

    status: str
    objective: float | None
    bound: float | None
    build_s: float
    solve_s: float
    verified: bool | None  # None: nothing to verify


def _checked(
    problem: Problem,
    ctx: ModelContext,
    f: Formulation | None,
    chosen: NDArray[np.bool_] | None,
    status: SolveStatus,
    bound: float | None,
    build_s: float,
    solve_s: float,
) -> Run:
    """The placement valued on the engine's objective and re-checked by `verify`."""
    if chosen is None or not status.is_ok:
        return Run(status.value, None, bound, build_s, solve_s, None)
    value = int(ctx.scores.coefficient[chosen].sum())
    if f is not None:
        value += soft_penalty(f, chosen) + f.objective_constant
    solution = Solution(status=status, objective=value / SCALE, placements=placements(ctx, chosen))
    return Run(status.value, value / SCALE, bound, build_s, solve_s, not verify(problem, solution))


def _prepared(problem: Problem, with_model: bool) -> tuple[ModelContext, Formulation | None, float]:
    started = time.perf_counter()
    ctx, _ = prepare(problem)
    f = build_formulation(ctx) if with_model else None
    return ctx, f, time.perf_counter() - started


def _seconds(stage: str) -> float:
    """The time a stage of the solver statistics took: they read "what (1.23 s)"."""
    return float(stage.rsplit("(", 1)[1].split(" ")[0])


def engine(problem: Problem, time_limit_s: float) -> Run:
    """The engine end to end (`auto`), as `placement solve` runs it."""
    started = time.perf_counter()
    solution = solve(problem, time_limit_s=time_limit_s)
    wall = time.perf_counter() - started
    stages = solution.solver.stages if solution.solver else []
    build = sum(_seconds(text) for text in stages if text.startswith(BUILD_STAGES))
    ok = solution.status.is_ok
    return Run(
        solution.status.value,
        solution.objective,
        solution.bound,
        build,
        wall - build,
        (not verify(problem, solution)) if ok else None,
    )


def plain_cpsat(problem: Problem, time_limit_s: float) -> Run:
    """CP-SAT on the whole model, no hint, no reduction: the naive baseline."""
    ctx, f, prepared_s = _prepared(problem, with_model=True)
    assert f is not None and f.pair_objective is not None
    started = time.perf_counter()
    m = CpSatModel(f)
    m.set_objective(f.pair_objective, f.objective)
    build_s = prepared_s + time.perf_counter() - started
    solver = m.solver(max(0.1, time_limit_s - build_s), workers=problem.policy.workers, seed=0)
    started = time.perf_counter()
    status = STATUS.get(solver.solve(m.model), SolveStatus.INVALID)
    solve_s = time.perf_counter() - started
    chosen = m.chosen(solver) if status.is_ok else None
    bound = (solver.best_objective_bound + f.objective_constant) / SCALE if status.is_ok else None
    return _checked(problem, ctx, f, chosen, status, bound, build_s, solve_s)


def pulp_cbc(problem: Problem, time_limit_s: float) -> Run:
    """CBC through PuLP on the same formulation."""
    ctx, f, build_s = _prepared(problem, with_model=True)
    assert f is not None
    started = time.perf_counter()
    result = solve_pulp(
        f, time_limit_s=max(0.1, time_limit_s - build_s), workers=problem.policy.workers
    )
    solve_s = time.perf_counter() - started
    bound = None if result.bound is None else (result.bound + f.objective_constant) / SCALE
    return _checked(problem, ctx, f, result.chosen, result.status, bound, build_s, solve_s)


def highs_mip(problem: Problem, time_limit_s: float) -> Run:
    """HiGHS as a MIP through scipy.optimize.milp on the same rows."""
    ctx, f, prepared_s = _prepared(problem, with_model=True)
    assert f is not None and f.pair_objective is not None
    started = time.perf_counter()
    c, matrix, rhs = as_minimisation(f, f.pair_objective, f.objective)
    constraints = [LinearConstraint(matrix, -np.inf, rhs)] if rhs.size else []
    bounds = Bounds(np.array(f.lower, float), np.array(f.upper, float))
    build_s = prepared_s + time.perf_counter() - started
    started = time.perf_counter()
    result = milp(
        c,
        constraints=constraints,
        integrality=np.ones(f.n_vars),
        bounds=bounds,
        options={"time_limit": max(0.1, time_limit_s - build_s), "mip_rel_gap": 0.0},
    )
    solve_s = time.perf_counter() - started
    if result.status == 2:
        return Run("infeasible", None, None, build_s, solve_s, None)
    if result.x is None:
        return Run("timeout_no_solution", None, None, build_s, solve_s, None)
    chosen = np.rint(result.x[: f.n_pairs]).astype(bool)
    status = SolveStatus.OPTIMAL if result.status == 0 else SolveStatus.FEASIBLE
    dual = getattr(result, "mip_dual_bound", None)
    bound = None if dual is None else (-dual + f.objective_constant) / SCALE
    return _checked(problem, ctx, f, chosen, status, bound, build_s, solve_s)


def greedy(problem: Problem, time_limit_s: float) -> Run:
    """Best pair first, taken if it keeps the at-most rules: one person per role, the
    candidate's capacity and one role per organisation (H1, H2), the budget (H9) and people
    drawn per organisation (H11). At-least rules (must-fill, board requirements, hard
    targets) are not pursued: `verify` says whether the answer happens to meet them."""
    ctx, _, build_s = _prepared(problem, with_model=False)
    started = time.perf_counter()
    a, pairs, policy = ctx.arrays, ctx.pairs, problem.policy
    chosen = np.zeros(pairs.size, dtype=bool)
    role_taken = np.zeros(a.n_roles, dtype=bool)
    load = np.zeros(a.n_candidates, dtype=np.int64)
    seats: set[tuple[int, int]] = set()
    drawn = np.zeros(a.n_organisations, dtype=np.int64)
    budget_left = policy.budget if policy.budget is not None else np.inf
    limit = policy.max_drawn_per_organisation
    for pin in ctx.pins:
        k = ctx.pin_index(pin)
        chosen[k], role_taken[pin.role] = True, True
        home = int(a.cand_current_org[pin.cand])
        drawn[home] += load[pin.cand] == 0 and home >= 0
        load[pin.cand] += 1
        seats.add((pin.cand, int(a.role_org[pin.role])))
        budget_left -= int(pairs.cost[k])
    for k in np.argsort(-ctx.scores.coefficient, kind="stable"):
        if ctx.scores.coefficient[k] <= 0:
            break
        c, r = int(pairs.cand[k]), int(pairs.role[k])
        org, home = int(a.role_org[r]), int(a.cand_current_org[c])
        first_move = load[c] == 0 and home >= 0
        if (
            role_taken[r]
            or load[c] >= a.cand_capacity[c]
            or (c, org) in seats
            or pairs.cost[k] > budget_left
            or (first_move and limit is not None and drawn[home] >= limit)
        ):
            continue
        chosen[k], role_taken[r] = True, True
        load[c] += 1
        seats.add((c, org))
        budget_left -= int(pairs.cost[k])
        drawn[home] += first_move
    solve_s = time.perf_counter() - started
    f = build_formulation(ctx) if side_constraints(problem) else None
    return _checked(problem, ctx, f, chosen, SolveStatus.FEASIBLE, None, build_s, solve_s)


def min_cost_flow(problem: Problem, time_limit_s: float) -> Run:
    """The exact min-cost flow: capacities-only problems only."""
    if side_constraints(problem):
        return Run("not_applicable", None, None, 0.0, 0.0, None)
    ctx, _, build_s = _prepared(problem, with_model=False)
    started = time.perf_counter()
    result = solve_flow(ctx)
    solve_s = time.perf_counter() - started
    bound = None if result.bound is None else result.bound / SCALE
    return _checked(problem, ctx, None, result.chosen, result.status, bound, build_s, solve_s)


METHODS: dict[str, Callable[[Problem, float], Run]] = {
    "engine": engine,
    "cpsat": plain_cpsat,
    "cbc": pulp_cbc,
    "highs": highs_mip,
    "greedy": greedy,
    "flow": min_cost_flow,
}
