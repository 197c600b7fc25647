"""Organisations: NHS trusts and ICBs with their boards and board requirements."""

from typing import Annotated

from pydantic import Field, PositiveInt

from models.common import (
    Attribute,
    Demographics,
    Location,
    OrganisationId,
    OrganisationType,
    Record,
    Share,
    SkillLevel,
)


class BoardMember(Record):
    """An existing board member, counted by H12 (board scope) and H13."""

    id: str | None = Field(default=None, description="Optional identifier of the member.")
    skills: dict[str, SkillLevel] = Field(
        default_factory=dict, description="Skill levels 0..5 by skill name."
    )
    demographics: Demographics | None = Field(
        default=None, description="Optional demographics, used only in aggregate."
    )


class BoardRequirement(Record):
    """H13: at least min_members of the board hold skill at level or above."""

    skill: str = Field(description="Skill name.")
    level: SkillLevel = Field(description="Minimum level 0..5.")
    min_members: PositiveInt = Field(description="How many board members must hold it.")


class Organisation(Record):
    """An NHS organisation that holds roles."""

    id: OrganisationId = Field(description="Unique id (ODS code for real organisations).")
    name: str = Field(description="Organisation name.")
    type: OrganisationType = Field(description="Organisation type.")
    region: str = Field(description="NHS England region (code or name).")
    location: Location = Field(description="Where the organisation is (headquarters).")
    segment: Annotated[int, Field(ge=1, le=4)] = Field(
        default=2, description="NHS Oversight Framework segment 1..4; 4 = recovery support."
    )
    challenged: bool | None = Field(
        default=None, description="Challenged organisation; default: segment == 4."
    )
    rural_or_coastal: bool = Field(default=False, description="Rural or coastal organisation.")
    community: dict[Attribute, Share] = Field(
        default_factory=dict,
        description="Share of the served population with each tracked attribute, 0..1.",
    )
    board: list[BoardMember] = Field(default_factory=list, description="Existing board members.")
    board_requirements: list[BoardRequirement] = Field(
        default_factory=list, description="H13 skill requirements of the board."
    )

    @property
    def is_challenged(self) -> bool:
        """Explicit challenged flag, else segment 4."""
        return self.challenged if self.challenged is not None else self.segment == 4
