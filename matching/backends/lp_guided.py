"""LP-guided CP-SAT: the engine's path for problems with side constraints.

1. Solve the LP relaxation (HiGHS): a bound, and reduced costs.
2. Solve CP-SAT on the LP's support only: a good incumbent fast.
3. Drop every pair whose reduced cost shows it cannot appear in a better placement
   (LP bound - reduced cost <= incumbent), and let CP-SAT search what remains.
If CP-SAT proves the reduced model optimal, the placement is optimal for the full problem:
any placement using a dropped pair is worth no more than the incumbent.
"""

import time
from dataclasses import replace
from importlib import metadata

import numpy as np
import ortools
from numpy.typing import NDArray

from matching.backends import BackendResult
from matching.backends.cpsat import solve_cpsat
from matching.backends.lp import (
    FIXING_TOLERANCE,
    PRICING_TOLERANCE,
    LpResult,
    best_pairs_per_role,
    pair_bounds,
    solve_lp,
)
from matching.formulation import Formulation, restrict
from matching.progress import IncumbentFn
from models.solution import SolveStatus

VERSION = f"ortools {ortools.__version__}, highspy {metadata.version('highspy')}"
#: Shares of the time limit for the LP and for the restricted (incumbent) search.
LP_SHARE = 0.4
INCUMBENT_SHARE = 0.3
#: Pairs per role searched when the LP gives no answer in time.
FALLBACK_PAIRS_PER_ROLE = 20
#: LP values above this count as the LP's support.
SUPPORT_EPS = 1e-6


def _expand(chosen: NDArray[np.bool_], kept: NDArray[np.int64], n_pairs: int) -> NDArray[np.bool_]:
    full = np.zeros(n_pairs, dtype=bool)
    full[kept[chosen]] = True
    return full


def _solve_restricted(
    f: Formulation,
    keep: NDArray[np.bool_],
    objective: tuple[NDArray[np.int64], dict[int, int]],
    time_limit_s: float,
    workers: int,
    seed: int,
    hint: NDArray[np.bool_] | None,
    deadline: float,
    on_incumbent: IncumbentFn | None,
    light: bool,
) -> BackendResult:
    sub, kept = restrict(f, keep)
    pair_coefs, aux = objective
    remapped_aux = {v - f.n_pairs + sub.n_pairs: c for v, c in aux.items()}
    result = solve_cpsat(
        sub,
        time_limit_s=time_limit_s,
        workers=workers,
        seed=seed,
        hint=None if hint is None else hint[kept],
        objective=(pair_coefs[kept], remapped_aux),
        full_lp=True,
        deadline=deadline,
        on_incumbent=on_incumbent,
        bound_is_global=bool(keep.all()),
        light=light,
    )
    return BackendResult(
        result.status,
        _expand(result.chosen, kept, f.n_pairs),
        result.objective,
        result.bound,
        result.backend,
        result.version,
    )


def solve_lp_guided(
    f: Formulation,
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    hint: NDArray[np.bool_] | None = None,
    roles: NDArray[np.int64] | None = None,
    objective: tuple[NDArray[np.int64], dict[int, int]] | None = None,
    on_incumbent: IncumbentFn | None = None,
    lp: LpResult | None = None,
    light: bool = False,
) -> BackendResult:
    """Best placement of the formulation, using the LP to bound and to shrink the search.

    `on_incumbent` hears of the LP bound and of each improving placement. `lp` is the
    relaxation already solved for this formulation and objective, if the caller has it;
    `light` suits many small re-solves (see CpSatModel.solver).
    """
    assert f.pair_objective is not None
    started = time.perf_counter()
    deadline = started + time_limit_s
    objective = objective if objective is not None else (f.pair_objective, f.objective)
    if lp is None:
        lp = solve_lp(
            f, objective[0], objective[1], time_limit_s * LP_SHARE, roles=roles, must_include=hint
        )
    if lp.status == "infeasible":
        return BackendResult(
            SolveStatus.INFEASIBLE, np.zeros(f.n_pairs, bool), None, None, "lp+cpsat", VERSION
        )
    if lp.status != "optimal":
        # No LP answer in time: search each role's best pairs with what time is left.
        if roles is None:
            keep = np.ones(f.n_pairs, dtype=bool)
        else:
            seed_pairs = hint if hint is not None else np.zeros(f.n_pairs, dtype=bool)
            keep = best_pairs_per_role(objective[0], roles, seed_pairs, FALLBACK_PAIRS_PER_ROLE)
        fallback = _solve_restricted(
            f, keep, objective, time_limit_s, workers, seed, hint, deadline, on_incumbent, light
        )
        if keep.all():
            return replace(fallback, backend="lp+cpsat", version=VERSION)
        return replace(
            fallback,
            bound=None,
            backend="lp+cpsat",
            version=VERSION,
            status=SolveStatus.FEASIBLE if fallback.status.is_ok else fallback.status,
        )
    pair_bound = pair_bounds(lp, f.n_pairs)
    # Pricing leaves reduced costs down to -PRICING_TOLERANCE on pairs outside the LP.
    margin = FIXING_TOLERANCE * abs(lp.objective) + PRICING_TOLERANCE * f.n_pairs
    lp_bound = int(np.floor(lp.objective + margin + 1e-6))
    if on_incumbent is not None:
        on_incumbent(None, lp_bound)
    support = lp.values > SUPPORT_EPS
    if hint is not None:
        support |= hint
    left = time_limit_s - (time.perf_counter() - started)
    first = _solve_restricted(
        f,
        support,
        objective,
        max(0.5, left * INCUMBENT_SHARE),
        workers,
        seed,
        hint,
        deadline,
        on_incumbent,
        light,
    )
    if first.status is SolveStatus.OPTIMAL and first.objective == lp_bound:
        return BackendResult(
            SolveStatus.OPTIMAL,
            first.chosen,
            first.objective,
            lp_bound,
            "lp+cpsat",
            VERSION,
            pair_bound,
        )
    if first.status.is_ok:
        assert first.objective is not None
        keep = (pair_bound > first.objective) | first.chosen
        start: NDArray[np.bool_] | None = first.chosen
    else:
        keep, start = np.ones(f.n_pairs, dtype=bool), hint
    second = _solve_restricted(
        f, keep, objective, time_limit_s, workers, seed, start, deadline, on_incumbent, light
    )
    best = (
        second
        if second.status.is_ok
        and (not first.status.is_ok or (second.objective or 0) >= (first.objective or 0))
        else first
    )
    if not best.status.is_ok:
        return BackendResult(
            second.status, best.chosen, None, None, "lp+cpsat", VERSION, pair_bound
        )
    floor_outside = first.objective if first.status.is_ok else None
    reduced_bound = second.bound if second.status.is_ok else None
    bound = lp_bound
    if reduced_bound is not None and (floor_outside is not None or keep.all()):
        bound = min(bound, max(reduced_bound, floor_outside or reduced_bound))
    assert best.objective is not None
    status = SolveStatus.OPTIMAL if best.objective >= bound else SolveStatus.FEASIBLE
    return BackendResult(
        status, best.chosen, best.objective, bound, "lp+cpsat", VERSION, pair_bound
    )
