"""Translate the formulation to CP-SAT and solve it; optionally diagnose infeasibility."""

import time

import numpy as np
import ortools
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from matching.backends import BackendResult
from matching.formulation import Formulation, Row, Tag
from matching.progress import IncumbentFn
from models.solution import SolveStatus

#: Name pair variables only when the model is small enough for names to be cheap.
NAMED_PAIRS_LIMIT = 50_000
#: Shortest search allowed, so that a late stage still returns its hinted solution.
MIN_SEARCH_S = 0.5
#: Up to this many workers, a single full-LP worker beats a portfolio (see CpSatModel.solver).
FULL_LP_MAX_WORKERS = 2

STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.TIMEOUT_NO_SOLUTION,
}


class CpSatModel:
    """A CP-SAT model of a formulation, written straight into the model proto.

    The proto's repeated fields take numpy arrays whole, so building costs a few C++ copies
    per row instead of a Python object per pair: at generated size l (513,351 pairs, 10,821
    rows) 0.7 s against 8.7 s through the modelling API.
    With `enforce_by_tag`, each rule instance holds only behind its own literal (diagnosis).
    """

    def __init__(
        self, f: Formulation, pair_names: list[str] | None = None, enforce_by_tag: bool = False
    ) -> None:
        self.formulation = f
        self.model = cp_model.CpModel()
        proto = self.model.proto
        # The template variable lives inside its own model, which must outlive the copying:
        # a field of a collected proto is freed memory.
        template = cp_model.CpModel()
        boolean = template.proto.variables.add()
        boolean.domain.extend((0, 1))
        proto.variables.extend([boolean] * f.n_pairs)
        if pair_names:
            for variable, name in zip(proto.variables, pair_names, strict=True):
                variable.name = name
        for name, lo, hi in zip(f.names, f.lower[f.n_pairs :], f.upper[f.n_pairs :], strict=True):
            self.model.new_int_var(lo, hi, name)
        self.literals: dict[Tag, cp_model.IntVar] = {}
        for row in f.rows:
            self._add_row(row, enforce_by_tag)

    def var(self, index: int) -> cp_model.IntVar:
        """The model's variable for formulation variable `index`."""
        return self.model.get_int_var_from_proto_index(index)

    def _literal(self, tag: Tag) -> cp_model.IntVar:
        if tag not in self.literals:
            self.literals[tag] = self.model.new_bool_var(
                f"holds[{tag.rule}|{'|'.join(tag.records)}]"
            )
        return self.literals[tag]

    def _add_row(self, row: Row, enforce_by_tag: bool) -> None:
        enforce = [row.enforce] if row.enforce is not None else []
        if enforce_by_tag:
            enforce.append(self._literal(row.tag).index)
        if row.vars.size == 0:
            # An empty sum is 0: a row that 0 violates can only hold while not enforced.
            if (row.lb is not None and row.lb > 0) or (row.ub is not None and row.ub < 0):
                self.model.add_bool_or([]).only_enforce_if([self.var(v) for v in enforce])
            return
        constraint = self.model.proto.constraints.add()
        constraint.enforcement_literal.extend(enforce)
        constraint.linear.vars.extend(row.vars)
        constraint.linear.coeffs.extend(row.coefs)
        constraint.linear.domain.extend(
            (
                row.lb if row.lb is not None else cp_model.INT_MIN,
                row.ub if row.ub is not None else cp_model.INT_MAX,
            )
        )

    def set_objective(self, pair_coefs: NDArray[np.int64], aux: dict[int, int]) -> None:
        """Maximise pair_coefs . x + sum of aux coefficients.

        CP-SAT minimises: a maximisation is stored negated with scaling factor -1, as the
        modelling API's `maximize` stores it.
        """
        self.model.clear_objective()
        nonzero = np.flatnonzero(pair_coefs)
        objective = self.model.proto.objective
        objective.vars.extend(np.concatenate([nonzero, np.fromiter(aux, np.int64, len(aux))]))
        objective.coeffs.extend(
            -np.concatenate([pair_coefs[nonzero], np.fromiter(aux.values(), np.int64, len(aux))])
        )
        objective.scaling_factor = -1.0

    def add_hint(self, chosen: NDArray[np.bool_]) -> None:
        """Start the search from a known placement."""
        hint = self.model.proto.solution_hint
        hint.vars.extend(np.arange(self.formulation.n_pairs))
        hint.values.extend(chosen.astype(np.int64))

    def solver(
        self,
        time_limit_s: float,
        workers: int,
        seed: int,
        full_lp: bool = False,
        light: bool = False,
        presolve: bool = True,
    ) -> cp_model.CpSolver:
        """A solver with the run's limits: exact optimality, fixed seed.

        With `full_lp`, one worker searches with every constraint in its LP relaxation:
        on assignment models with a few wide side rows that proves optimality far sooner
        than a small portfolio whose workers keep only part of the LP (measured in
        benchmarks/, notes in the module docstring of matching.backends.lp_guided).
        With `light` (many small re-solves, as what-if questions make), presolve and the
        full LP cost more than they save: measured 0.17 s a question with them and
        0.045 s without, on generated size s. Without `presolve`, small restricted models
        start searching at once: an LP support of 2,576 pairs at size l is solved in 1.3 s
        instead of 5.3 s, nearly all of it presolve.
        """
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.num_workers = 1 if full_lp and workers <= FULL_LP_MAX_WORKERS else workers
        solver.parameters.random_seed = seed
        solver.parameters.relative_gap_limit = 0.0
        if full_lp:
            solver.parameters.linearization_level = 1 if light else 2
        if light or not presolve:
            solver.parameters.cp_model_presolve = False
        return solver

    def chosen(self, solver: cp_model.CpSolver) -> NDArray[np.bool_]:
        """Pair decisions of the solver's best solution."""
        values = np.fromiter(solver.response_proto.solution, dtype=np.int64)
        return values[: self.formulation.n_pairs] > 0


class _IncumbentReporter(cp_model.CpSolverSolutionCallback):
    """Passes each improving solution's objective (and the proven bound, if global) on."""

    def __init__(self, on_incumbent: IncumbentFn, bound_is_global: bool) -> None:
        super().__init__()
        self.on_incumbent = on_incumbent
        self.bound_is_global = bound_is_global

    def on_solution_callback(self) -> None:
        bound = round(self.best_objective_bound) if self.bound_is_global else None
        self.on_incumbent(round(self.objective_value), bound)


def solve_cpsat(
    f: Formulation,
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    pair_names: list[str] | None = None,
    hint: NDArray[np.bool_] | None = None,
    objective: tuple[NDArray[np.int64], dict[int, int]] | None = None,
    full_lp: bool = False,
    deadline: float | None = None,
    on_incumbent: IncumbentFn | None = None,
    bound_is_global: bool = True,
    light: bool = False,
    presolve: bool = True,
) -> BackendResult:
    """Solve the formulation (or an alternative objective over it) with CP-SAT.

    `deadline` (a time.perf_counter() value) caps the search after the model is built.
    `on_incumbent` hears of each improving solution; its bound only when `bound_is_global`
    (a search over part of the pairs proves nothing about the rest).
    """
    assert f.pair_objective is not None
    m = CpSatModel(f, pair_names)
    pair_coefs, aux = objective if objective is not None else (f.pair_objective, f.objective)
    m.set_objective(pair_coefs, aux)
    if hint is not None:
        m.add_hint(hint)
    if deadline is not None:
        time_limit_s = max(MIN_SEARCH_S, min(time_limit_s, deadline - time.perf_counter()))
    solver = m.solver(time_limit_s, workers, seed, full_lp, light, presolve)
    callback = None if on_incumbent is None else _IncumbentReporter(on_incumbent, bound_is_global)
    status = STATUS.get(solver.solve(m.model, callback), SolveStatus.INVALID)
    found = status.is_ok
    return BackendResult(
        status=status,
        chosen=m.chosen(solver) if found else np.zeros(f.n_pairs, dtype=bool),
        objective=round(solver.objective_value) if found else None,
        bound=round(solver.best_objective_bound) if found else None,
        backend="cpsat",
        version=f"ortools {ortools.__version__}",
    )
