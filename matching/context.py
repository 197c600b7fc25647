"""Everything the rules need: arrays, eligible pairs, their scores and the pinned pairs."""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays
from matching.eligibility import Pairs, pair_keys
from matching.pins import PinnedPair
from matching.scoring import PairScores
from models.problem import Problem


@dataclass(frozen=True)
class ModelContext:
    """Prepared data for building a formulation; pair index k refers to `pairs`."""

    arrays: ProblemArrays
    pairs: Pairs
    scores: PairScores
    pins: tuple[PinnedPair, ...]

    @property
    def problem(self) -> Problem:
        """The validated problem."""
        return self.arrays.problem

    @cached_property
    def role_starts(self) -> NDArray[np.int64]:
        """Pairs are sorted by role: pairs of role r are role_starts[r]:role_starts[r+1]."""
        bounds = np.searchsorted(self.pairs.role, np.arange(self.arrays.n_roles + 1))
        return bounds.astype(np.int64)

    def pairs_of_role(self, role: int) -> NDArray[np.int64]:
        """Pair indices of one role."""
        return np.arange(self.role_starts[role], self.role_starts[role + 1], dtype=np.int64)

    @cached_property
    def pairs_by_candidate(self) -> list[NDArray[np.int64]]:
        """Pair indices grouped by candidate."""
        order = np.argsort(self.pairs.cand, kind="stable")
        bounds = np.searchsorted(self.pairs.cand[order], np.arange(self.arrays.n_candidates + 1))
        return [order[bounds[c] : bounds[c + 1]] for c in range(self.arrays.n_candidates)]

    def same_organisation_groups(
        self, pairs: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Pairs among `pairs` whose candidate has another of them at the same organisation.

        H2 allows one role per organisation, so only these pairs need a shared limit.

        Returns:
            Those pair indices ordered by (candidate, organisation), and each one's group
            number 0..g-1 (one group per candidate and organisation).
        """
        org = self.arrays.role_org[self.pairs.role[pairs]]
        keys = self.pairs.cand[pairs] * self.arrays.n_organisations + org
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        shared = np.flatnonzero(counts[inverse] >= 2)
        shared = shared[np.argsort(inverse[shared], kind="stable")]
        renumber = np.cumsum(counts >= 2) - 1
        return pairs[shared], renumber[inverse[shared]]

    def pin_index(self, pin: PinnedPair) -> int:
        """Pair index of a pinned pair (pins are always eligible)."""
        key = pair_keys(self.arrays, np.array([pin.cand]), np.array([pin.role]))
        return int(np.searchsorted(self.pairs.keys, key)[0])
