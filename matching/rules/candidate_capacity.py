"""H2: a candidate takes at most max_roles - current_roles placements."""

from matching.context import ModelContext
from matching.formulation import Formulation, Tag

RULE = "H2"


def add_candidate_capacity(f: Formulation, ctx: ModelContext) -> None:
    """Limit each candidate's placements to their remaining capacity.

    Only candidates with more eligible pairs than capacity need a row.

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    capacity = ctx.arrays.cand_capacity
    for c, pairs in enumerate(ctx.pairs_by_candidate):
        if pairs.size > capacity[c]:
            cand_id = ctx.problem.candidates[c].id
            f.add_row(
                pairs,
                [1] * pairs.size,
                None,
                int(capacity[c]),
                Tag(
                    RULE,
                    (cand_id,),
                    f"candidate {cand_id} takes at most {int(capacity[c])} more role(s)",
                ),
            )
