"""Pair records: pinned and forbidden pairs, and externally computed scores."""

from pydantic import Field

from models.common import CandidateId, PackageId, Record, RoleId

#: Largest external score magnitude: keeps every objective sum exact in 64-bit integers.
MAX_SCORE = 1_000_000_000


class PairRef(Record):
    """A (candidate, role) pair, optionally with a package (H10)."""

    candidate_id: CandidateId = Field(description="The candidate.")
    role_id: RoleId = Field(description="The role.")
    package_id: PackageId | None = Field(
        default=None, description="Package for a pinned pair; ignored for forbidden pairs."
    )


class PairScore(Record):
    """An external fit score that replaces the built-in one for this pair."""

    candidate_id: CandidateId = Field(description="The candidate.")
    role_id: RoleId = Field(description="The role.")
    score: int = Field(
        ge=-MAX_SCORE,
        le=MAX_SCORE,
        description="Integer fit score from the talent system's own assessment (|score| <= 1e9).",
    )
