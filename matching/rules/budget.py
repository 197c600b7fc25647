"""H9: total package spend within the budget (package validity acts in eligibility)."""

import numpy as np

from matching.context import ModelContext
from matching.formulation import Formulation, Tag

RULE = "H9"


def add_budget(f: Formulation, ctx: ModelContext) -> None:
    """Sum of package costs of the placements is at most policy.budget.

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    budget = ctx.problem.policy.budget
    if budget is None:
        return
    paid = np.flatnonzero(ctx.pairs.cost > 0)
    if paid.size:
        f.add_row(
            paid,
            ctx.pairs.cost[paid],
            None,
            budget,
            Tag(RULE, ("policy.budget",), f"package spend within the £{budget:,} budget"),
        )
