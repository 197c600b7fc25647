"""The exact path: with capacities only (H1, H2, H10), the placement is a min-cost flow.

source -> candidate (capacity left) -> role (pair arcs, cost -value) -> sink, with a bypass
arc source -> sink so that roles may stay empty. A must-fill role has no sink arc and a demand
of one unit instead, so the flow is infeasible exactly when H1 cannot be met. Where a
candidate could take two or more roles at one organisation, those pair arcs leave a node of
capacity one between candidate and roles instead (H2: one role per organisation).
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
    seats = {(pin.cand, int(ctx.arrays.role_org[pin.role])) for pin in ctx.pins}
    _, capacity, _ = _pinned(ctx)
    return (
        len(set(roles)) == len(roles) and len(seats) == len(roles) and bool(np.all(capacity >= 0))
    )


def _pinned_organisations(ctx: ModelContext) -> NDArray[np.bool_]:
    """Pairs at an organisation where their candidate is already pinned (H2)."""
    a, pairs = ctx.arrays, ctx.pairs
    pinned = [pin.cand * a.n_organisations + a.role_org[pin.role] for pin in ctx.pins]
    return np.isin(pairs.cand * a.n_organisations + a.role_org[pairs.role], pinned)


def solve_flow(ctx: ModelContext, value: NDArray[np.int64] | None = None) -> BackendResult:
    """Maximise the total value of placed pairs (default: the merit coefficients) exactly.

    Raises:
        AssignmentError: if the values are too large for 64-bit flow costs.
    """
    value = ctx.scores.coefficient if value is None else value
    version = f"ortools {ortools.__version__}"
    infeasible = BackendResult(
        SolveStatus.INFEASIBLE, np.zeros(ctx.pairs.size, bool), None, None, "flow", version
    )
    if not pins_fit_capacities(ctx):
        return infeasible
    chosen, capacity, taken = _pinned(ctx)
    a, pairs = ctx.arrays, ctx.pairs
    must = a.role_must_fill & ~taken
    usable = ~taken[pairs.role] & (capacity[pairs.cand] > 0) & ((value > 0) | must[pairs.role])
    if ctx.pins:
        usable &= ~_pinned_organisations(ctx)
    arcs = np.flatnonzero(usable)
    n_c, n_r = a.n_candidates, a.n_roles
    shared, group = ctx.same_organisation_groups(arcs[capacity[pairs.cand[arcs]] >= 2])
    n_groups = int(group.max(initial=-1)) + 1
    # OR-Tools scales costs by the node count: keep that and every path sum within 64 bits.
    largest = float(np.abs(value[arcs]).max(initial=0)) * (n_c + n_r + n_groups + 3)
    total = float(np.abs(value[arcs]).sum(dtype=np.float64))
    if max(largest, total) >= INT64_LIMIT:
        raise AssignmentError("objective values too large for the min-cost flow; use cpsat")

    source, sink = n_c + n_r, n_c + n_r + 1
    free_roles = np.flatnonzero(~taken)
    open_roles = free_roles[~must[free_roles]]
    needed = free_roles[must[free_roles]]
    supply = int(free_roles.size)
    cands = np.flatnonzero(capacity > 0)
    # One node per candidate and organisation with several usable pairs, after the sink.
    tails = pairs.cand.copy()
    tails[shared] = sink + 1 + group
    first = np.flatnonzero(np.diff(group, prepend=-1))
    graph = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = graph.add_arcs_with_capacity_and_unit_cost(
        tails[arcs], n_c + pairs.role[arcs], np.ones(arcs.size, dtype=np.int64), -value[arcs]
    )
    graph.add_arcs_with_capacity_and_unit_cost(
        pairs.cand[shared[first]],
        sink + 1 + group[first],
        np.ones(first.size, np.int64),
        np.zeros(first.size, np.int64),
    )
    graph.add_arcs_with_capacity_and_unit_cost(
        np.full(cands.size, source), cands, capacity[cands], np.zeros(cands.size, np.int64)
    )
    graph.add_arcs_with_capacity_and_unit_cost(
        n_c + open_roles,
        np.full(open_roles.size, sink),
        np.ones(open_roles.size, np.int64),
        np.zeros(open_roles.size, np.int64),
    )
    graph.add_arc_with_capacity_and_unit_cost(source, sink, supply, 0)
    # A must-fill role is a node that consumes one unit: H1 "exactly one" as a demand.
    graph.set_nodes_supplies(
        np.concatenate([[source, sink], n_c + needed]),
        np.concatenate([[supply, needed.size - supply], np.full(needed.size, -1)]),
    )
    status = graph.solve()
    if status == graph.INFEASIBLE:
        return infeasible
    if status != graph.OPTIMAL:
        raise AssignmentError("min-cost flow did not reach optimality", status=status)
    chosen[arcs[graph.flows(pair_arcs) > 0]] = True
    objective = int(value[chosen].sum())
    return BackendResult(SolveStatus.OPTIMAL, chosen, objective, objective, "flow", version)
