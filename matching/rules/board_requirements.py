"""H13: each board's skill requirements are met by existing members plus new placements."""

import numpy as np

from matching.context import ModelContext
from matching.formulation import Formulation, Tag

RULE = "H13"


def add_board_requirements(f: Formulation, ctx: ModelContext) -> None:
    """For each {skill, level, min_members}, count qualified board members old and new.

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    a, pairs = ctx.arrays, ctx.pairs
    board_pair = a.role_board[pairs.role]
    pair_org = a.role_org[pairs.role]
    for o, org in enumerate(ctx.problem.organisations):
        for req in org.board_requirements:
            existing = sum(1 for m in org.board if m.skills.get(req.skill, 0) >= req.level)
            need = req.min_members - existing
            if need <= 0:
                continue
            level = (
                a.cand_skills[pairs.cand, a.skills.index(req.skill)]
                if req.skill in a.skills
                else np.zeros(pairs.size)
            )
            qualified = np.flatnonzero(board_pair & (pair_org == o) & (level >= req.level))
            f.add_row(
                qualified,
                [1] * qualified.size,
                need,
                None,
                Tag(
                    RULE,
                    (org.id,),
                    f"board of {org.id} needs {req.min_members} members with "
                    f"{req.skill} >= {req.level} ({existing} existing, "
                    f"{qualified.size} qualifying pairs)",
                ),
            )
