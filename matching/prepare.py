"""From a Problem to the prepared model context that every solve and what-if starts from."""

from dataclasses import replace

import numpy as np

from matching.arrays import ProblemArrays, build_arrays
from matching.context import ModelContext
from matching.eligibility import Pairs, eligible_pairs, pair_keys
from matching.pins import PinnedPair, resolve_pins
from matching.scoring import score_pairs
from models.problem import Problem
from models.solution import Conflict


def _with_pinned_packages(arrays: ProblemArrays, pairs: Pairs, pins: list[PinnedPair]) -> Pairs:
    """Pinned pairs use the package their pin names."""
    if not pins:
        return pairs
    cand = np.array([pin.cand for pin in pins], dtype=np.int64)
    role = np.array([pin.role for pin in pins], dtype=np.int64)
    chosen = np.array([pin.package for pin in pins], dtype=np.int64)
    k = np.searchsorted(pairs.keys, pair_keys(arrays, cand, role))
    package, pair_cost = pairs.package.copy(), pairs.cost.copy()
    package[k], pair_cost[k] = chosen, arrays.package_cost[chosen]
    return replace(pairs, package=package, cost=pair_cost)


def prepare(problem: Problem) -> tuple[ModelContext, list[Conflict]]:
    """Arrays, eligible pairs with their scores, and the pins; pins that cannot hold come back
    as conflicts (their pairs are then left out of the context's pins)."""
    arrays = build_arrays(problem)
    pins, conflicts = resolve_pins(arrays)
    pairs = _with_pinned_packages(arrays, eligible_pairs(arrays), pins)
    return ModelContext(arrays, pairs, score_pairs(arrays, pairs), tuple(pins)), conflicts
