"""Explain infeasibility: a small set of rule instances that cannot all hold.

Every rule instance is enforced behind its own literal and assumed true; CP-SAT returns a
sufficient subset of those assumptions, which a deletion pass then shrinks to a minimal one.
"""

from ortools.sat.python import cp_model

from matching.backends.cpsat import CpSatModel
from matching.formulation import Formulation, Tag
from models.solution import Conflict

#: Seconds allowed for the first diagnosis and for each deletion test.
DIAGNOSE_TIME_S = 20.0
DELETION_TIME_S = 5.0
#: Cores larger than this are reported as found, without the deletion pass.
MAX_CORE_TO_MINIMISE = 40


def _infeasible_under(m: CpSatModel, tags: list[Tag], time_limit_s: float, workers: int) -> bool:
    m.model.clear_assumptions()
    m.model.add_assumptions([m.literals[t] for t in tags])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    return solver.solve(m.model) == cp_model.INFEASIBLE


def _minimise(m: CpSatModel, core: list[Tag], workers: int) -> list[Tag]:
    """Drop each tag whose removal keeps the rest infeasible (deletion filter)."""
    kept = list(core)
    for tag in list(core):
        trial = [t for t in kept if t != tag]
        if trial and _infeasible_under(m, trial, DELETION_TIME_S, workers):
            kept = trial
    return kept


def _impossible_rows(f: Formulation) -> list[Tag]:
    """Rule instances that no placement can meet on their own (e.g. too few qualified pairs)."""
    tags = []
    bounds = f.bounds()
    for row in f.rows:
        if row.enforce is not None or row.tag.rule == "soft":
            continue
        low, high = f.activity_range(row, bounds) if row.vars.size else (0, 0)
        if (row.lb is not None and high < row.lb) or (row.ub is not None and low > row.ub):
            tags.append(row.tag)
    return list(dict.fromkeys(tags))


def diagnose(f: Formulation, workers: int) -> list[Conflict]:
    """Conflicting rule instances of an infeasible formulation (empty if none is found)."""
    impossible = _impossible_rows(f)
    if impossible:
        return [
            Conflict(rule=t.rule, records=list(t.records), message=t.message) for t in impossible
        ]
    m = CpSatModel(f, enforce_by_tag=True)
    tags = [t for t in m.literals if t.rule != "soft"]
    for tag, literal in m.literals.items():
        if tag.rule == "soft":
            m.model.add(literal == 1)
    if not _infeasible_under(m, tags, DIAGNOSE_TIME_S, workers):
        return []
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = DIAGNOSE_TIME_S
    solver.parameters.num_workers = 1
    solver.solve(m.model)
    by_index = {m.literals[t].index: t for t in tags}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    if not core:
        core = tags
    if len(core) <= MAX_CORE_TO_MINIMISE:
        core = _minimise(m, core, workers)
    return [Conflict(rule=t.rule, records=list(t.records), message=t.message) for t in core]
