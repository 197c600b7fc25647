"""The Problem as numpy arrays, built once so that eligibility and scoring stay vectorised."""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from models.candidate import Candidate
from models.common import ATTRIBUTES, BAND_RANKS, RoleKind
from models.pairs import PairScore
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
    role_required_bits: NDArray[np.uint64]  # H4: a (skill, level) bit per required skill
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
    cand_skill_bits: NDArray[np.uint64]  # H4: (skill, level) bits up to each held level
    cand_accredited: NDArray[np.bool_]
    cand_fit_and_proper: NDArray[np.bool_]
    cand_capacity: NDArray[np.int64]
    cand_commute: NDArray[np.float64]
    cand_willing: NDArray[np.bool_]
    cand_current_org: NDArray[np.int64]
    cand_conflict_orgs: NDArray[np.int64]  # declared conflicts, padded with NO_ORG
    cand_attribute: dict[str, NDArray[np.bool_]]
    cand_attribute_known: dict[str, NDArray[np.bool_]]
    # packages
    package_cost: NDArray[np.int64]
    package_support: NDArray[np.bool_]
    package_challenged_only: NDArray[np.bool_]
    # external scores (scores[], in order)
    score_cand: NDArray[np.int64]
    score_role: NDArray[np.int64]
    score_value: NDArray[np.int64]

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


def _words(bits: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """Rows of bits packed into 64-bit words (at least one), for whole-word set tests."""
    n_words = max(1, -(-bits.shape[1] // 64))
    padded = np.zeros((bits.shape[0], n_words * 64), dtype=bool)
    padded[:, : bits.shape[1]] = bits
    return np.packbits(padded, axis=1, bitorder="little").view(np.uint64)


def _level_bits(levels: NDArray[np.int8], top: int, up_to: bool) -> NDArray[np.uint64]:
    """One bit per (skill, level 1..top): each row's level alone or, with up_to, every level
    up to it. A role's required bits are then a subset of the candidate's held ones exactly
    when every required skill is held at or above its level (H4)."""
    steps = np.arange(1, top + 1)
    at = levels[:, :, None] >= steps if up_to else levels[:, :, None] == steps
    return _words(at.reshape(levels.shape[0], levels.shape[1] * top))


def _conflict_orgs(cands: list[Candidate], org_index: dict[str, int]) -> NDArray[np.int64]:
    """Each candidate's declared conflicts as a row of organisations, padded with NO_ORG: the
    rows are short, so H6 tests them a column at a time against the pairs' organisations."""
    width = max((len(c.conflicts) for c in cands), default=0)
    orgs = np.full((len(cands), width), NO_ORG, dtype=np.int64)
    for i, c in enumerate(cands):
        if c.conflicts:
            orgs[i, : len(c.conflicts)] = [org_index[o] for o in c.conflicts]
    return orgs


def _score_arrays(
    scores: list[PairScore], cand_index: dict[str, int], role_index: dict[str, int]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Candidate, role and value of each external score: looked up once, as a shortlist can
    hold millions."""
    return (
        np.fromiter((cand_index[s.candidate_id] for s in scores), np.int64, len(scores)),
        np.fromiter((role_index[s.role_id] for s in scores), np.int64, len(scores)),
        np.fromiter((s.score for s in scores), np.int64, len(scores)),
    )


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
    role_index = {r.id: i for i, r in enumerate(roles)}
    cand_index = {c.id: i for i, c in enumerate(cands)}
    package_index = {p.id: i for i, p in enumerate(packages)}

    allowed = np.ones((len(roles), len(packages)), dtype=bool)
    for i, role in enumerate(roles):
        if role.allowed_packages is not None:
            allowed[i] = False
            allowed[i, [package_index[p] for p in role.allowed_packages]] = True

    required = _skill_matrix([r.required_skills for r in roles], skills, np.int8)
    held = _skill_matrix([c.skills for c in cands], skills, np.int8)
    top_level = int(max(required.max(initial=0), held.max(initial=0)))
    score_cand, score_role, score_value = _score_arrays(problem.scores, cand_index, role_index)

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
        role_index=role_index,
        cand_index=cand_index,
        package_index=package_index,
        org_lat=np.array([o.location.lat for o in orgs], dtype=np.float64),
        org_lon=np.array([o.location.lon for o in orgs], dtype=np.float64),
        org_challenged=np.array([o.is_challenged for o in orgs], dtype=bool),
        role_org=np.array([org_index[r.organisation_id] for r in roles], dtype=np.int64),
        role_kind=np.array([KIND_CODES[r.kind] for r in roles], dtype=np.int64),
        role_rank=np.array([_rank(r.band) for r in roles], dtype=np.int64),
        role_board=np.array([r.is_board_level for r in roles], dtype=bool),
        role_ned=np.array([r.kind in NED_KINDS for r in roles], dtype=bool),
        role_required=required,
        role_required_bits=_level_bits(required, top_level, up_to=False),
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
        cand_skills=held,
        cand_skill_bits=_level_bits(held, top_level, up_to=True),
        cand_accredited=np.array([c.accredited for c in cands], dtype=bool),
        cand_fit_and_proper=np.array([c.fit_and_proper for c in cands], dtype=bool),
        cand_capacity=np.array([c.capacity for c in cands], dtype=np.int64),
        cand_commute=np.array([c.max_commute_km for c in cands], dtype=np.float64),
        cand_willing=np.array([c.willing_to_relocate for c in cands], dtype=bool),
        cand_current_org=np.array(
            [org_index.get(c.current_organisation_id or "", NO_ORG) for c in cands],
            dtype=np.int64,
        ),
        cand_conflict_orgs=_conflict_orgs(cands, org_index),
        cand_attribute=attribute,
        cand_attribute_known=known,
        package_cost=np.array([p.cost for p in packages], dtype=np.int64),
        package_support=np.array([p.relocation_support for p in packages], dtype=bool),
        package_challenged_only=np.array([p.challenged_only for p in packages], dtype=bool),
        score_cand=score_cand,
        score_role=score_role,
        score_value=score_value,
    )
