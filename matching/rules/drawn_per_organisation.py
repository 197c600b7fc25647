"""H11: at most max_drawn_per_organisation placed candidates share a current organisation."""

import numpy as np
from numpy.typing import NDArray

from matching.context import ModelContext
from matching.formulation import Formulation, Tag

RULE = "H11"


def add_drawn_per_organisation(f: Formulation, ctx: ModelContext) -> None:
    """Limit distinct placed candidates drawn from each current organisation.

    A candidate with capacity 1 is placed exactly when the sum of their pairs is 1; one
    with more capacity gets an indicator y_c >= each of their pairs (sum <= cap * y_c).

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    limit = ctx.problem.policy.max_drawn_per_organisation
    if limit is None:
        return
    current = ctx.arrays.cand_current_org
    capacity = ctx.arrays.cand_capacity
    for o in np.unique(current[current >= 0]):
        vars_: list[NDArray[np.int64]] = []
        people = 0
        for c in np.flatnonzero(current == o):
            pairs = ctx.pairs_by_candidate[c]
            if pairs.size == 0:
                continue
            people += 1
            if capacity[c] <= 1 or pairs.size == 1:
                vars_.append(pairs)
                continue
            cand_id = ctx.problem.candidates[c].id
            placed = f.new_var(f"drawn[{cand_id}]", 0, 1)
            f.add_row(
                np.append(pairs, placed),
                np.append(np.ones(pairs.size, dtype=np.int64), -int(capacity[c])),
                None,
                0,
                Tag(RULE, (cand_id,), f"candidate {cand_id} counted once as drawn"),
            )
            vars_.append(np.array([placed], dtype=np.int64))
        if people > limit:
            org_id = ctx.problem.organisations[int(o)].id
            drawn = np.concatenate(vars_)
            f.add_row(
                drawn,
                np.ones(drawn.size, dtype=np.int64),
                None,
                limit,
                Tag(RULE, (org_id,), f"at most {limit} placed candidates drawn from {org_id}"),
            )
