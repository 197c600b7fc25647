"""Shared types: identifiers, enums and coordinates used by every record."""

import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

CandidateId = str
RoleId = str
OrganisationId = str
PackageId = str

SkillLevel = Annotated[int, Field(ge=0, le=5)]
Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]

#: Band ranks for H8; a role or candidate without a band (or with band NED) has no rank.
BAND_RANKS: dict[str, int] = {"8a": 0, "8b": 1, "8c": 2, "8d": 3, "9": 4, "VSM": 5}

#: Attributes that diversity targets and representation reports may name.
ATTRIBUTES: tuple[str, ...] = ("female", "ethnic_minority", "disabled")

Attribute = Literal["female", "ethnic_minority", "disabled"]


class OrganisationType(StrEnum):
    """NHS organisation types."""

    ACUTE = "acute"
    MENTAL_HEALTH = "mental_health"
    COMMUNITY = "community"
    AMBULANCE = "ambulance"
    ICB = "icb"
    OTHER = "other"


class RoleKind(StrEnum):
    """What kind of post a role is; candidates list the kinds they may take (H3)."""

    EXECUTIVE = "executive"
    NED = "ned"
    CHAIR = "chair"
    MANAGER = "manager"


class Band(StrEnum):
    """Agenda for Change bands 8a-9, very senior managers, and NED (no band)."""

    B8A = "8a"
    B8B = "8b"
    B8C = "8c"
    B8D = "8d"
    B9 = "9"
    VSM = "VSM"
    NED = "NED"


def _check_latitude(value: float) -> float:
    if not math.isfinite(value) or not -90.0 <= value <= 90.0:
        raise ValueError("must be between -90 and 90")
    return value


def _check_longitude(value: float) -> float:
    if not math.isfinite(value) or not -180.0 <= value <= 180.0:
        raise ValueError("must be between -180 and 180")
    return value


class Record(BaseModel):
    """Base of every input record: unknown fields are an error, records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(Record):
    """A point on the Earth (WGS84 degrees)."""

    lat: Annotated[float, AfterValidator(_check_latitude)] = Field(
        description="Latitude in degrees, -90..90."
    )
    lon: Annotated[float, AfterValidator(_check_longitude)] = Field(
        description="Longitude in degrees, -180..180."
    )


PreferNotToSay = Literal["prefer_not_to_say"]


class Demographics(Record):
    """Special category personal data: used only in aggregate, never echoed per person."""

    sex: Literal["female", "male", "other", "prefer_not_to_say"] | None = Field(
        default=None, description="Sex; absent or prefer_not_to_say counts as unknown."
    )
    ethnic_minority: bool | PreferNotToSay | None = Field(
        default=None, description="Black and minority ethnic (WRES usage); absent = unknown."
    )
    disabled: bool | PreferNotToSay | None = Field(
        default=None, description="Declared disability; absent = unknown."
    )

    def has(self, attribute: str) -> bool | None:
        """True/False if the attribute is known, None if unknown or not disclosed."""
        if attribute == "female":
            if self.sex is None or self.sex == "prefer_not_to_say":
                return None
            return self.sex == "female"
        value = getattr(self, attribute)
        return value if isinstance(value, bool) else None
