"""The exact path: with capacities only (H1, H2, H10), the placement is a min-cost flow.

source -> candidate (capacity left) -> role (pair arcs, cost -value) -> sink, with a bypass
arc source -> sink so that roles may stay empty. A must-fill role's sink arc carries a bonus
larger than any placement's value, so filling every must-fill role comes first.
"""

import numpy as np
import ortools
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from matching.backends import BackendResult
from matching.context import ModelContext
from matching.errors import AssignmentError
from models.solution import SolveStatus

INT64_LIMIT = 2**62


def _pinned(ctx: ModelContext) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.bool_]]:
    """Pre-assign pins: chosen pairs, capacity left per candidate, roles taken."""
    chosen = np.zeros(ctx.pairs.size, dtype=bool)
    capacity = ctx.arrays.cand_capacity.copy()
    taken = np.zeros(ctx.arrays.n_roles, dtype=bool)
    for pin in ctx.pins:
        chosen[ctx.pin_index(pin)] = True
        capacity[pin.cand] -= 1
        taken[pin.role] = True
    return chosen, capacity, taken


def pins_fit_capacities(ctx: ModelContext) -> bool:
    """Pins alone respect H1 and H2 (otherwise the problem is infeasible)."""
    roles = [pin.role for pin in ctx.pins]
    _, capacity, _ = _pinned(ctx)
    return len(set(roles)) == len(roles) and bool(np.all(capacity >= 0))


def solve_flow(ctx: ModelContext, value: NDArray[np.int64] | None = None) -> BackendResult:
    """Maximise the total value of placed pairs (default: the merit coefficients) exactly.

    Raises:
        AssignmentError: if the values are too large for 64-bit flow costs.
    """
    value = ctx.scores.coefficient if value is None else value
    version = f"ortools {ortools.__version__}"
    if not pins_fit_capacities(ctx):
        return BackendResult(
            SolveStatus.INFEASIBLE, np.zeros(ctx.pairs.size, bool), None, None, "flow", version
        )
    chosen, capacity, taken = _pinned(ctx)
    a, pairs = ctx.arrays, ctx.pairs
    must = a.role_must_fill & ~taken
    usable = ~taken[pairs.role] & (capacity[pairs.cand] > 0) & ((value > 0) | must[pairs.role])
    arcs = np.flatnonzero(usable)
    magnitude = float(np.abs(value[arcs]).sum(dtype=np.float64)) + 1.0
    if magnitude * max(1, int(must.sum())) >= INT64_LIMIT:
        raise AssignmentError("objective values too large for the min-cost flow; use cpsat")
    bonus = int(np.abs(value[arcs]).sum()) + 1

    n_c, n_r = a.n_candidates, a.n_roles
    source, sink = n_c + n_r, n_c + n_r + 1
    free_roles = np.flatnonzero(~taken)
    supply = int(free_roles.size)
    cands = np.flatnonzero(capacity > 0)
    graph = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = graph.add_arcs_with_capacity_and_unit_cost(
        pairs.cand[arcs], n_c + pairs.role[arcs], np.ones(arcs.size, dtype=np.int64), -value[arcs]
    )
    graph.add_arcs_with_capacity_and_unit_cost(
        np.full(cands.size, source), cands, capacity[cands], np.zeros(cands.size, np.int64)
    )
    graph.add_arcs_with_capacity_and_unit_cost(
        n_c + free_roles,
        np.full(free_roles.size, sink),
        np.ones(free_roles.size, np.int64),
        np.where(must[free_roles], -bonus, 0).astype(np.int64),
    )
    graph.add_arc_with_capacity_and_unit_cost(source, sink, supply, 0)
    graph.set_nodes_supplies(np.array([source, sink]), np.array([supply, -supply]))
    if graph.solve() != graph.OPTIMAL:
        raise AssignmentError("min-cost flow did not reach optimality", status=graph.status)
    chosen[arcs[graph.flows(pair_arcs) > 0]] = True
    filled = np.zeros(n_r, dtype=bool)
    filled[pairs.role[chosen]] = True
    if np.any(a.role_must_fill & ~filled):
        return BackendResult(
            SolveStatus.INFEASIBLE, np.zeros(pairs.size, bool), None, None, "flow", version
        )
    total = int(value[chosen].sum())
    return BackendResult(SolveStatus.OPTIMAL, chosen, total, total, "flow", version)
