"""H2: a candidate takes at most max_roles - current_roles placements, one per organisation."""

import numpy as np

from matching.context import ModelContext
from matching.formulation import Formulation, Tag

RULE = "H2"


def add_candidate_capacity(f: Formulation, ctx: ModelContext) -> None:
    """Limit each candidate's placements to their capacity and to one role per organisation.

    Only candidates with more eligible pairs than capacity need a capacity row; only those
    with capacity 2 or more need organisation rows, as a capacity of one already implies them.

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    capacity = ctx.arrays.cand_capacity
    candidates, organisations = ctx.problem.candidates, ctx.problem.organisations
    for c, pairs in enumerate(ctx.pairs_by_candidate):
        if pairs.size > capacity[c]:
            cand_id = candidates[c].id
            f.add_row(
                pairs,
                np.ones(pairs.size, dtype=np.int64),
                None,
                int(capacity[c]),
                Tag(
                    RULE,
                    (cand_id,),
                    f"candidate {cand_id} takes at most {int(capacity[c])} more role(s)",
                ),
            )
    members, group = ctx.same_organisation_groups(np.flatnonzero(capacity[ctx.pairs.cand] >= 2))
    for pairs in np.split(members, np.flatnonzero(np.diff(group)) + 1):
        if pairs.size == 0:
            continue
        cand_id = candidates[ctx.pairs.cand[pairs[0]]].id
        org_id = organisations[ctx.arrays.role_org[ctx.pairs.role[pairs[0]]]].id
        f.add_row(
            pairs,
            np.ones(pairs.size, dtype=np.int64),
            None,
            1,
            Tag(
                RULE,
                (cand_id, org_id),
                f"candidate {cand_id} takes at most one role at organisation {org_id}",
            ),
        )
