"""The Problem as numpy arrays, built once so that eligibility and scoring stay vectorised."""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from models.common import ATTRIBUTES, BAND_RANKS, RoleKind
from models.problem import Problem

NO_RANK = -1
NO_ORG = -1
KIND_CODES: dict[RoleKind, int] = {kind: i for i, kind in enumerate(RoleKind)}
NED_KINDS = (RoleKind.NED, RoleKind.CHAIR)


def _rank(band: object) -> int:
    return BAND_RANKS.get(getattr(band, "value", ""), NO_RANK)


@dataclass(frozen=True)
class ProblemArrays:
    """Index maps and aligned arrays of organisations, roles, candidates and packages."""

    problem: Problem
    skills: tuple[str, ...]
    org_index: dict[str, int]
    role_index: dict[str, int]
    cand_index: dict[str, int]
    package_index: dict[str, int]
    # organisations
    org_lat: NDArray[np.float64]
    org_lon: NDArray[np.float64]
    org_challenged: NDArray[np.bool_]
    # roles
    role_org: NDArray[np.int64]
    role_kind: NDArray[np.int64]
    role_rank: NDArray[np.int64]
    role_board: NDArray[np.bool_]
    role_ned: NDArray[np.bool_]
    role_required: NDArray[np.int8]
    role_desired: NDArray[np.float64]
    role_difficult: NDArray[np.bool_]
    role_must_fill: NDArray[np.bool_]
    role_allowed: NDArray[np.bool_]
    # candidates
    cand_kinds: NDArray[np.int64]
    cand_lat: NDArray[np.float64]
    cand_lon: NDArray[np.float64]
    cand_rank: NDArray[np.int64]
    cand_skills: NDArray[np.int8]
    cand_accredited: NDArray[np.bool_]
    cand_fit_and_proper: NDArray[np.bool_]
    cand_capacity: NDArray[np.int64]
    cand_commute: NDArray[np.float64]
    cand_willing: NDArray[np.bool_]
    cand_current_org: NDArray[np.int64]
    cand_conflicts: sparse.csr_array
    cand_attribute: dict[str, NDArray[np.bool_]]
    cand_attribute_known: dict[str, NDArray[np.bool_]]
    # packages
    package_cost: NDArray[np.int64]
    package_support: NDArray[np.bool_]
    package_challenged_only: NDArray[np.bool_]

    @property
    def n_roles(self) -> int:
        """Number of roles."""
        return len(self.role_index)

    @property
    def n_organisations(self) -> int:
        """Number of organisations."""
        return len(self.org_index)

    @property
    def n_candidates(self) -> int:
        """Number of candidates."""
        return len(self.cand_index)


def _skill_matrix(
    rows: list[dict[str, int]] | list[dict[str, float]], skills: dict[str, int], dtype: type
) -> NDArray:
    matrix = np.zeros((len(rows), len(skills)), dtype=dtype)
    for i, row in enumerate(rows):
        for name, value in row.items():
            matrix[i, skills[name]] = value
    return matrix


def build_arrays(problem: Problem) -> ProblemArrays:
    """Turn a validated Problem into index maps and numpy arrays."""
    orgs, roles, cands = problem.organisations, problem.roles, problem.candidates
    packages = problem.effective_packages
    skill_names = sorted(
        {s for r in roles for s in r.required_skills}
        | {s for r in roles for s in r.desired_skills}
        | {s for c in cands for s in c.skills}
        | {q.skill for o in orgs for q in o.board_requirements}
    )
    skills = {name: i for i, name in enumerate(skill_names)}
    org_index = {o.id: i for i, o in enumerate(orgs)}
    package_index = {p.id: i for i, p in enumerate(packages)}

    allowed = np.ones((len(roles), len(packages)), dtype=bool)
    for i, role in enumerate(roles):
        if role.allowed_packages is not None:
            allowed[i] = False
            allowed[i, [package_index[p] for p in role.allowed_packages]] = True

    conflict_rows = [(i, org_index[o]) for i, c in enumerate(cands) for o in c.conflicts]
    conflicts = sparse.csr_array(
        (
            np.ones(len(conflict_rows), dtype=bool),
            (
                np.array([r for r, _ in conflict_rows], dtype=np.int64),
                np.array([o for _, o in conflict_rows], dtype=np.int64),
            ),
        ),
        shape=(len(cands), len(orgs)),
    )

    attribute: dict[str, NDArray[np.bool_]] = {}
    known: dict[str, NDArray[np.bool_]] = {}
    for name in ATTRIBUTES:
        values = [c.demographics.has(name) if c.demographics else None for c in cands]
        attribute[name] = np.array([v is True for v in values], dtype=bool)
        known[name] = np.array([v is not None for v in values], dtype=bool)

    return ProblemArrays(
        problem=problem,
        skills=tuple(skill_names),
        org_index=org_index,
        role_index={r.id: i for i, r in enumerate(roles)},
        cand_index={c.id: i for i, c in enumerate(cands)},
        package_index=package_index,
        org_lat=np.array([o.location.lat for o in orgs], dtype=np.float64),
        org_lon=np.array([o.location.lon for o in orgs], dtype=np.float64),
        org_challenged=np.array([o.is_challenged for o in orgs], dtype=bool),
        role_org=np.array([org_index[r.organisation_id] for r in roles], dtype=np.int64),
        role_kind=np.array([KIND_CODES[r.kind] for r in roles], dtype=np.int64),
        role_rank=np.array([_rank(r.band) for r in roles], dtype=np.int64),
        role_board=np.array([r.is_board_level for r in roles], dtype=bool),
        role_ned=np.array([r.kind in NED_KINDS for r in roles], dtype=bool),
        role_required=_skill_matrix([r.required_skills for r in roles], skills, np.int8),
        role_desired=_skill_matrix([r.desired_skills for r in roles], skills, np.float64),
        role_difficult=np.array([r.difficult_to_recruit for r in roles], dtype=bool),
        role_must_fill=np.array([r.must_fill for r in roles], dtype=bool),
        role_allowed=allowed,
        cand_kinds=np.array(
            [sum(1 << KIND_CODES[k] for k in set(c.kinds)) for c in cands], dtype=np.int64
        ),
        cand_lat=np.array([c.home.lat for c in cands], dtype=np.float64),
        cand_lon=np.array([c.home.lon for c in cands], dtype=np.float64),
        cand_rank=np.array([_rank(c.band) for c in cands], dtype=np.int64),
        cand_skills=_skill_matrix([c.skills for c in cands], skills, np.int8),
        cand_accredited=np.array([c.accredited for c in cands], dtype=bool),
        cand_fit_and_proper=np.array([c.fit_and_proper for c in cands], dtype=bool),
        cand_capacity=np.array([c.capacity for c in cands], dtype=np.int64),
        cand_commute=np.array([c.max_commute_km for c in cands], dtype=np.float64),
        cand_willing=np.array([c.willing_to_relocate for c in cands], dtype=bool),
        cand_current_org=np.array(
            [org_index.get(c.current_organisation_id or "", NO_ORG) for c in cands],
            dtype=np.int64,
        ),
        cand_conflicts=conflicts,
        cand_attribute=attribute,
        cand_attribute_known=known,
        package_cost=np.array([p.cost for p in packages], dtype=np.int64),
        package_support=np.array([p.relocation_support for p in packages], dtype=bool),
        package_challenged_only=np.array([p.challenged_only for p in packages], dtype=bool),
    )
