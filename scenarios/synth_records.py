"""Turn the generator's arrays into validated Problem records."""

from models.candidate import Candidate
from models.common import BAND_RANKS, Band, Location
from models.organisation import BoardMember, BoardRequirement, Organisation
from models.role import Role
from scenarios.draws import BoolArray, skill_dicts, weight_dicts
from scenarios.synth_candidates import KIND_ORDER, NO_ORGANISATION, CandidateTable
from scenarios.synth_organisations import BoardMembers, OrganisationTable, SeatTable
from scenarios.synth_policy import allowed_packages
from scenarios.synth_roles import NO_BAND, RoleTable
from scenarios.workforce import COMMUNITY_DISABLED, COMMUNITY_FEMALE, REGION_ETHNIC_MINORITY

#: Band of each rank; NED and chair roles carry the NED label (no band limit).
RANK_BANDS: dict[int, Band] = {rank: Band(band) for band, rank in BAND_RANKS.items()}


def role_id(index: int) -> str:
    """Role id of the index-th role: R00001, R00002, ..."""
    return f"R{index + 1:05d}"


def candidate_id(index: int) -> str:
    """Candidate id of the index-th candidate: C00001, C00002, ..."""
    return f"C{index + 1:05d}"


def _boards(
    orgs: OrganisationTable, seats: SeatTable, members: BoardMembers
) -> list[list[BoardMember]]:
    """Existing board members of each organisation."""
    boards: list[list[BoardMember]] = [[] for _ in range(len(orgs))]
    for org, skills, demographics in zip(
        seats.org[members.seat].tolist(),
        skill_dicts(members.skills),
        members.demographics.records(),
        strict=True,
    ):
        boards[org].append(BoardMember(skills=skills, demographics=demographics))
    return boards


def organisation_records(
    orgs: OrganisationTable,
    seats: SeatTable,
    members: BoardMembers,
    requirements: list[list[BoardRequirement]] | None,
) -> list[Organisation]:
    """Organisation records with their existing boards, and H13 requirements unless None."""
    boards = _boards(orgs, seats, members)
    return [
        Organisation(
            id=ref.id,
            name=ref.name,
            type=ref.type,
            region=ref.region,
            location=Location(lat=ref.lat, lon=ref.lon),
            segment=int(orgs.segment[i]),
            rural_or_coastal=bool(orgs.rural_or_coastal[i]),
            community={
                "female": COMMUNITY_FEMALE,
                "ethnic_minority": REGION_ETHNIC_MINORITY[ref.region],
                "disabled": COMMUNITY_DISABLED,
            },
            board=boards[i],
            board_requirements=requirements[i] if requirements is not None else [],
        )
        for i, ref in enumerate(orgs.refs)
    ]


def role_records(roles: RoleTable, orgs: OrganisationTable, must_fill: BoolArray) -> list[Role]:
    """Role records, in RoleTable order."""
    challenged = orgs.challenged[roles.org].tolist()
    org_index = roles.org.tolist()
    band_rank = roles.band_rank.tolist()
    difficult = roles.difficult.tolist()
    forced = must_fill.tolist()
    required = skill_dicts(roles.required)
    desired = weight_dicts(roles.desired)
    return [
        Role(
            id=role_id(i),
            organisation_id=orgs.refs[org_index[i]].id,
            kind=kind,
            title=roles.title[i],
            band=Band.NED if band_rank[i] == NO_BAND else RANK_BANDS[band_rank[i]],
            required_skills=required[i],
            desired_skills=desired[i],
            difficult_to_recruit=difficult[i],
            must_fill=forced[i],
            allowed_packages=allowed_packages(kind, challenged[i]),
        )
        for i, kind in enumerate(roles.kind)
    ]


def candidate_records(candidates: CandidateTable, orgs: OrganisationTable) -> list[Candidate]:
    """Candidate records, in CandidateTable order; organisations named by ODS code."""
    ids = [ref.id for ref in orgs.refs]
    column = {
        name: getattr(candidates, name).tolist()
        for name in (
            "kinds", "anchor", "lat", "lon", "current_org", "band_rank", "accredited",
            "fit_and_proper", "max_roles", "current_roles", "max_commute_km",
            "willing_to_relocate", "conflict",
        )
    }  # fmt: skip
    skills = skill_dicts(candidates.skills)
    demographics = candidates.demographics.records()
    records = []
    for i in range(len(candidates)):
        row = {name: values[i] for name, values in column.items()}
        current, conflict, band = row["current_org"], row["conflict"], row["band_rank"]
        records.append(
            Candidate(
                id=candidate_id(i),
                kinds=[kind for kind, has in zip(KIND_ORDER, row["kinds"], strict=True) if has],
                home=Location(lat=row["lat"], lon=row["lon"]),
                region=orgs.refs[row["anchor"]].region,
                current_organisation_id=None if current == NO_ORGANISATION else ids[current],
                band=None if band == NO_BAND else RANK_BANDS[band],
                skills=skills[i],
                accredited=row["accredited"],
                fit_and_proper=row["fit_and_proper"],
                max_roles=row["max_roles"],
                current_roles=row["current_roles"],
                max_commute_km=row["max_commute_km"],
                willing_to_relocate=row["willing_to_relocate"],
                conflicts=[] if conflict == NO_ORGANISATION else [ids[conflict]],
                demographics=demographics[i],
            )
        )
    return records
