"""Local supply: how many candidates could take each role without relocating.

Roles fall into a few hundred requirement patterns (kind, band, required skills), so supply is
counted per (organisation, pattern) with one matrix product instead of per (candidate, role)
pair: candidates near each organisation times candidates eligible for each pattern. The count
reads H2-H5, H7 and H8 as the engine does; the NED-only exclusions of H6 (conflicts, own board)
are left out, so board posts' supply is slightly overstated.
"""

from dataclasses import dataclass

import numpy as np

from matching.geo import haversine_km
from scenarios.draws import BoolArray, IntArray
from scenarios.synth_candidates import KIND_COLUMN, CandidateTable
from scenarios.synth_organisations import OrganisationTable
from scenarios.synth_roles import NO_BAND, RoleTable


@dataclass(frozen=True)
class LocalSupply:
    """Local supply of every role.

    Attributes:
        count: Candidates within commuting distance who meet the role's requirements.
        beyond_supply: The role is one more than its organisation's local supply for its pattern
            covers (roles of a pattern at one organisation compete for the same people), so
            filling it takes a relocation or leaves it empty.
        relocatable: Someone willing to relocate meets the role's requirements.
        near: Organisations x candidates: the organisation is within the candidate's commute.
    """

    count: IntArray
    beyond_supply: BoolArray
    relocatable: BoolArray
    near: BoolArray

    @property
    def needs_relocation(self) -> BoolArray:
        """Roles that only a relocation can fill."""
        return self.beyond_supply & self.relocatable


def _patterns(roles: RoleTable) -> tuple[IntArray, IntArray]:
    """Pattern of each role, and one representative role per pattern."""
    kind_column = np.array([KIND_COLUMN[kind] for kind in roles.kind], dtype=np.int64)
    keys = np.column_stack([kind_column, roles.band_rank, roles.board_level, roles.required])
    _, representative, pattern = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    return pattern.reshape(-1), representative


def eligible_anywhere(role: int, roles: RoleTable, candidates: CandidateTable) -> BoolArray:
    """Candidates who meet the role's kind, skill, fit-and-proper and band rules (H2-H4, H7-H8)."""
    ok = candidates.kinds[:, KIND_COLUMN[roles.kind[role]]].copy()
    ok &= (candidates.skills >= roles.required[role]).all(axis=1)
    ok &= candidates.max_roles > candidates.current_roles
    if roles.board_level[role]:
        ok &= candidates.fit_and_proper
    band = int(roles.band_rank[role])
    if band != NO_BAND:
        rank = candidates.band_rank
        ok &= (rank != NO_BAND) & (band <= rank + 1) & ((band <= rank) | candidates.accredited)
    return ok


def _within_commute(orgs: OrganisationTable, candidates: CandidateTable) -> BoolArray:
    """Organisations x candidates: the organisation is within the candidate's commute (H5)."""
    near = np.empty((len(orgs), len(candidates)), dtype=bool)
    for org in range(len(orgs)):
        distance = haversine_km(
            candidates.lat, candidates.lon, float(orgs.lat[org]), float(orgs.lon[org])
        )
        near[org] = distance <= candidates.max_commute_km
    return near


def _rank_within_group(group: IntArray) -> IntArray:
    """0, 1, 2, ... for the roles of each group, in role order."""
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    first = np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - first
    return rank


def local_supply(
    roles: RoleTable, orgs: OrganisationTable, candidates: CandidateTable
) -> LocalSupply:
    """Local supply of every role, counted per (organisation, requirement pattern)."""
    pattern, representative = _patterns(roles)
    eligible = np.column_stack(
        [eligible_anywhere(int(r), roles, candidates) for r in representative]
    )
    near = _within_commute(orgs, candidates)
    supply = near.astype(np.float32) @ eligible.astype(np.float32)
    count = np.rint(supply[roles.org, pattern]).astype(np.int64)
    rank = _rank_within_group(roles.org * len(representative) + pattern)
    willing = candidates.willing_to_relocate.astype(np.float32) @ eligible.astype(np.float32)
    return LocalSupply(
        count=count, beyond_supply=rank >= count, relocatable=willing[pattern] > 0, near=near
    )
