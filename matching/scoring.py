"""Fit scores and objective coefficients per eligible pair, vectorised.

The built-in fit score (0..100 points) rewards desired-skill match, margin over required
levels and career progression; a `scores[]` entry replaces it for its pair.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.arrays import NO_RANK, ProblemArrays
from matching.eligibility import Pairs, keys_of

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
#: Pairs scored per chunk, to bound temporary memory.
CHUNK = 500_000

FIT_COMPONENTS = ("desired_skills", "required_margin", "progression")


@dataclass(frozen=True)
class PairScores:
    """Fit and objective terms for every eligible pair (aligned with Pairs)."""

    fit: NDArray[np.int64]
    components: dict[str, NDArray[np.float64]]
    external: NDArray[np.bool_]
    terms: dict[str, NDArray[np.float64]]
    coefficient: NDArray[np.int64]  # merit objective, scaled integers


def _builtin_components(
    a: ProblemArrays, cand: NDArray[np.int64], role: NDArray[np.int64]
) -> dict[str, NDArray[np.float64]]:
    skills = a.cand_skills[cand].astype(np.float64)
    desired = a.role_desired[role]
    weight = desired.sum(axis=1)
    match = (desired * np.minimum(skills, MAX_LEVEL) / MAX_LEVEL).sum(axis=1)
    desired_part = np.where(weight > 0, match / np.where(weight > 0, weight, 1.0), 0.0)
    required = a.role_required[role].astype(np.float64)
    needed = required > 0
    margin = np.clip((skills - required) / FULL_MARGIN_LEVELS, 0.0, 1.0)
    n_needed = needed.sum(axis=1)
    margin_part = np.where(
        n_needed > 0, (margin * needed).sum(axis=1) / np.maximum(n_needed, 1), 1.0
    )
    role_rank, cand_rank = a.role_rank[role], a.cand_rank[cand]
    step_up = (role_rank != NO_RANK) & (cand_rank != NO_RANK) & (role_rank == cand_rank + 1)
    level = (role_rank == NO_RANK) | (role_rank == cand_rank)
    progression = np.where(step_up, STEP_UP_POINTS, np.where(level, LEVEL_POINTS, 0.0))
    return {
        "desired_skills": DESIRED_POINTS * desired_part,
        "required_margin": MARGIN_POINTS * margin_part,
        "progression": progression,
    }


def _external_scores(a: ProblemArrays, pairs: Pairs) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    has = np.zeros(pairs.size, dtype=bool)
    value = np.zeros(pairs.size, dtype=np.int64)
    scores = a.problem.scores
    if not scores or pairs.size == 0:
        return has, value
    keys = keys_of(a, [(s.candidate_id, s.role_id) for s in scores])
    pos = np.searchsorted(pairs.keys, keys)
    found = (pos < pairs.size) & (pairs.keys[np.minimum(pos, pairs.size - 1)] == keys)
    has[pos[found]] = True
    value[pos[found]] = np.array([s.score for s in scores], dtype=np.int64)[found]
    return has, value


def score_pairs(a: ProblemArrays, pairs: Pairs) -> PairScores:
    """Fit score, its components and every weighted objective term of each pair."""
    parts = [
        _builtin_components(a, pairs.cand[i : i + CHUNK], pairs.role[i : i + CHUNK])
        for i in range(0, pairs.size, CHUNK)
    ]
    components = {
        name: (np.concatenate([p[name] for p in parts]) if parts else np.zeros(0))
        for name in FIT_COMPONENTS
    }
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
