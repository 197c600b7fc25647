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


def target_units(ctx: ModelContext, target: DiversityTarget) -> list[TargetUnit]:
    """Scope units of a target: all placements, per region of the role, or per board."""
    a, pairs = ctx.arrays, ctx.pairs
    orgs = ctx.problem.organisations
    if target.scope == "all":
        return [TargetUnit("all", np.arange(pairs.size, dtype=np.int64), 0, 0)]
    if target.scope == "region":
        region = np.array([orgs[o].region for o in a.role_org[pairs.role]], dtype=object)
        return [
            TargetUnit(str(name), np.flatnonzero(region == name).astype(np.int64), 0, 0)
            for name in sorted(set(region.tolist()))
        ]
    pair_org = a.role_org[pairs.role]
    units = []
    for o, org in enumerate(orgs):
        unit_pairs = np.flatnonzero(a.role_board[pairs.role] & (pair_org == o)).astype(np.int64)
        if unit_pairs.size == 0:
            continue
        with_attr = sum(
            1
            for m in org.board
            if m.demographics is not None and m.demographics.has(target.attribute)
        )
        units.append(TargetUnit(org.id, unit_pairs, len(org.board), with_attr))
    return units


def exact_share(min_share: float) -> tuple[int, int]:
    """The share as the decimal the user wrote, as numerator and denominator.

    Beyond nine decimal places the share is rounded up: a stricter floor still meets it.
    """
    share = Fraction(repr(min_share))
    if share.denominator > MAX_SHARE_DENOMINATOR:
        share = Fraction(math.ceil(share * MAX_SHARE_DENOMINATOR), MAX_SHARE_DENOMINATOR)
    return share.numerator, share.denominator


def _share_row(
    ctx: ModelContext, target: DiversityTarget, unit: TargetUnit, exact: bool
) -> tuple[NDArray[np.int64], int]:
    """Coefficients and right-hand side of D*(Ea + a) - q*(E + n) >= 0."""
    q, d = (
        exact_share(target.min_share) if exact else (round(target.min_share * PER_MILLE), PER_MILLE)
    )
    has = ctx.arrays.cand_attribute[target.attribute][ctx.pairs.cand[unit.pairs]]
    coefs = d * has.astype(np.int64) - q
    rhs = q * unit.existing - d * unit.existing_with
    return coefs, rhs


def _active_targets(ctx: ModelContext, hard: bool) -> list[DiversityTarget]:
    policy = ctx.problem.policy
    if policy.diversity_mode is not DiversityMode.TARGETS:
        return []
    return [t for t in policy.diversity_targets if t.hard is hard]


def add_hard_diversity_targets(f: Formulation, ctx: ModelContext) -> None:
    """H12: in each scope unit that receives a placement, the attribute share meets min_share.

    A board unit's existing members count too, so the row holds only while the unit
    receives a placement (indicator z, with sum x <= n * z).

    Args:
        f: the formulation to extend.
        ctx: prepared pairs and arrays.
    """
    for target in _active_targets(ctx, hard=True):
        for unit in target_units(ctx, target):
            coefs, rhs = _share_row(ctx, target, unit, exact=True)
            tag = Tag(
                RULE,
                (unit.name,),
                f"{target.attribute} share >= {target.min_share:g} "
                f"in {target.scope} unit {unit.name}",
            )
            if unit.existing == 0:
                if rhs > 0 or np.any(coefs < 0):
                    f.add_row(unit.pairs, coefs, rhs, None, tag)
                continue
            active = f.new_var(f"receives[{target.scope}|{unit.name}]", 0, 1)
            f.add_row(
                list(unit.pairs) + [active],
                [1] * unit.pairs.size + [-unit.pairs.size],
                None,
                0,
                tag,
            )
            f.add_row(unit.pairs, coefs, rhs, None, tag, enforce=active)


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
    per_unit = round(weight * SCALE / PER_MILLE)
    if per_unit == 0:
        return
    for target in _active_targets(ctx, hard=False):
        for unit in target_units(ctx, target):
            coefs, rhs = _share_row(ctx, target, unit, exact=False)
            worst = max(0, rhs) + int(np.sum(np.maximum(-coefs, 0)))
            shortfall = f.new_var(
                f"shortfall[{target.attribute}|{target.scope}|{unit.name}]", 0, worst
            )
            f.add_row(
                list(unit.pairs) + [shortfall],
                list(coefs) + [1],
                rhs,
                None,
                Tag("soft", (unit.name,), f"soft {target.attribute} target in {unit.name}"),
            )
            f.add_objective(shortfall, -per_unit)
            f.objective_constant += per_unit * max(0, rhs)
