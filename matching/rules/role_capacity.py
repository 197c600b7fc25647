"""H1: each role has at most one placement, exactly one if it must be filled."""

from matching.context import ModelContext
from matching.formulation import Formulation, Tag

RULE = "H1"


def add_role_capacity(f: Formulation, ctx: ModelContext) -> None:
    """At most one candidate per role; a must-fill role gets exactly one.

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    roles = ctx.problem.roles
    for r, role in enumerate(roles):
        pairs = ctx.pairs_of_role(r)
        ones = [1] * pairs.size
        if pairs.size > 1:
            f.add_row(
                pairs,
                ones,
                None,
                1,
                Tag(RULE, (role.id,), f"role {role.id} takes at most one placement"),
            )
        if role.must_fill:
            f.add_row(
                pairs,
                ones,
                1,
                None,
                Tag(
                    RULE, (role.id,), f"role {role.id} must be filled ({pairs.size} eligible pairs)"
                ),
            )
