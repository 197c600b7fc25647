"""Reference data: the real NHS England regions, trusts and ICBs the generator builds on.

The CSV files ship with the package (`scenarios/data/`, sources and licences in its SOURCES.md),
so a generated problem names real organisations at their real (postcode-district) locations.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from models.common import OrganisationType

DATA_DIR = Path(__file__).parent / "data"
TRUSTS_FILE = "nhs_trusts_england_2025q1.csv"
ICBS_FILE = "icbs_england_2025.csv"
REGIONS_FILE = "nhs_england_regions.csv"

#: ERIC 2016/17 sector of a trust -> organisation type; an untyped (newer) trust is `other`.
SECTOR_TYPES: dict[str, OrganisationType] = {
    "acute": OrganisationType.ACUTE,
    "mental_health": OrganisationType.MENTAL_HEALTH,
    "community": OrganisationType.COMMUNITY,
    "ambulance": OrganisationType.AMBULANCE,
}

#: Words kept in upper case or lower case when turning ODS upper-case names into title case.
UPPER_WORDS = frozenset({"NHS", "ICB"})
LOWER_WORDS = frozenset({"and", "of", "the", "on", "in", "upon", "for"})


@dataclass(frozen=True)
class Region:
    """An NHS England region."""

    code: str
    name: str


@dataclass(frozen=True)
class ReferenceOrganisation:
    """A real trust or ICB: id is its ODS code, region the NHS region name."""

    id: str
    name: str
    type: OrganisationType
    region: str
    icb: str
    lat: float
    lon: float


def _rows(filename: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / filename).open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def title_case(name: str) -> str:
    """ODS names are upper case; title case reads better in reports."""
    words = []
    for i, word in enumerate(name.lower().split()):
        if word.upper() in UPPER_WORDS:
            words.append(word.upper())
        elif i > 0 and word in LOWER_WORDS:
            words.append(word)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


@cache
def load_regions() -> tuple[Region, ...]:
    """The seven NHS England regions, sorted by code."""
    regions = (
        Region(row["nhs_region_code"], row["nhs_region_name"]) for row in _rows(REGIONS_FILE)
    )
    return tuple(sorted(regions, key=lambda region: region.code))


@cache
def load_trusts() -> tuple[ReferenceOrganisation, ...]:
    """Open English trusts, sorted by ODS code."""
    trusts = [
        ReferenceOrganisation(
            id=row["ods_code"],
            name=title_case(row["name"]),
            type=SECTOR_TYPES.get(row["sector"], OrganisationType.OTHER),
            region=row["nhs_region_name"],
            icb=row["icb_code"],
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
        )
        for row in _rows(TRUSTS_FILE)
        if row["is_open"] == "1" and row["country"] == "England"
    ]
    return tuple(sorted(trusts, key=lambda trust: trust.id))


@cache
def load_icbs() -> tuple[ReferenceOrganisation, ...]:
    """The 42 ICBs, sorted by ODS code, each placed at the mean location of its trusts."""
    trusts = load_trusts()
    icbs = []
    for row in _rows(ICBS_FILE):
        members = [trust for trust in trusts if trust.icb == row["icb_ods_code"]]
        icbs.append(
            ReferenceOrganisation(
                id=row["icb_ods_code"],
                name=row["icb_name"],
                type=OrganisationType.ICB,
                region=row["nhs_region_name"],
                icb=row["icb_ods_code"],
                lat=sum(trust.lat for trust in members) / len(members),
                lon=sum(trust.lon for trust in members) / len(members),
            )
        )
    return tuple(sorted(icbs, key=lambda icb: icb.id))


def organisations_in(region_names: set[str]) -> tuple[ReferenceOrganisation, ...]:
    """Trusts then ICBs of the given regions, in ODS-code order."""
    return tuple(org for org in load_trusts() + load_icbs() if org.region in region_names)
