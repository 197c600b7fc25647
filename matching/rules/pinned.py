"""H10: every pinned pair is placed (forbidden pairs are removed in eligibility)."""

from matching.context import ModelContext
from matching.formulation import Formulation, Tag

RULE = "H10"


def add_pinned(f: Formulation, ctx: ModelContext) -> None:
    """Force each pinned pair to be placed, with its package (chosen in the pair set).

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    problem = ctx.problem
    for pin in ctx.pins:
        cand_id, role_id = problem.candidates[pin.cand].id, problem.roles[pin.role].id
        f.add_row(
            [ctx.pin_index(pin)],
            [1],
            1,
            None,
            Tag(RULE, (cand_id, role_id), f"pinned pair ({cand_id}, {role_id}) is placed"),
        )
