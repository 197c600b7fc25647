"""Fit scores and objective coefficients per eligible pair, vectorised.

The built-in fit score (0..100 points) rewards desired-skill match, margin over required
levels and career progression; a `scores[]` entry replaces it for its pair.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.arrays import NO_RANK, ProblemArrays
from matching.eligibility import Pairs, pair_keys

#: Objective values are optimised as integers in units of 1/SCALE point.
SCALE = 1000
#: Points of the built-in fit score by component.
DESIRED_POINTS = 60.0
MARGIN_POINTS = 25.0
STEP_UP_POINTS = 15.0
LEVEL_POINTS = 10.0
#: Skill levels above the requirement that earn the full margin.
FULL_MARGIN_LEVELS = 2.0
MAX_LEVEL = 5.0
#: Pairs scored per chunk where every skill counts: bounds temporary memory, and keeps the
#: pairs x skills temporaries small enough to stay in cache.
CHUNK = 50_000
#: Skills a role may give a value for its pairs to be summed over those skills alone (a sum of
#: more nonzero terms depends on their order).
FEW_SKILLS = 2

FIT_COMPONENTS = ("desired_skills", "required_margin", "progression")

#: A fit term of one skill: from the candidate's level and the role's value for the skill.
Term = Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]]


@dataclass(frozen=True)
class PairScores:
    """Fit and objective terms for every eligible pair (aligned with Pairs)."""

    fit: NDArray[np.int64]
    components: dict[str, NDArray[np.float64]]
    external: NDArray[np.bool_]
    terms: dict[str, NDArray[np.float64]]
    coefficient: NDArray[np.int64]  # merit objective, scaled integers


def _first_skills(values: NDArray[np.float64]) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Places x roles: each role's first FEW_SKILLS skills with a nonzero value (then skills it
    gives no value), and its values there."""
    first = np.argsort(values == 0, axis=1, kind="stable")[:, :FEW_SKILLS]
    return first.T, np.take_along_axis(values, first, axis=1).T


def _sums_at_first(
    term: Term,
    first: NDArray[np.intp],
    values_at_first: NDArray[np.float64],
    levels: NDArray[np.float64],
    cand: NDArray[np.int64],
    role: NDArray[np.int64],
) -> NDArray[np.float64]:
    """For each pair, term summed over its role's first skills (see _first_skills)."""
    row = cand * levels.shape[1]
    sums = np.zeros(cand.size)
    for skill, value in zip(first, values_at_first, strict=True):
        sums += term(np.take(levels, row + skill[role]), value[role])
    return sums


def _skill_sums(
    term: Term,
    values: NDArray[np.float64],
    levels: NDArray[np.float64],
    cand: NDArray[np.int64],
    role: NDArray[np.int64],
) -> NDArray[np.float64]:
    """For each pair, term(candidate's level, role's value) summed over skills, where term is
    zero for a skill the role gives no value: over the role's first FEW_SKILLS skills, or over
    every skill for the pairs of a role that values more, CHUNK pairs at a time.

    Both give the same floats: a sum with at most two nonzero terms is exact in any order.
    """
    first, values_at_first = _first_skills(values)
    more = np.count_nonzero(values, axis=1) > FEW_SKILLS
    total = np.empty(cand.size)
    for start in range(0, cand.size, CHUNK):
        c, r = cand[start : start + CHUNK], role[start : start + CHUNK]
        sums = _sums_at_first(term, first, values_at_first, levels, c, r)
        slow = np.flatnonzero(more[r])
        sums[slow] = term(levels[c[slow]], values[r[slow]]).sum(axis=1)
        total[start : start + CHUNK] = sums
    return total


def _desired_term(held: NDArray[np.float64], desired: NDArray[np.float64]) -> NDArray[np.float64]:
    """A desired skill's weight times the held level's share of MAX_LEVEL."""
    return desired * np.minimum(held, MAX_LEVEL) / MAX_LEVEL


def _margin_term(held: NDArray[np.float64], required: NDArray[np.float64]) -> NDArray[np.float64]:
    """Margin over a required level, full at FULL_MARGIN_LEVELS; none for a skill not required."""
    return np.clip((held - required) / FULL_MARGIN_LEVELS, 0.0, 1.0) * (required > 0)


def _desired_part(
    a: ProblemArrays, levels: NDArray[np.float64], cand: NDArray[np.int64], role: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Share of the role's desired-skill weight the candidate's levels cover (0..1)."""
    weight = a.role_desired.sum(axis=1)[role]
    covered = _skill_sums(_desired_term, a.role_desired, levels, cand, role)
    return np.where(weight > 0, covered / np.where(weight > 0, weight, 1.0), 0.0)


def _margin_part(
    a: ProblemArrays, levels: NDArray[np.float64], cand: NDArray[np.int64], role: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Mean margin over the role's required skills (1 if it requires none)."""
    required = a.role_required.astype(np.float64)
    n_needed = np.count_nonzero(required > 0, axis=1)[role]
    margins = _skill_sums(_margin_term, required, levels, cand, role)
    return np.where(n_needed > 0, margins / np.maximum(n_needed, 1), 1.0)


def _progression(
    a: ProblemArrays, cand: NDArray[np.int64], role: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Points for a step up one band, fewer for a move at the same band (or a role without)."""
    role_rank, cand_rank = a.role_rank[role], a.cand_rank[cand]
    step_up = (role_rank != NO_RANK) & (cand_rank != NO_RANK) & (role_rank == cand_rank + 1)
    level = (role_rank == NO_RANK) | (role_rank == cand_rank)
    return np.where(step_up, STEP_UP_POINTS, np.where(level, LEVEL_POINTS, 0.0))


def _builtin_components(
    a: ProblemArrays, cand: NDArray[np.int64], role: NDArray[np.int64]
) -> dict[str, NDArray[np.float64]]:
    levels = a.cand_skills.astype(np.float64)
    return {
        "desired_skills": DESIRED_POINTS * _desired_part(a, levels, cand, role),
        "required_margin": MARGIN_POINTS * _margin_part(a, levels, cand, role),
        "progression": _progression(a, cand, role),
    }


def _external_scores(a: ProblemArrays, pairs: Pairs) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    has = np.zeros(pairs.size, dtype=bool)
    value = np.zeros(pairs.size, dtype=np.int64)
    if a.score_value.size == 0 or pairs.size == 0:
        return has, value
    keys = pair_keys(a, a.score_cand, a.score_role)
    pos = np.searchsorted(pairs.keys, keys)
    found = (pos < pairs.size) & (pairs.keys[np.minimum(pos, pairs.size - 1)] == keys)
    has[pos[found]] = True
    value[pos[found]] = a.score_value[found]
    return has, value


def score_pairs(a: ProblemArrays, pairs: Pairs) -> PairScores:
    """Fit score, its components and every weighted objective term of each pair."""
    components = _builtin_components(a, pairs.cand, pairs.role)
    builtin = np.rint(sum(components.values(), np.zeros(pairs.size))).astype(np.int64)
    external, external_value = _external_scores(a, pairs)
    fit = np.where(external, external_value, builtin)
    w = a.problem.policy.weights
    org = a.role_org[pairs.role]
    terms = {
        "fit": w.fit * fit,
        "challenged": w.challenged * a.org_challenged[org],
        "difficult_to_recruit": w.difficult_to_recruit * a.role_difficult[pairs.role],
        "cost": -w.cost * pairs.cost / 1000.0,
        "relocation": -w.relocation * pairs.relocation,
        "distance": -w.distance * pairs.distance,
    }
    total = sum(terms.values(), np.zeros(pairs.size))
    coefficient = np.rint(total * SCALE).astype(np.int64)
    return PairScores(fit, components, external, terms, coefficient)
