"""Solvers of the formulation (CP-SAT, CBC via PuLP) and the exact min-cost-flow path."""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from models.solution import SolveStatus


@dataclass(frozen=True)
class BackendResult:
    """What a backend found: status, chosen pairs (0/1 per pair) and scaled objective values."""

    status: SolveStatus
    chosen: NDArray[np.bool_]
    objective: int | None
    bound: int | None
    backend: str
    version: str
    #: Per pair, the most any placement containing it can be worth (from the LP), if known.
    pair_bound: NDArray[np.float64] | None = None
