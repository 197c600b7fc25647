"""H12 hard diversity targets, and soft targets as shortfall penalties (targets mode only).

A hard share is compared exactly as written (0.3334 is 1667/5000): D * with >= q * total.
Soft shortfalls are measured in thousandths of a person, fine enough for a penalty.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from matching.context import ModelContext
from matching.formulation import Formulation, Tag
from matching.scoring import SCALE
from models.policy import DiversityMode, DiversityTarget

RULE = "H12"
PER_MILLE = 1000
#: Shares are read exactly up to nine decimal places.
MAX_SHARE_DENOMINATOR = 1_000_000_000


@dataclass(frozen=True)
class TargetUnit:
    """One scope unit: its eligible pairs and the board members already counted."""

    name: str
    pairs: NDArray[np.int64]
    existing: int
    existing_with: int


def _groups(keys: NDArray[np.int64]) -> list[tuple[int, NDArray[np.int64]]]:
    """Pair indices by key, keys ascending and indices ascending within each; negative keys
    are left out. One sort instead of a mask over every pair per unit."""
    order = np.argsort(keys, kind="stable")
    order = order[keys[order] >= 0]
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    return [
        (int(keys[group[0]]), group.astype(np.int64))
        for group in np.split(order, cuts)
        if group.size
    ]


def target_units(ctx: ModelContext, target: DiversityTarget) -> list[TargetUnit]:
    """Scope units of a target: all placements, per region of the role, or per board."""
    a, pairs = ctx.arrays, ctx.pairs
    orgs = ctx.problem.organisations
    if target.scope == "all":
        return [TargetUnit("all", np.arange(pairs.size, dtype=np.int64), 0, 0)]
    pair_org = a.role_org[pairs.role]
    if target.scope == "region":
        names = sorted({org.region for org in orgs})
        org_region = np.array([names.index(org.region) for org in orgs], dtype=np.int64)
        return [
            TargetUnit(str(names[r]), unit_pairs, 0, 0)
            for r, unit_pairs in _groups(org_region[pair_org])
        ]
    units = []
    for o, unit_pairs in _groups(np.where(a.role_board[pairs.role], pair_org, -1)):
        org = orgs[o]
        with_attr = sum(
            1
            for m in org.board
            if m.demographics is not None and m.demographics.has(target.attribute)
        )
        units.append(TargetUnit(org.id, unit_pairs, len(org.board), with_attr))
    return units


@dataclass(frozen=True)
class ShareRow:
    """D*(Ea + a) - q*(E + n) >= rhs for one unit; `strict` rows need a placement to hold."""

    coefs: NDArray[np.int64]
    rhs: int
    strict: bool


def hard_share(min_share: float, max_people: int) -> tuple[int, int, bool]:
    """(q, d, strict): the share as written, q/d, compared with >=, when d is small.

    A share with more than nine decimals (1/3 computed as a float) is met by a of t people
    exactly when a/t > p/b, the largest fraction below the share with b <= max_people: the
    same decisions, with small coefficients, as the strict comparison b*a >= p*t + 1.
    """
    share = Fraction(repr(min_share))
    if share.denominator <= MAX_SHARE_DENOMINATOR:
        return share.numerator, share.denominator, False
    below = max(Fraction(math.ceil(share * t) - 1, t) for t in range(1, max(1, max_people) + 1))
    return below.numerator, below.denominator, True


def _share_row(
    ctx: ModelContext, target: DiversityTarget, unit: TargetUnit, exact: bool
) -> ShareRow:
    """The unit's share row: exact for hard targets, in thousandths of a person for soft."""
    strict = False
    if exact:
        max_people = unit.existing + int(np.unique(ctx.pairs.role[unit.pairs]).size)
        q, d, strict = hard_share(target.min_share, max_people)
    else:
        q, d = round(target.min_share * PER_MILLE), PER_MILLE
    has = ctx.arrays.cand_attribute[target.attribute][ctx.pairs.cand[unit.pairs]]
    coefs = d * has.astype(np.int64) - q
    rhs = q * unit.existing - d * unit.existing_with + (1 if strict else 0)
    return ShareRow(coefs, rhs, strict)


def _active_targets(ctx: ModelContext, hard: bool) -> list[DiversityTarget]:
    policy = ctx.problem.policy
    if policy.diversity_mode is not DiversityMode.TARGETS:
        return []
    return [t for t in policy.diversity_targets if t.hard is hard]


def add_hard_diversity_targets(f: Formulation, ctx: ModelContext) -> None:
    """H12: in each scope unit that receives a placement, the attribute share meets min_share.

    A board unit's existing members count too (and a strict row is false for nobody), so
    such rows hold only while the unit receives a placement (indicator z, sum x <= n * z).

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    for target in _active_targets(ctx, hard=True):
        for unit in target_units(ctx, target):
            row = _share_row(ctx, target, unit, exact=True)
            tag = Tag(
                RULE,
                (unit.name,),
                f"{target.attribute} share >= {target.min_share:g} "
                f"in {target.scope} unit {unit.name}",
            )
            if unit.existing == 0 and not row.strict:
                if row.rhs > 0 or np.any(row.coefs < 0):
                    f.add_row(unit.pairs, row.coefs, row.rhs, None, tag)
                continue
            active = f.new_var(f"receives[{target.scope}|{unit.name}]", 0, 1)
            f.add_row(
                np.append(unit.pairs, active),
                np.append(np.ones(unit.pairs.size, dtype=np.int64), -unit.pairs.size),
                None,
                0,
                tag,
            )
            f.add_row(unit.pairs, row.coefs, row.rhs, None, tag, enforce=active)


def penalize_diversity_shortfall(f: Formulation, ctx: ModelContext) -> None:
    """Soft targets: penalise the shortfall (in people) below min_share in each unit.

    The shortfall s >= q*(E+n) - 1000*(Ea+a) is penalised at weights.diversity per person;
    a board's shortfall before any placement is a constant added back, so an untouched
    unit costs nothing.

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    weight = ctx.problem.policy.weights.diversity
    if weight == 0:
        return
    per_unit = max(1, round(weight * SCALE / PER_MILLE))
    for target in _active_targets(ctx, hard=False):
        for unit in target_units(ctx, target):
            row = _share_row(ctx, target, unit, exact=False)
            coefs, rhs = row.coefs, row.rhs
            worst = max(0, rhs) + int(np.sum(np.maximum(-coefs, 0)))
            shortfall = f.new_var(
                f"shortfall[{target.attribute}|{target.scope}|{unit.name}]", 0, worst
            )
            f.add_row(
                np.append(unit.pairs, shortfall),
                np.append(coefs, 1),
                rhs,
                None,
                Tag("soft", (unit.name,), f"soft {target.attribute} target in {unit.name}"),
            )
            f.add_objective(shortfall, -per_unit)
            f.objective_constant += per_unit * max(0, rhs)


def soft_penalty(f: Formulation, chosen: NDArray[np.bool_]) -> int:
    """Value of the soft-target penalties at the chosen placement (least shortfall)."""
    total = 0
    x = chosen.astype(np.int64)
    for row in f.rows:
        if row.tag.rule != "soft":
            continue
        pair_part = row.vars < f.n_pairs
        activity = int(np.dot(row.coefs[pair_part], x[row.vars[pair_part]]))
        shortfall_var = int(row.vars[~pair_part][0])
        shortfall = max(0, (row.lb or 0) - activity)
        total += f.objective.get(shortfall_var, 0) * shortfall
    return total
