"""The LP relaxation of the formulation (HiGHS): an upper bound and reduced costs.

Assignment constraints make the relaxation nearly integral, so its optimum is a tight bound
and its reduced costs tell which pairs cannot appear in any better placement. Large models
are solved by column generation: the LP over each role's best pairs, then every pair priced
against its duals (one sparse product) and the improving ones added, until none is left.
"""

import os
import sys
import time
from dataclasses import dataclass, replace

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from matching.formulation import Formulation

#: Pairs per role in the first restricted LP, and most pairs added per pricing round:
#: smaller LPs re-solve faster than fewer rounds save (size xl: 25 s against 36 s with 8
#: and 50,000; size l: 3.6 s against 5.0 s).
INITIAL_PAIRS_PER_ROLE = 3
MAX_ADDED_PER_ROUND = 20_000
#: Reduced costs below this (in scaled objective units) do not improve the LP.
PRICING_TOLERANCE = 1e-6
#: Safety margin on bounds from reduced costs against floating-point error, relative.
FIXING_TOLERANCE = 1e-7
#: Models with fewer pairs than this are solved whole.
COLUMN_GENERATION_MIN_PAIRS = 20_000
#: Total infeasibility below which phase one has found a feasible restricted LP.
PHASE_ONE_TOLERANCE = 1e-6
AT_ZERO = 1e-9


@dataclass(frozen=True)
class LpResult:
    """Optimum of the relaxation (maximisation, scaled units) and what it says per pair."""

    status: str  # optimal | infeasible | limit
    objective: float
    #: At the limit, the last restricted LP's values: a start for the search, not a bound.
    values: NDArray[np.float64]
    drop_cost: NDArray[np.float64]  # least bound decrease if a pair at 0 is forced to 1


def inequalities(f: Formulation) -> tuple[sparse.csc_array, NDArray[np.float64]]:
    """All rows as A x <= b; enforced rows relax by big-M when their indicator is 0."""
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.float64]] = []
    rhs: list[float] = []

    def emit(vars_: NDArray[np.int64], coefs: NDArray[np.float64], bound: float) -> None:
        rows.append(np.full(vars_.size, len(rhs), dtype=np.int64))
        cols.append(vars_)
        vals.append(coefs)
        rhs.append(bound)

    bounds = f.bounds()
    for row in f.rows:
        low, high = f.activity_range(row, bounds) if row.vars.size else (0, 0)
        coefs = row.coefs.astype(np.float64)
        gate = row.enforce
        if row.ub is not None:
            if gate is None:
                emit(row.vars, coefs, row.ub)
            else:
                emit(np.append(row.vars, gate), np.append(coefs, high - row.ub), high)
        if row.lb is not None:
            if gate is None:
                emit(row.vars, -coefs, -row.lb)
            else:
                emit(np.append(row.vars, gate), np.append(-coefs, row.lb - low), -low)
    matrix = sparse.csc_array(
        (
            np.concatenate(vals) if vals else np.zeros(0),
            (
                np.concatenate(rows) if rows else np.zeros(0, np.int64),
                np.concatenate(cols) if cols else np.zeros(0, np.int64),
            ),
        ),
        shape=(len(rhs), f.n_vars),
    )
    return matrix, np.array(rhs, dtype=np.float64)


def as_minimisation(
    f: Formulation, objective: NDArray[np.int64], aux: dict[int, int]
) -> tuple[NDArray[np.float64], sparse.csc_array, NDArray[np.float64]]:
    """min c x s.t. A x <= b: the maximised objective (pair and auxiliary terms) negated,
    and every row as inequalities."""
    c = np.zeros(f.n_vars)
    c[: f.n_pairs] = -objective
    for var, coef in aux.items():
        c[var] -= coef
    matrix, rhs = inequalities(f)
    return c, matrix, rhs


def _silent_highs() -> highspy.Highs:
    """A HiGHS instance; its licence banner would otherwise go to our stdout (JSON, tables)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.setOptionValue("output_flag", False)
    return highs


class _Relaxation:
    """min c x s.t. A x <= b within bounds, in HiGHS; columns join warm-started."""

    def __init__(
        self,
        c: NDArray[np.float64],
        matrix: sparse.csc_array,
        rhs: NDArray[np.float64],
        lower: NDArray[np.float64],
        upper: NDArray[np.float64],
    ) -> None:
        self.c, self.matrix, self.lower, self.upper = c, matrix, lower, upper
        self.highs = _silent_highs()
        self.highs.setOptionValue("threads", 1)
        self.columns: list[int] = []
        self.artificials = 0  # HiGHS columns from here on are phase-one artificials
        self.phase_one = False
        n_rows = rhs.size
        self.highs.addRows(
            n_rows,
            np.full(n_rows, -highspy.kHighsInf),
            rhs,
            0,
            np.zeros(n_rows, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )

    def add_columns(self, columns: NDArray[np.int64]) -> None:
        """Bring these variables into the LP (keeping the current basis)."""
        block = self.matrix[:, columns].tocsc()
        self.highs.addCols(
            columns.size,
            np.zeros(columns.size) if self.phase_one else self.c[columns],
            self.lower[columns],
            self.upper[columns],
            block.nnz,
            block.indptr[:-1].astype(np.int32),
            block.indices.astype(np.int32),
            block.data,
        )
        self.columns.extend(columns.tolist())

    def begin_phase_one(self) -> None:
        """Minimise infeasibility instead of cost: each row gets an artificial column
        (A x - s <= b, s >= 0) costing 1, and the variables cost nothing."""
        n_rows = self.highs.getNumRow()
        n_columns = self.highs.getNumCol()
        self.highs.changeColsCost(
            n_columns, np.arange(n_columns, dtype=np.int32), np.zeros(n_columns)
        )
        self.highs.addCols(
            n_rows,
            np.ones(n_rows),
            np.zeros(n_rows),
            np.full(n_rows, highspy.kHighsInf),
            n_rows,
            np.arange(n_rows, dtype=np.int32),
            np.arange(n_rows, dtype=np.int32),
            np.full(n_rows, -1.0),
        )
        self.artificials = n_columns
        self.phase_one = True

    def end_phase_one(self) -> None:
        """Back to the real costs, with the artificial columns held at 0."""
        n_columns = self.highs.getNumCol()
        artificial = np.flatnonzero(~self._is_real(n_columns)).astype(np.int32)
        self.highs.changeColsBounds(
            artificial.size, artificial, np.zeros(artificial.size), np.zeros(artificial.size)
        )
        real = np.asarray(self.columns, dtype=np.int64)
        positions = np.flatnonzero(self._is_real(n_columns)).astype(np.int32)
        self.highs.changeColsCost(positions.size, positions, self.c[real])
        self.phase_one = False

    def _is_real(self, n_columns: int) -> NDArray[np.bool_]:
        """Which HiGHS columns are variables of the model (not artificials)."""
        real = np.ones(n_columns, dtype=bool)
        if self.artificials:
            real[self.artificials : self.artificials + self.highs.getNumRow()] = False
        return real

    def solve(self, time_limit_s: float) -> bool:
        """Optimise; True if optimal, False if infeasible; raises TimeoutError at the limit."""
        self.highs.setOptionValue("time_limit", max(0.1, time_limit_s))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kModelEmpty):
            return True
        # Every variable is bounded, so "unbounded or infeasible" can only be infeasible.
        if status in (
            highspy.HighsModelStatus.kInfeasible,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return False
        raise TimeoutError(self.highs.modelStatusToString(status))

    def solution(self) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
        """Column values (in `columns` order), row duals and objective."""
        sol = self.highs.getSolution()
        values = np.asarray(sol.col_value)
        return (
            values[self._is_real(values.size)],
            np.asarray(sol.row_dual),
            float(self.highs.getInfo().objective_function_value),
        )


def best_pairs_per_role(
    objective: NDArray[np.int64] | NDArray[np.float64],
    roles: NDArray[np.int64],
    must_include: NDArray[np.bool_],
    per_role: int,
) -> NDArray[np.bool_]:
    """Each role's `per_role` best pairs by objective (or by LP bound), plus pairs that must
    be there."""
    order = np.lexsort((-objective, roles))
    sorted_roles = roles[order]
    starts = np.searchsorted(sorted_roles, sorted_roles, side="left")
    rank = np.arange(order.size) - starts
    chosen = np.zeros(objective.size, dtype=bool)
    chosen[order[rank < per_role]] = True
    return chosen | must_include


def _pair_values(
    lp: _Relaxation, col_values: NDArray[np.float64], f: Formulation
) -> NDArray[np.float64]:
    """Every pair's value in the restricted LP's solution (0 for pairs outside it)."""
    values = np.zeros(f.n_vars)
    values[np.asarray(lp.columns, dtype=np.int64)] = col_values
    return values[: f.n_pairs]


def solve_lp(
    f: Formulation,
    objective: NDArray[np.int64],
    aux: dict[int, int],
    time_limit_s: float,
    roles: NDArray[np.int64] | None = None,
    must_include: NDArray[np.bool_] | None = None,
) -> LpResult:
    """Maximise the relaxation of `objective` (pair coefficients) plus aux terms.

    Args:
        f: the formulation.
        objective: scaled objective coefficient per pair.
        aux: objective coefficients of auxiliary variables.
        time_limit_s: limit for all LP solves together.
        roles: role of each pair, to seed column generation with each role's best pairs.
        must_include: pairs to have in the first restricted LP (a hint, pins).
    """
    # The limit covers building the LP as well: at size l that alone is many seconds.
    deadline = time.perf_counter() + time_limit_s
    c, matrix, rhs = as_minimisation(f, objective, aux)
    lp = _Relaxation(c, matrix, rhs, np.array(f.lower, float), np.array(f.upper, float))
    if roles is None or f.n_pairs < COLUMN_GENERATION_MIN_PAIRS:
        in_model = np.ones(f.n_pairs, dtype=bool)
    else:
        seed = must_include if must_include is not None else np.zeros(f.n_pairs, bool)
        in_model = best_pairs_per_role(objective, roles, seed, INITIAL_PAIRS_PER_ROLE)
    lp.add_columns(
        np.concatenate([np.flatnonzero(in_model), np.arange(f.n_pairs, f.n_vars, dtype=np.int64)])
    )
    pair_matrix_t = matrix[:, : f.n_pairs].T.tocsr()
    at_limit = LpResult("limit", 0.0, np.zeros(f.n_pairs), np.zeros(f.n_pairs))
    infeasible = replace(at_limit, status="infeasible")
    while True:
        try:
            optimal = lp.solve(deadline - time.perf_counter())
        except TimeoutError:
            return at_limit
        if not optimal:
            if in_model.all():
                return infeasible
            if lp.artificials:
                # Feasible in phase one yet not within HiGHS's tolerances: take every pair.
                lp.add_columns(np.flatnonzero(~in_model))
                in_model[:] = True
            else:
                # The restricted LP lacks the columns some >= row needs: find them by
                # pricing against the least infeasibility, not by taking every pair.
                lp.begin_phase_one()
            continue
        col_values, duals, value = lp.solution()
        if lp.phase_one and value <= PHASE_ONE_TOLERANCE:
            lp.end_phase_one()
            continue
        if not lp.phase_one:
            at_limit = replace(at_limit, values=_pair_values(lp, col_values, f))
        costs = 0.0 if lp.phase_one else c[: f.n_pairs]
        reduced = costs - (pair_matrix_t @ duals if rhs.size else 0.0)
        improving = np.flatnonzero(~in_model & (reduced < -PRICING_TOLERANCE))
        if improving.size == 0:
            if lp.phase_one:
                # No pair can lower the infeasibility: the whole LP is infeasible.
                return infeasible
            break
        best = improving[np.argsort(reduced[improving])[:MAX_ADDED_PER_ROUND]]
        lp.add_columns(best)
        in_model[best] = True
    values = at_limit.values
    # Minimising -objective: a pair at 0 with reduced cost d > 0 lowers the maximum by at
    # least d if forced to 1 (the optimal value is concave in that bound).
    drop = np.where(values <= AT_ZERO, np.maximum(reduced, 0.0), 0.0)
    return LpResult("optimal", -value, values, drop)


def pair_bounds(lp: LpResult, n_pairs: int) -> NDArray[np.float64]:
    """Per pair, the most any placement containing it can be worth (scaled units, without
    the model's constant): the LP optimum less the pair's drop cost, with a safety margin
    for floating-point error and for pricing's tolerance on pairs outside the LP."""
    margin = FIXING_TOLERANCE * abs(lp.objective) + 1.0 + PRICING_TOLERANCE * n_pairs
    return lp.objective - lp.drop_cost + margin


class ReusableLp:
    """The whole relaxation held in HiGHS and re-solved warm under extra bounds and rows.

    What-if questions ask many small variations of one problem; each re-solve starts from
    the last basis instead of from scratch.
    """

    def __init__(self, f: Formulation, objective: NDArray[np.int64], aux: dict[int, int]) -> None:
        self.n_pairs = f.n_pairs
        c, matrix, rhs = as_minimisation(f, objective, aux)
        self.lower, self.upper = np.array(f.lower, float), np.array(f.upper, float)
        self.lp = _Relaxation(c, matrix, rhs, self.lower, self.upper)
        self.lp.add_columns(np.arange(f.n_vars, dtype=np.int64))
        self.n_rows = rhs.size

    def _set_bounds(
        self, columns: NDArray[np.int64], lower: NDArray[np.float64], upper: NDArray[np.float64]
    ) -> None:
        if columns.size:
            self.lp.highs.changeColsBounds(columns.size, columns.astype(np.int32), lower, upper)

    def solve(
        self,
        time_limit_s: float,
        fixed_zero: NDArray[np.int64],
        fixed_one: NDArray[np.int64],
        at_least_one: list[NDArray[np.int64]],
    ) -> LpResult:
        """The relaxation with some pairs fixed and, for each group, at least one pair chosen.

        The model is restored afterwards, so questions do not leak into each other.
        """
        fixed = np.concatenate([fixed_zero, fixed_one]).astype(np.int64)
        values = np.concatenate([np.zeros(fixed_zero.size), np.ones(fixed_one.size)])
        self._set_bounds(fixed, values, values)
        highs = self.lp.highs
        for group in at_least_one:
            highs.addRows(
                1,
                np.array([-highspy.kHighsInf]),
                np.array([-1.0]),
                group.size,
                np.array([0], dtype=np.int32),
                group.astype(np.int32),
                np.full(group.size, -1.0),
            )
        try:
            return self._solved(time_limit_s)
        finally:
            if at_least_one:
                extra = np.arange(self.n_rows, self.n_rows + len(at_least_one), dtype=np.int32)
                highs.deleteRows(extra.size, extra)
            self._set_bounds(fixed, self.lower[fixed], self.upper[fixed])

    def _solved(self, time_limit_s: float) -> LpResult:
        """The relaxation as it stands, optimised."""
        result = LpResult("limit", 0.0, np.zeros(self.n_pairs), np.zeros(self.n_pairs))
        try:
            optimal = self.lp.solve(time_limit_s)
        except TimeoutError:
            return result
        if not optimal:
            return replace(result, status="infeasible")
        solution = self.lp.highs.getSolution()
        col_values = np.asarray(solution.col_value)[: self.n_pairs]
        reduced = np.asarray(solution.col_dual)[: self.n_pairs]
        value = float(self.lp.highs.getInfo().objective_function_value)
        drop = np.where(col_values <= AT_ZERO, np.maximum(reduced, 0.0), 0.0)
        return LpResult("optimal", -value, col_values, drop)
