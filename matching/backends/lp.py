"""The LP relaxation of the formulation (HiGHS): an upper bound and reduced costs.

Assignment constraints make the relaxation nearly integral, so its optimum is a tight bound
and its reduced costs tell which pairs cannot appear in any better placement.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from matching.formulation import Formulation

#: scipy.optimize.linprog status for a proven infeasible problem.
LINPROG_INFEASIBLE = 2


@dataclass(frozen=True)
class LpResult:
    """Optimum of the relaxation: objective (scaled), values and reduced costs of pair vars."""

    status: str  # optimal | infeasible | limit
    objective: float
    values: NDArray[np.float64]
    reduced_cost: NDArray[np.float64]  # how much the bound drops per unit a pair moves off its LP value


def _inequalities(f: Formulation) -> tuple[sparse.csr_array, NDArray[np.float64]]:
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

    for row in f.rows:
        low, high = f.activity_range(row) if row.vars.size else (0, 0)
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
    matrix = sparse.csr_array(
        (np.concatenate(vals) if vals else np.zeros(0),
         (np.concatenate(rows) if rows else np.zeros(0, np.int64),
          np.concatenate(cols) if cols else np.zeros(0, np.int64))),
        shape=(len(rhs), f.n_vars),
    )
    return matrix, np.array(rhs, dtype=np.float64)


def solve_lp(f: Formulation, objective: NDArray[np.int64], aux: dict[int, int],
             time_limit_s: float) -> LpResult:
    """Maximise the relaxation of `objective` (pair coefficients) plus aux terms."""
    c = np.zeros(f.n_vars)
    c[: f.n_pairs] = -objective
    for var, coef in aux.items():
        c[var] -= coef
    matrix, rhs = _inequalities(f)
    bounds = np.column_stack([np.array(f.lower, float), np.array(f.upper, float)])
    result = linprog(c, A_ub=matrix if rhs.size else None, b_ub=rhs if rhs.size else None,
                     bounds=bounds, method="highs", options={"time_limit": time_limit_s})
    if result.status != 0:
        status = "infeasible" if result.status == LINPROG_INFEASIBLE else "limit"
        return LpResult(status, 0.0, np.zeros(f.n_pairs), np.zeros(f.n_pairs))
    lower = np.asarray(result.lower.marginals)[: f.n_pairs]
    upper = np.asarray(result.upper.marginals)[: f.n_pairs]
    # Minimising -objective: raising a lower bound costs lower[k] >= 0, lowering an upper
    # bound costs -upper[k] >= 0; both are bound drops for the maximisation.
    reduced = np.maximum(lower, 0.0) + np.maximum(-upper, 0.0)
    return LpResult("optimal", -float(result.fun), np.asarray(result.x)[: f.n_pairs], reduced)
