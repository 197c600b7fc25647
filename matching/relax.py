"""Relaxations of an infeasible problem: for each conflict, the least change to its rule
instance, and the best placement the changed problem then allows.

Numeric rules (budget, drawn per organisation, board requirements) are relaxed by the least
amount: a copy of the model with one slack on that rule instance's rows, minimised, says
how much. Each suggestion is then solved as an edited Problem by the engine itself, so a
suggestion reported feasible comes with a placement that `verify` has checked.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from matching.backends.cpsat import CpSatModel
from matching.formulation import Formulation, Tag
from matching.prepare import prepare
from matching.registry import build_formulation
from matching.solve import solve
from models.explanation import ConflictExplanation, Explanation, Relaxation
from models.problem import Problem
from models.solution import Conflict, Solution, SolveStatus

#: Rules whose conflicts can name a pin as (candidate, role): dropping the pin resolves them.
PIN_RULES = ("H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10")
NO_CONFLICTS = "The solution is {status}: there are no conflicts to explain."
OUT_OF_TIME = "not tried: the total time was spent; ask again with more time"

Raw = dict[str, Any]
Amount = Callable[[], int | None]


@dataclass(frozen=True)
class Edit:
    """A change to the problem: what to tell the user, and the change on its JSON form."""

    suggestion: str
    apply: Callable[[Raw], None]


def least_slack(f: Formulation, tag: Tag, time_limit_s: float) -> int | None:
    """The least violation of the tagged inequality rows with which every other row holds
    (None if there is none, or none is proven within the time limit)."""
    g = f.copy()
    slack = g.new_var(f"slack[{tag.rule}]", 0, 2**40)
    for i, row in enumerate(g.rows):
        if row.tag == tag and (row.lb is None) != (row.ub is None):
            sign = 1 if row.lb is not None else -1
            g.rows[i] = replace(
                row,
                vars=np.append(row.vars, slack).astype(np.int64),
                coefs=np.append(row.coefs, sign).astype(np.int64),
            )
    m = CpSatModel(g)
    m.model.minimize(m.var(slack))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    if solver.solve(m.model) != cp_model.OPTIMAL:
        return None
    return round(solver.value(m.var(slack)))


# --- one function per rule: the edits that relax one of its instances ---------------------


def _role_edits(problem: Problem, conflict: Conflict, amount: Amount) -> list[Edit]:
    """H1: a must-fill role may stay empty."""
    role_id = conflict.records[0] if conflict.records else ""
    index = next((i for i, r in enumerate(problem.roles) if r.id == role_id), None)
    if index is None or "must be filled" not in conflict.message:
        return []

    def apply(raw: Raw) -> None:
        raw["roles"][index]["must_fill"] = False

    return [Edit(f"let role {role_id} stay empty (must_fill: false)", apply)]


def _capacity_edits(problem: Problem, conflict: Conflict, amount: Amount) -> list[Edit]:
    """H2: a candidate may take one more role (their own limit, not one per organisation)."""
    ids = [c.id for c in problem.candidates]
    if len(conflict.records) != 1 or conflict.records[0] not in ids:
        return []
    index = ids.index(conflict.records[0])
    more = problem.candidates[index].max_roles + 1

    def apply(raw: Raw) -> None:
        raw["candidates"][index]["max_roles"] = more

    return [Edit(f"let {conflict.records[0]} hold up to {more} roles (max_roles)", apply)]


def _pin_edits(problem: Problem, conflict: Conflict, amount: Amount) -> list[Edit]:
    """H3-H10 on a pinned pair (eligibility, package or shortlist): drop the pin."""
    pins = [(p.candidate_id, p.role_id) for p in problem.pinned]
    pair = tuple(conflict.records[:2])
    if pair not in pins:
        return []
    index = pins.index((pair[0], pair[1]))

    def apply(raw: Raw) -> None:
        del raw["pinned"][index]

    return [Edit(f"unpin {conflict.records[0]} from {conflict.records[1]}", apply)]


def _budget_edits(problem: Problem, conflict: Conflict, amount: Amount) -> list[Edit]:
    """H9: raise the budget by the least amount that lets every other rule hold."""
    budget = problem.policy.budget
    if budget is None or conflict.records != ["policy.budget"]:
        return []
    more = amount()
    if not more:
        return []

    def apply(raw: Raw) -> None:
        raw["policy"]["budget"] = budget + more

    return [Edit(f"raise the budget from £{budget:,} to £{budget + more:,}", apply)]


def _drawn_edits(problem: Problem, conflict: Conflict, amount: Amount) -> list[Edit]:
    """H11: allow more people drawn from each organisation."""
    limit = problem.policy.max_drawn_per_organisation
    orgs = {o.id for o in problem.organisations}
    if limit is None or not conflict.records or conflict.records[0] not in orgs:
        return []
    more = amount()
    if not more:
        return []

    def apply(raw: Raw) -> None:
        raw["policy"]["max_drawn_per_organisation"] = limit + more

    return [
        Edit(
            f"raise max_drawn_per_organisation from {limit} to {limit + more} "
            f"({conflict.records[0]} is short of {more})",
            apply,
        )
    ]


def _target_edits(problem: Problem, conflict: Conflict, amount: Amount) -> list[Edit]:
    """H12: a hard diversity target becomes a soft one (a penalty, not a rule)."""
    targets = problem.policy.diversity_targets
    found = [
        i
        for i, t in enumerate(targets)
        if t.hard and conflict.message.startswith(f"{t.attribute} share >= {t.min_share:g} ")
    ]
    if not found:
        return []

    def apply(raw: Raw) -> None:
        for i in found:
            raw["policy"]["diversity_targets"][i]["hard"] = False

    names = ", ".join(targets[i].attribute for i in found)
    return [Edit(f"make the {names} target soft (hard: false)", apply)]


def _board_edits(problem: Problem, conflict: Conflict, amount: Amount) -> list[Edit]:
    """H13: lower the requirement by the least amount, or add a board vacancy."""
    ids = [org.id for org in problem.organisations]
    if not conflict.records or conflict.records[0] not in ids:
        return []
    o = ids.index(conflict.records[0])
    org = problem.organisations[o]
    found = [
        (i, req)
        for i, req in enumerate(org.board_requirements)
        if conflict.message.startswith(
            f"board of {org.id} needs {req.min_members} members with {req.skill} >= {req.level}"
        )
    ]
    if not found:
        return []
    i, req = found[0]
    edits = []
    short = amount()
    if short is not None and short > 0:
        lowered = req.min_members - short

        def lower(raw: Raw) -> None:
            requirements = raw["organisations"][o]["board_requirements"]
            if lowered > 0:
                requirements[i]["min_members"] = lowered
            else:
                del requirements[i]

        edits.append(
            Edit(
                f"lower {org.id}'s board requirement for {req.skill} >= {req.level} from "
                f"{req.min_members} to {lowered} member(s)",
                lower,
            )
        )
    seats = [r for r in problem.roles if r.organisation_id == org.id and r.is_board_level]
    if seats:
        model = seats[0]
        taken = {r.id for r in problem.roles}
        new_id = next(
            f"{model.id}-extra{n}"
            for n in range(1, len(taken) + 2)
            if f"{model.id}-extra{n}" not in taken
        )

        def add(raw: Raw) -> None:
            role = dict(next(r for r in raw["roles"] if r["id"] == model.id))
            role["id"], role["must_fill"] = new_id, False
            raw["roles"].append(role)

        edits.append(Edit(f"add a vacancy at {org.id} like {model.id} (as {new_id})", add))
    return edits


RELAXERS: dict[str, Callable[[Problem, Conflict, Amount], list[Edit]]] = {
    "H1": _role_edits,
    "H2": _capacity_edits,
    "H9": _budget_edits,
    "H11": _drawn_edits,
    "H12": _target_edits,
    "H13": _board_edits,
}


def _edits_for(
    problem: Problem, conflict: Conflict, f: Formulation, time_limit_s: float
) -> list[Edit]:
    tag = Tag(conflict.rule, tuple(conflict.records), conflict.message)

    def amount() -> int | None:
        return least_slack(f, tag, time_limit_s)

    edits = _pin_edits(problem, conflict, amount) if conflict.rule in PIN_RULES else []
    relaxer = RELAXERS.get(conflict.rule)
    return edits + (relaxer(problem, conflict, amount) if relaxer is not None else [])


def _try(
    problem: Problem, edit: Edit, conflict: Conflict, time_limit_s: float, workers: int | None
) -> Relaxation:
    """Solve the problem with the edit made."""
    raw = problem.model_dump(mode="json")
    edit.apply(raw)
    relaxed = solve(Problem.model_validate(raw), time_limit_s=time_limit_s, workers=workers)
    return Relaxation(
        rule=conflict.rule,
        records=conflict.records,
        suggestion=edit.suggestion,
        status=relaxed.status,
        objective=relaxed.objective,
        filled=len(relaxed.placements) if relaxed.status.is_ok else None,
        placements=relaxed.placements,
    )


def explain_infeasible(
    problem: Problem,
    solution: Solution,
    *,
    time_limit_s: float,
    workers: int | None = None,
    total_time_s: float | None = None,
) -> Explanation:
    """Each conflict of an infeasible solution with the relaxations that resolve it, the
    feasible ones first and the best of those first. `time_limit_s` bounds each solve,
    `total_time_s` all of them: conflicts left when it is spent say so."""
    if solution.status is not SolveStatus.INFEASIBLE or not solution.conflicts:
        return Explanation(
            status=solution.status,
            objective=None,
            notices=[NO_CONFLICTS.format(status=solution.status.value)],
        )
    deadline = None if total_time_s is None else time.perf_counter() + total_time_s

    def left() -> float:
        if deadline is None:
            return time_limit_s
        return min(time_limit_s, deadline - time.perf_counter())

    ctx, _ = prepare(problem)
    f = build_formulation(ctx)
    explained = []
    for conflict in solution.conflicts:
        if left() <= 0:
            explained.append(
                ConflictExplanation(conflict=conflict, relaxations=[], note=OUT_OF_TIME)
            )
            continue
        tried = [
            _try(problem, edit, conflict, left(), workers)
            for edit in _edits_for(problem, conflict, f, left())
            if left() > 0
        ]
        tried.sort(key=lambda r: (not r.status.is_ok, -(r.objective or 0.0)))
        note = "" if tried else _no_relaxation(conflict)
        explained.append(ConflictExplanation(conflict=conflict, relaxations=tried, note=note))
    return Explanation(status=solution.status, objective=None, conflicts=explained)


def _no_relaxation(conflict: Conflict) -> str:
    """Why a conflict comes with no suggestion."""
    if conflict.rule in RELAXERS or conflict.rule in PIN_RULES:
        return (
            "relaxing this rule instance alone cannot make the problem feasible: another "
            "set of rules conflicts as well; relax one of the others"
        )
    return "a capacity (one person per role, one role per organisation) is not relaxed"
