"""Every rule that adds rows to the formulation, in order; adding a rule takes one line.

H3-H8 (kind, skills, commute/relocation, conflicts, fit and proper, band) and the package
validity part of H9 act earlier, in `matching.eligibility`: a pair that breaks one never
becomes a variable.
"""

from collections.abc import Callable

from matching.context import ModelContext
from matching.formulation import Formulation
from matching.rules.board_requirements import add_board_requirements
from matching.rules.budget import add_budget
from matching.rules.candidate_capacity import add_candidate_capacity
from matching.rules.diversity_targets import (
    add_hard_diversity_targets,
    penalize_diversity_shortfall,
)
from matching.rules.drawn_per_organisation import add_drawn_per_organisation
from matching.rules.pinned import add_pinned
from matching.rules.role_capacity import add_role_capacity

RuleFunction = Callable[[Formulation, ModelContext], None]

RULES: tuple[RuleFunction, ...] = (
    # Hard
    add_role_capacity,  # H1
    add_candidate_capacity,  # H2
    add_budget,  # H9
    add_pinned,  # H10
    add_drawn_per_organisation,  # H11
    add_hard_diversity_targets,  # H12
    add_board_requirements,  # H13
    # Soft
    penalize_diversity_shortfall,
)


def build_formulation(ctx: ModelContext) -> Formulation:
    """The full model: pair variables with their merit objective, then every rule."""
    f = Formulation(n_pairs=ctx.pairs.size)
    f.pair_objective = ctx.scores.coefficient
    for rule in RULES:
        rule(f, ctx)
    return f
