"""LP-guided CP-SAT: the engine's path for problems with side constraints.

1. Solve the LP relaxation (HiGHS): a bound, and reduced costs.
2. Solve CP-SAT on the LP's support only, from the rounded LP solution: a good incumbent
   fast (the relaxation of an assignment model is nearly integral).
3. Improve it over a neighbourhood: each role's pairs with the best LP bounds.
4. Drop every pair whose reduced cost shows it cannot appear in a better placement
   (LP bound - reduced cost <= incumbent), and let CP-SAT search what remains, when that
   is small enough to be searched in time.
If CP-SAT proves the reduced model optimal, the placement is optimal for the full problem:
any placement using a dropped pair is worth no more than the incumbent.

Measured on generated size l, full variant, with the search alone timed: the LP
support holds 2,576 of 513,351 pairs and, without presolve, CP-SAT solves it in 1.3 s
(5.3 s with presolve, 19 s starting from the flow hint instead of the rounded LP); what
reduced costs leave there (163,345 pairs) CP-SAT could not even start in 40 s.
"""

import time
from dataclasses import dataclass, replace
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
#: Shares of the time left for the LP, the search of its support and the neighbourhood.
LP_SHARE = 0.5
INCUMBENT_SHARE = 0.3
NEIGHBOURHOOD_SHARE = 0.3
#: Pairs per role searched when the LP gives no answer in time.
FALLBACK_PAIRS_PER_ROLE = 5
#: Pairs per role, by LP bound, that the neighbourhood adds to the incumbent's support.
NEIGHBOURS_PER_ROLE = 2
#: Largest reduced model searched for a proof: size m (13,456 pairs) is proven in seconds;
#: size l (163,345) could not be started in 40 s and only costs memory.
PROOF_MAX_PAIRS = 50_000
#: LP values above this count as the LP's support.
SUPPORT_EPS = 1e-6


@dataclass(frozen=True)
class _Search:
    """CP-SAT over subsets of the pairs, with the run's objective, limits and listener."""

    f: Formulation
    objective: tuple[NDArray[np.int64], dict[int, int]]
    workers: int
    seed: int
    deadline: float
    on_incumbent: IncumbentFn | None
    light: bool

    def over(
        self,
        keep: NDArray[np.bool_],
        start: NDArray[np.bool_] | None,
        time_limit_s: float,
        presolve: bool = True,
    ) -> BackendResult:
        """The best placement using only the kept pairs, searched from `start`."""
        f = self.f
        sub, kept = restrict(f, keep)
        pair_coefs, aux = self.objective
        remapped_aux = {v - f.n_pairs + sub.n_pairs: c for v, c in aux.items()}
        result = solve_cpsat(
            sub,
            time_limit_s=time_limit_s,
            workers=self.workers,
            seed=self.seed,
            hint=None if start is None else start[kept],
            objective=(pair_coefs[kept], remapped_aux),
            full_lp=True,
            deadline=self.deadline,
            on_incumbent=self.on_incumbent,
            bound_is_global=bool(keep.all()),
            light=self.light,
            presolve=presolve,
        )
        chosen = np.zeros(f.n_pairs, dtype=bool)
        chosen[kept[result.chosen]] = True
        return replace(result, chosen=chosen)

    def left(self) -> float:
        """Seconds to the deadline."""
        return self.deadline - time.perf_counter()


def _better(a: BackendResult, b: BackendResult) -> BackendResult:
    """The one with a placement and the higher objective (a on ties)."""
    if not b.status.is_ok:
        return a
    if not a.status.is_ok or (b.objective or 0) > (a.objective or 0):
        return b
    return a


def _without_lp(
    search: _Search,
    roles: NDArray[np.int64] | None,
    hint: NDArray[np.bool_] | None,
    extra: NDArray[np.bool_],
    partial: LpResult,
) -> BackendResult:
    """No LP optimum in time: search the last restricted LP's support from its rounding
    (as step 2 would, without a bound), then widen to each role's best pairs."""
    f = search.f
    seen = (partial.values > SUPPORT_EPS) | extra
    found = None
    if seen.any():
        start = hint if hint is not None else partial.values > 0.5
        found = search.over(seen, start, search.left() * INCUMBENT_SHARE, False)
    keep = np.ones(f.n_pairs, dtype=bool)
    if roles is not None:
        keep = best_pairs_per_role(search.objective[0], roles, seen, FALLBACK_PAIRS_PER_ROLE)
    start = found.chosen if found is not None and found.status.is_ok else hint
    wider = search.over(keep, start if start is not None else extra, search.left())
    found = wider if found is None else _better(found, wider)
    if keep.all() and found is wider:
        return replace(found, backend="lp+cpsat", version=VERSION)
    return replace(
        found,
        bound=None,
        backend="lp+cpsat",
        version=VERSION,
        status=SolveStatus.FEASIBLE if found.status.is_ok else found.status,
    )


def _neighbourhood(
    search: _Search,
    incumbent: BackendResult,
    pair_bound: NDArray[np.float64],
    roles: NDArray[np.int64] | None,
    support: NDArray[np.bool_],
) -> BackendResult:
    """The incumbent improved over the support plus each role's best other pairs by LP
    bound (those that could still beat it): a cheap step before, or instead of, the proof."""
    if roles is None:
        return incumbent
    assert incumbent.objective is not None
    promising = np.where(pair_bound > incumbent.objective, np.floor(pair_bound), -np.inf)
    near = best_pairs_per_role(promising, roles, support | incumbent.chosen, NEIGHBOURS_PER_ROLE)
    near &= np.isfinite(promising) | support | incumbent.chosen
    if near.sum() == support.sum():
        return incumbent
    found = search.over(near, incumbent.chosen, search.left() * NEIGHBOURHOOD_SHARE, False)
    return _better(incumbent, replace(found, status=SolveStatus.FEASIBLE))


def _wider(
    search: _Search,
    pair_bound: NDArray[np.float64],
    roles: NDArray[np.int64] | None,
    support: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Where to look when the support holds no placement: every pair if few enough, else
    each role's best pairs by LP bound."""
    n_pairs = search.f.n_pairs
    if roles is None or n_pairs <= PROOF_MAX_PAIRS:
        return np.ones(n_pairs, dtype=bool)
    return best_pairs_per_role(np.floor(pair_bound), roles, support, FALLBACK_PAIRS_PER_ROLE)


def solve_lp_guided(
    f: Formulation,
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    hint: NDArray[np.bool_] | None = None,
    columns: NDArray[np.bool_] | None = None,
    roles: NDArray[np.int64] | None = None,
    objective: tuple[NDArray[np.int64], dict[int, int]] | None = None,
    on_incumbent: IncumbentFn | None = None,
    lp: LpResult | None = None,
    light: bool = False,
) -> BackendResult:
    """Best placement of the formulation, using the LP to bound and to shrink the search.

    `hint` is a placement to start the search from (else the rounded LP solution);
    `columns` are pairs worth having in the LP and the first search (a relaxation's answer).
    `on_incumbent` hears of the LP bound and of each improving placement. `lp` is the
    relaxation already solved for this formulation and objective, if the caller has it;
    `light` suits many small re-solves (see CpSatModel.solver).
    """
    assert f.pair_objective is not None
    deadline = time.perf_counter() + time_limit_s
    objective = objective if objective is not None else (f.pair_objective, f.objective)
    search = _Search(f, objective, workers, seed, deadline, on_incumbent, light)
    extra = np.zeros(f.n_pairs, dtype=bool)
    for pairs in (hint, columns):
        if pairs is not None:
            extra |= pairs
    if lp is None:
        lp = solve_lp(
            f, objective[0], objective[1], time_limit_s * LP_SHARE, roles=roles, must_include=extra
        )
    if lp.status == "infeasible":
        return BackendResult(
            SolveStatus.INFEASIBLE, np.zeros(f.n_pairs, bool), None, None, "lp+cpsat", VERSION
        )
    if lp.status != "optimal":
        return _without_lp(search, roles, hint, extra, lp)
    pair_bound = pair_bounds(lp, f.n_pairs)
    # Pricing leaves reduced costs down to -PRICING_TOLERANCE on pairs outside the LP.
    margin = FIXING_TOLERANCE * abs(lp.objective) + PRICING_TOLERANCE * f.n_pairs
    lp_bound = int(np.floor(lp.objective + margin + 1e-6))
    if on_incumbent is not None:
        on_incumbent(None, lp_bound)
    rounded = lp.values > 0.5
    support = (lp.values > SUPPORT_EPS) | rounded | extra
    start = hint if hint is not None else rounded
    first = search.over(support, start, max(0.5, search.left() * INCUMBENT_SHARE), False)
    if first.status is SolveStatus.OPTIMAL and first.objective == lp_bound:
        return replace(
            first, bound=lp_bound, backend="lp+cpsat", version=VERSION, pair_bound=pair_bound
        )
    if not first.status.is_ok:
        best, keep, floor_outside = first, _wider(search, pair_bound, roles, support), None
    else:
        best = _neighbourhood(search, first, pair_bound, roles, support)
        assert best.objective is not None
        keep = (pair_bound > best.objective) | best.chosen
        floor_outside = best.objective
    bound = lp_bound
    if not best.status.is_ok or keep.sum() <= PROOF_MAX_PAIRS:
        second = search.over(keep, best.chosen if best.status.is_ok else hint, search.left())
        if second.status.is_ok and (floor_outside is not None or keep.all()):
            assert second.bound is not None
            bound = min(bound, max(second.bound, floor_outside or second.bound))
        best = _better(best, second)
    if not best.status.is_ok:
        return BackendResult(best.status, best.chosen, None, None, "lp+cpsat", VERSION, pair_bound)
    assert best.objective is not None
    status = SolveStatus.OPTIMAL if best.objective >= bound else SolveStatus.FEASIBLE
    return BackendResult(
        status, best.chosen, best.objective, bound, "lp+cpsat", VERSION, pair_bound
    )
