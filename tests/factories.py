"""Small builders for Problem records whose defaults make every pair eligible.

Defaults: one organisation `O1` at `HOME` (distance 0), executive roles at band 9 requiring
leadership 2, candidates at band 9 with leadership 3, fit and proper, open to every role kind.
Weights are fit-only and every pair gets `DEFAULT_SCORE`, so the objective is the sum of the
placed pairs' scores and each test states only what matters to it.
"""

import math
from collections.abc import Iterable, Mapping
from typing import Any

from models.candidate import Candidate
from models.common import Location
from models.organisation import BoardMember, BoardRequirement, Organisation
from models.package import Package
from models.pairs import PairRef, PairScore
from models.policy import DiversityTarget, Policy, Weights
from models.problem import Problem
from models.role import Role

EARTH_RADIUS_KM = 6371.0088
HOME = Location(lat=52.0, lon=-1.0)
DEFAULT_SCORE = 10
ALL_KINDS = ("executive", "ned", "chair", "manager")
FIT_ONLY = Weights(
    fit=1, challenged=0, difficult_to_recruit=0, diversity=0, cost=0, relocation=0, distance=0
)

Pair = tuple[str, str]


def km_north(km: float, origin: Location = HOME) -> Location:
    """The point `km` kilometres due north of `origin` (exact on the haversine sphere)."""
    return Location(lat=origin.lat + math.degrees(km / EARTH_RADIUS_KM), lon=origin.lon)


def haversine_km(a: Location, b: Location) -> float:
    """Great-circle distance in km with the design's Earth radius."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlam = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def make_org(org_id: str = "O1", *, km: float = 0.0, **fields: Any) -> Organisation:
    """An acute trust in region R1, `km` north of HOME, not challenged (segment 2)."""
    data: dict[str, Any] = {
        "id": org_id,
        "name": f"Organisation {org_id}",
        "type": "acute",
        "region": "R1",
        "location": km_north(km),
    }
    return Organisation(**(data | fields))


def make_role(role_id: str = "R1", org_id: str = "O1", **fields: Any) -> Role:
    """A band 9 executive role requiring leadership 2."""
    data: dict[str, Any] = {
        "id": role_id,
        "organisation_id": org_id,
        "kind": "executive",
        "band": "9",
        "required_skills": {"leadership": 2},
    }
    return Role(**(data | fields))


def make_candidate(cand_id: str = "C1", **fields: Any) -> Candidate:
    """A band 9 candidate at HOME, fit and proper, open to every kind, leadership 3."""
    data: dict[str, Any] = {
        "id": cand_id,
        "kinds": list(ALL_KINDS),
        "home": HOME,
        "region": "R1",
        "band": "9",
        "skills": {"leadership": 3, "finance": 3},
        "fit_and_proper": True,
    }
    return Candidate(**(data | fields))


def make_package(package_id: str, cost: int = 0, **fields: Any) -> Package:
    """A package with the given cost and no support unless stated."""
    return Package(id=package_id, name=f"Package {package_id}", cost=cost, **fields)


def make_member(member_id: str = "M1", **fields: Any) -> BoardMember:
    """An existing board member."""
    return BoardMember(id=member_id, **fields)


def requirement(skill: str, level: int, min_members: int = 1) -> BoardRequirement:
    """An H13 board requirement."""
    return BoardRequirement(skill=skill, level=level, min_members=min_members)


def target(
    attribute: str, min_share: float, scope: str = "all", hard: bool = True
) -> DiversityTarget:
    """A diversity target (hard by default, i.e. rule H12 in targets mode)."""
    return DiversityTarget(attribute=attribute, min_share=min_share, scope=scope, hard=hard)


def pin(cand_id: str, role_id: str, package_id: str | None = None) -> PairRef:
    """A pinned (or forbidden) pair."""
    return PairRef(candidate_id=cand_id, role_id=role_id, package_id=package_id)


def _referenced_org_ids(roles: Iterable[Role], candidates: Iterable[Candidate]) -> list[str]:
    ids = {r.organisation_id for r in roles}
    for cand in candidates:
        ids.update(cand.conflicts)
        if cand.current_organisation_id is not None:
            ids.add(cand.current_organisation_id)
    return sorted(ids)


def _scores(
    roles: list[Role],
    candidates: list[Candidate],
    scores: Mapping[Pair, int],
    default_score: int | None,
) -> list[PairScore]:
    table = dict(scores)
    if default_score is not None:
        for cand in candidates:
            for role in roles:
                table.setdefault((cand.id, role.id), default_score)
    return [PairScore(candidate_id=c, role_id=r, score=s) for (c, r), s in sorted(table.items())]


def make_problem(
    roles: list[Role],
    candidates: list[Candidate],
    *,
    orgs: list[Organisation] | None = None,
    packages: list[Package] | None = None,
    pinned: list[PairRef] | None = None,
    forbidden: list[PairRef] | None = None,
    scores: Mapping[Pair, int] | None = None,
    default_score: int | None = DEFAULT_SCORE,
    policy: Policy | None = None,
    **policy_fields: Any,
) -> Problem:
    """A problem; organisations default to those referenced, policy to fit-only weights.

    Every pair without an entry in `scores` gets `default_score` (None: built-in scoring).
    """
    if orgs is None:
        orgs = [make_org(org_id) for org_id in _referenced_org_ids(roles, candidates)]
    if policy is None:
        policy = Policy(**({"weights": FIT_ONLY} | policy_fields))
    return Problem(
        organisations=orgs,
        roles=roles,
        candidates=candidates,
        packages=packages or [],
        policy=policy,
        pinned=pinned or [],
        forbidden=forbidden or [],
        scores=_scores(roles, candidates, scores or {}, default_score),
    )
