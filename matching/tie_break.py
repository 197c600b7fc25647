"""The lawful diversity stage (Equality Act 2010 s159): representation only among equals.

Stage 1 maximises merit. Stage 2 holds merit within merit_tolerance of that optimum and
maximises representation, then keeps as many stage-1 decisions as it can, so that every
change it makes is a recorded use of positive action.
"""

import numpy as np
from numpy.typing import NDArray

from matching.context import ModelContext
from matching.scoring import SCALE
from models.common import ATTRIBUTES
from models.policy import DiversityMode
from models.solution import TieBreak


def tie_break_attributes(ctx: ModelContext) -> tuple[str, ...]:
    """Attributes the targets name, or every tracked attribute when there are none."""
    named = tuple(dict.fromkeys(t.attribute for t in ctx.problem.policy.diversity_targets))
    return named or ATTRIBUTES


def representation_value(ctx: ModelContext) -> NDArray[np.int64]:
    """Per pair: how many of the tie-break attributes the candidate has."""
    total = np.zeros(ctx.pairs.size, dtype=np.int64)
    for attribute in tie_break_attributes(ctx):
        total += ctx.arrays.cand_attribute[attribute][ctx.pairs.cand]
    return total


def needs_tie_break(ctx: ModelContext) -> bool:
    """Tie-break mode, the diversity weight on, and someone who could change the result."""
    policy = ctx.problem.policy
    return (
        policy.diversity_mode is DiversityMode.TIE_BREAK
        and policy.weights.diversity > 0
        and bool(np.any(representation_value(ctx) > 0))
    )


def stage_two_value(ctx: ModelContext, merit_choice: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Representation first, then keeping stage-1 decisions (fewest changes)."""
    weight = ctx.arrays.n_roles + 1
    return representation_value(ctx) * weight + merit_choice.astype(np.int64)


def merit_floor(merit: int, tolerance: float) -> int:
    """Least merit stage 2 may keep: within the tolerance fraction of the optimum."""
    return merit - int(np.floor(tolerance * abs(merit)))


def tie_break_records(
    ctx: ModelContext, merit_choice: NDArray[np.bool_], final: NDArray[np.bool_]
) -> list[TieBreak]:
    """One audit record per role whose candidate stage 2 changed."""
    pairs, problem = ctx.pairs, ctx.problem
    attributes = tie_break_attributes(ctx)
    before = {int(pairs.role[k]): int(k) for k in np.flatnonzero(merit_choice)}
    after = {int(pairs.role[k]): int(k) for k in np.flatnonzero(final)}
    records = []
    for role in sorted(set(before) | set(after)):
        old, new = before.get(role), after.get(role)
        if old is not None and new is not None and pairs.cand[old] == pairs.cand[new]:
            continue
        gained = [
            name
            for name in attributes
            if new is not None
            and ctx.arrays.cand_attribute[name][pairs.cand[new]]
            and (old is None or not ctx.arrays.cand_attribute[name][pairs.cand[old]])
        ]
        records.append(
            TieBreak(
                role_id=problem.roles[role].id,
                chosen_candidate_id=problem.candidates[pairs.cand[new]].id
                if new is not None
                else None,
                merit_candidate_id=problem.candidates[pairs.cand[old]].id
                if old is not None
                else None,
                attribute=",".join(gained) if gained else "none (knock-on of another change)",
                chosen_merit=ctx.scores.coefficient[new] / SCALE if new is not None else 0.0,
                merit_choice_merit=ctx.scores.coefficient[old] / SCALE if old is not None else 0.0,
            )
        )
    return records
