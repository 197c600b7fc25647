"""Candidates: managers, executives and NEDs in the talent pool."""

from pydantic import Field, NonNegativeFloat, NonNegativeInt, PositiveInt

from models.common import (
    Band,
    CandidateId,
    Demographics,
    Location,
    OrganisationId,
    Record,
    RoleKind,
    SkillLevel,
)


class Candidate(Record):
    """A person who may be placed in one or more roles."""

    id: CandidateId = Field(description="Unique candidate id (pseudonymous).")
    kinds: list[RoleKind] = Field(min_length=1, description="Kinds of role they may take (H3).")
    home: Location = Field(description="Home location, for commute distance (H5).")
    region: str = Field(description="Home NHS England region.")
    current_organisation_id: OrganisationId | None = Field(
        default=None, description="Current employer, if in the NHS (H6, H11)."
    )
    band: Band | None = Field(default=None, description="Current band; absent = no band (H8).")
    skills: dict[str, SkillLevel] = Field(
        default_factory=dict, description="Skill levels 0..5; a missing skill is level 0."
    )
    accredited: bool = Field(
        default=False, description="Holds the management standards accreditation (H8 step up)."
    )
    fit_and_proper: bool = Field(
        default=False, description="Passed the fit and proper person test (H7)."
    )
    max_roles: PositiveInt = Field(default=1, description="Most roles they may hold (H2).")
    current_roles: NonNegativeInt = Field(default=0, description="Roles already held (H2).")
    max_commute_km: NonNegativeFloat = Field(
        default=60.0, allow_inf_nan=False, description="Longest commute they accept, km (H5)."
    )
    willing_to_relocate: bool = Field(
        default=False, description="Would relocate for a role beyond the commute (H5)."
    )
    conflicts: list[OrganisationId] = Field(
        default_factory=list, description="Organisations with a conflict of interest (H6)."
    )
    demographics: Demographics | None = Field(
        default=None, description="Optional demographics: aggregate use only, never echoed."
    )

    @property
    def capacity(self) -> int:
        """Placements still open to this candidate (H2)."""
        return max(0, self.max_roles - self.current_roles)
