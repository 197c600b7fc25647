"""Roles: vacancies to fill (executive posts, board seats, manager posts)."""

from pydantic import Field, NonNegativeFloat

from models.common import Band, OrganisationId, PackageId, Record, RoleId, RoleKind, SkillLevel

BOARD_KINDS = frozenset({RoleKind.EXECUTIVE, RoleKind.NED, RoleKind.CHAIR})


class Role(Record):
    """A vacancy at one organisation."""

    id: RoleId = Field(description="Unique role id.")
    organisation_id: OrganisationId = Field(description="The organisation that holds the role.")
    kind: RoleKind = Field(description="Kind of role (H3).")
    title: str = Field(default="", description="Job title.")
    band: Band | None = Field(
        default=None, description="Pay band; absent or NED means no band limit (H8)."
    )
    board_level: bool | None = Field(
        default=None, description="Board-level post (H7); default true for executive, ned, chair."
    )
    required_skills: dict[str, SkillLevel] = Field(
        default_factory=dict, description="H4: minimum level 0..5 for each required skill."
    )
    desired_skills: dict[str, NonNegativeFloat] = Field(
        default_factory=dict, description="Weights of desired skills in the built-in fit score."
    )
    difficult_to_recruit: bool = Field(default=False, description="Difficult-to-recruit post.")
    must_fill: bool = Field(default=False, description="H1: the role must be filled.")
    allowed_packages: list[PackageId] | None = Field(
        default=None, description="H9: packages allowed for this role; default all."
    )

    @property
    def is_board_level(self) -> bool:
        """Explicit flag, else true for executive, NED and chair roles."""
        return self.board_level if self.board_level is not None else self.kind in BOARD_KINDS
