"""Vectorised random draws shared by the generator: skills, demographics and places."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.common import Demographics
from scenarios.workforce import SKILL_SD, SKILLS, UNKNOWN_SHARE

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Kilometres per degree of latitude.
KM_PER_DEGREE = 111.195
MAX_SKILL_LEVEL = 5

#: Codes of one demographic attribute in a draw.
NO, YES, NOT_RECORDED, PREFER_NOT_TO_SAY = 0, 1, -1, -2
#: [assumption] Of the unknown values, the share explicitly "prefer not to say".
DECLINED_SHARE_OF_UNKNOWN = 0.5


def offset_points(
    rng: np.random.Generator, lat: FloatArray, lon: FloatArray, distance_km: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Move each point distance_km in a random direction (flat-earth step, fine below ~50 km)."""
    bearing = rng.uniform(0.0, 2 * np.pi, size=len(lat))
    new_lat = lat + distance_km * np.cos(bearing) / KM_PER_DEGREE
    new_lon = lon + distance_km * np.sin(bearing) / (KM_PER_DEGREE * np.cos(np.radians(lat)))
    return np.round(new_lat, 5), np.round(new_lon, 5)


def skill_means_matrix(profiles: Sequence[Mapping[str, float]], default: float) -> FloatArray:
    """Rows of mean skill levels, one per profile, in SKILLS order."""
    return np.array([[profile.get(skill, default) for skill in SKILLS] for profile in profiles])


def draw_skill_levels(rng: np.random.Generator, means: FloatArray) -> IntArray:
    """Integer levels 0..5 scattered around each mean (one row per person)."""
    levels = np.rint(means + rng.normal(0.0, SKILL_SD, size=means.shape))
    return np.clip(levels, 0, MAX_SKILL_LEVEL).astype(np.int64)


def skill_dicts(levels: IntArray) -> list[dict[str, int]]:
    """Each row of skill levels as a record field: only the skills held (level >= 1)."""
    return [
        {skill: level for skill, level in zip(SKILLS, row, strict=True) if level}
        for row in levels.tolist()
    ]


def weight_dicts(weights: FloatArray) -> list[dict[str, float]]:
    """Each row of desired-skill weights as a record field: only the skills desired."""
    return [
        {skill: weight for skill, weight in zip(SKILLS, row, strict=True) if weight}
        for row in weights.tolist()
    ]


@dataclass(frozen=True)
class DemographicDraws:
    """Coded demographics of many people: YES, NO, NOT_RECORDED or PREFER_NOT_TO_SAY."""

    female: IntArray
    ethnic_minority: IntArray
    disabled: IntArray

    def records(self) -> list[Demographics]:
        """Everyone's demographics as records."""
        return [
            Demographics(sex=_SEX[sex], ethnic_minority=_FLAG[minority], disabled=_FLAG[disabled])
            for sex, minority, disabled in zip(
                self.female.tolist(),
                self.ethnic_minority.tolist(),
                self.disabled.tolist(),
                strict=True,
            )
        ]


_SEX: dict[int, str | None] = {
    YES: "female",
    NO: "male",
    NOT_RECORDED: None,
    PREFER_NOT_TO_SAY: "prefer_not_to_say",
}
_FLAG: dict[int, bool | str | None] = {
    YES: True,
    NO: False,
    NOT_RECORDED: None,
    PREFER_NOT_TO_SAY: "prefer_not_to_say",
}


def _draw_attribute(rng: np.random.Generator, share: FloatArray) -> IntArray:
    """YES with probability share; then UNKNOWN_SHARE of people made unknown."""
    codes = (rng.random(len(share)) < share).astype(np.int64)
    unknown = rng.random(len(share)) < UNKNOWN_SHARE
    declined = rng.random(len(share)) < DECLINED_SHARE_OF_UNKNOWN
    codes[unknown] = np.where(declined[unknown], PREFER_NOT_TO_SAY, NOT_RECORDED)
    return codes


def draw_demographics(
    rng: np.random.Generator, female: FloatArray, ethnic_minority: FloatArray, disabled: FloatArray
) -> DemographicDraws:
    """Draw each attribute with each person's own probability."""
    return DemographicDraws(
        female=_draw_attribute(rng, female),
        ethnic_minority=_draw_attribute(rng, ethnic_minority),
        disabled=_draw_attribute(rng, disabled),
    )
