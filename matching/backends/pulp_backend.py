"""The same formulation solved by CBC through PuLP: an independent solver to cross-check."""

import numpy as np
import pulp
from numpy.typing import NDArray

from matching.backends import BackendResult
from matching.formulation import Formulation, Row
from models.solution import SolveStatus


def _add_row(
    problem: pulp.LpProblem,
    f: Formulation,
    variables: list[pulp.LpVariable],
    row: Row,
    index: int,
    bounds: tuple[NDArray[np.int64], NDArray[np.int64]],
) -> None:
    expr = pulp.lpSum(int(c) * variables[v] for v, c in zip(row.vars, row.coefs, strict=True))
    low, high = f.activity_range(row, bounds) if row.vars.size else (0, 0)
    gate = variables[row.enforce] if row.enforce is not None else None
    if row.lb is not None:
        # Enforced rows relax by big-M when their indicator is 0.
        slack = (row.lb - low) * (1 - gate) if gate is not None else 0
        problem += expr + slack >= row.lb, f"r{index}_lb"
    if row.ub is not None:
        slack = (high - row.ub) * (1 - gate) if gate is not None else 0
        problem += expr - slack <= row.ub, f"r{index}_ub"


def solve_pulp(
    f: Formulation,
    *,
    time_limit_s: float,
    workers: int,
    objective: tuple[NDArray[np.int64], dict[int, int]] | None = None,
) -> BackendResult:
    """Solve the formulation with CBC; the objective is the same scaled integer one."""
    assert f.pair_objective is not None
    problem = pulp.LpProblem("placement", pulp.LpMaximize)
    variables = [problem.add_variable(f"x{k}", 0, 1, cat=pulp.LpBinary) for k in range(f.n_pairs)]
    variables += [
        problem.add_variable(f"a{i}", lo, hi, cat=pulp.LpInteger)
        for i, (lo, hi) in enumerate(zip(f.lower[f.n_pairs :], f.upper[f.n_pairs :], strict=True))
    ]
    pair_coefs, aux = objective if objective is not None else (f.pair_objective, f.objective)
    problem += pulp.lpSum(
        [int(c) * variables[k] for k, c in enumerate(pair_coefs) if c]
        + [c * variables[v] for v, c in aux.items()]
    )
    bounds = f.bounds()
    for i, row in enumerate(f.rows):
        _add_row(problem, f, variables, row, i, bounds)
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, threads=workers)
    problem.solve(solver)
    version = f"pulp {pulp.__version__} (CBC)"
    status = problem.status
    has_solution = problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    if status == pulp.LpStatusInfeasible:
        return BackendResult(
            SolveStatus.INFEASIBLE, np.zeros(f.n_pairs, bool), None, None, "pulp", version
        )
    if not has_solution:
        return BackendResult(
            SolveStatus.TIMEOUT_NO_SOLUTION, np.zeros(f.n_pairs, bool), None, None, "pulp", version
        )
    chosen = np.array([(v.value() or 0) > 0.5 for v in variables[: f.n_pairs]], dtype=bool)
    aux_values = {v: round(variables[v].value() or 0) for v in aux}
    value = int(pair_coefs[chosen].sum()) + sum(c * aux_values[v] for v, c in aux.items())
    optimal = problem.sol_status == pulp.LpSolutionOptimal
    return BackendResult(
        SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE,
        chosen,
        value,
        value if optimal else None,
        "pulp",
        version,
    )
