"""Independent re-check of the hard rules H1-H13 on a solution's placements.

This module deliberately shares no code with the model builder: each rule is re-read from
DESIGN.md ("The rules", "Precise readings") and checked directly on the placements, so a bug
in the engine's encoding of a rule cannot hide itself. Only `models` and the standard
library are imported.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from models.candidate import Candidate
from models.common import BAND_RANKS, Demographics, RoleKind
from models.organisation import Organisation
from models.package import Package
from models.policy import DiversityMode, DiversityTarget
from models.problem import Problem
from models.role import Role
from models.solution import Placement, Solution

#: Mean Earth radius (IUGG), km: the radius every implementation must use for H5.
EARTH_RADIUS_KM = 6371.0088
#: Largest accepted difference between a placement's distance_km and the recomputed one.
DISTANCE_TOLERANCE_KM = 0.01
#: Distances this close to a commute limit count as on it (floating-point rounding), km.
COMMUTE_LIMIT_TOLERANCE_KM = 1e-6
#: Rule id of record-level consistency checks (ids, scores, status) outside H1-H13.
CONTRACT = "contract"

_NO_HOME_ORG_KINDS = frozenset({RoleKind.NED, RoleKind.CHAIR})


@dataclass(frozen=True)
class Violation:
    """One broken rule instance: which rule, which records, and a readable line."""

    rule: str
    records: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Placed:
    """A placement with its candidate, role, organisation and package resolved."""

    placement: Placement
    candidate: Candidate
    role: Role
    organisation: Organisation
    package: Package


RuleCheck = Callable[[Problem, Sequence[Placed]], list[Violation]]


def format_violation(v: Violation) -> str:
    """One display line, prefixed with the rule id even if the message lacks it."""
    prefix = f"{v.rule}:"
    return v.message if v.message.startswith(prefix) else f"{prefix} {v.message}"


def _violation(rule: str, records: Sequence[str], text: str) -> Violation:
    """Build a violation whose message starts with its rule id, so it reads on its own."""
    return Violation(rule=rule, records=tuple(records), message=f"{rule}: {text}")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points (the H5 distance)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _distance_km(candidate: Candidate, organisation: Organisation) -> float:
    """Home-to-organisation distance, recomputed rather than trusted from the placement."""
    home, site = candidate.home, organisation.location
    return haversine_km(home.lat, home.lon, site.lat, site.lon)


# --- contract: status, ids, scores -------------------------------------------------------


def _check_status(solution: Solution) -> list[Violation]:
    """A solution without a usable status must not carry placements."""
    if not solution.placements:
        return []
    return [
        _violation(
            CONTRACT,
            [p.role_id for p in solution.placements],
            f"status {solution.status.value} but {len(solution.placements)} placement(s) given",
        )
    ]


def _resolve(problem: Problem, solution: Solution) -> tuple[list[Placed], list[Violation]]:
    """Resolve each placement's ids; placements naming unknown records are reported, not checked."""
    candidates = {c.id: c for c in problem.candidates}
    roles = {r.id: r for r in problem.roles}
    organisations = {o.id: o for o in problem.organisations}
    packages = {p.id: p for p in problem.effective_packages}
    placed: list[Placed] = []
    violations: list[Violation] = []
    for p in solution.placements:
        unknown = [
            f"{kind} '{record_id}'"
            for kind, record_id, known in (
                ("candidate", p.candidate_id, candidates),
                ("role", p.role_id, roles),
                ("package", p.package_id, packages),
            )
            if record_id not in known
        ]
        if unknown:
            violations.append(
                _violation(
                    CONTRACT,
                    [p.candidate_id, p.role_id, p.package_id],
                    f"placement ({p.candidate_id}, {p.role_id}, {p.package_id}) names unknown "
                    + ", ".join(unknown),
                )
            )
            continue
        role = roles[p.role_id]
        placed.append(
            Placed(
                placement=p,
                candidate=candidates[p.candidate_id],
                role=role,
                organisation=organisations[role.organisation_id],
                package=packages[p.package_id],
            )
        )
    return placed, violations


def assert_contract_scores(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """A placement's score equals the external score given for its pair."""
    overrides = {(s.candidate_id, s.role_id): s.score for s in problem.scores}
    violations = []
    for x in placed:
        p = x.placement
        expected = overrides.get((p.candidate_id, p.role_id))
        if expected is not None and p.score != expected:
            violations.append(
                _violation(
                    CONTRACT,
                    [p.candidate_id, p.role_id],
                    f"placement ({p.candidate_id}, {p.role_id}) has score {p.score:g} "
                    f"but scores gives {expected}",
                )
            )
    return violations


# --- the hard rules ----------------------------------------------------------------------


def assert_h1_role_capacity(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H1: each role at most once; exactly once if must_fill."""
    by_role: dict[str, list[str]] = defaultdict(list)
    for x in placed:
        by_role[x.role.id].append(x.candidate.id)
    violations = []
    for role in problem.roles:
        holders = by_role.get(role.id, [])
        if len(holders) > 1:
            violations.append(
                _violation(
                    "H1",
                    [role.id, *holders],
                    f"role {role.id} has {len(holders)} placements ({', '.join(holders)})",
                )
            )
        elif role.must_fill and not holders:
            violations.append(_violation("H1", [role.id], f"must-fill role {role.id} is unfilled"))
    return violations


def assert_h2_candidate_capacity(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H2: at most max(0, max_roles - current_roles) placements, and one per organisation.

    Only this round's placements count towards one per organisation: current roles are held
    elsewhere.
    """
    counts = Counter(x.candidate.id for x in placed)
    violations = []
    for candidate in problem.candidates:
        taken = counts.get(candidate.id, 0)
        capacity = max(0, candidate.max_roles - candidate.current_roles)
        if taken > capacity:
            violations.append(
                _violation(
                    "H2",
                    [candidate.id],
                    f"candidate {candidate.id} has {taken} placements > capacity {capacity} "
                    f"(max_roles {candidate.max_roles} - current_roles {candidate.current_roles})",
                )
            )
    by_seat: dict[tuple[str, str], list[str]] = defaultdict(list)
    for x in placed:
        by_seat[(x.candidate.id, x.organisation.id)].append(x.role.id)
    violations.extend(
        _violation(
            "H2",
            [cand_id, org_id],
            f"candidate {cand_id} has {len(role_ids)} placements at organisation {org_id} "
            f"({', '.join(role_ids)}); one role per organisation at most",
        )
        for (cand_id, org_id), role_ids in sorted(by_seat.items())
        if len(role_ids) > 1
    )
    return violations


def assert_h3_role_kind(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H3: the role's kind is one the candidate may take."""
    return [
        _violation(
            "H3",
            [x.candidate.id, x.role.id],
            f"candidate {x.candidate.id} does not take {x.role.kind.value} roles "
            f"such as role {x.role.id}",
        )
        for x in placed
        if x.role.kind not in x.candidate.kinds
    ]


def assert_h4_required_skills(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H4: the candidate meets every required skill level (a missing skill is level 0)."""
    violations = []
    for x in placed:
        for skill, level in x.role.required_skills.items():
            held = x.candidate.skills.get(skill, 0)
            if held < level:
                violations.append(
                    _violation(
                        "H4",
                        [x.candidate.id, x.role.id],
                        f"candidate {x.candidate.id} has {skill} {held} < {level} "
                        f"required by role {x.role.id}",
                    )
                )
    return violations


def assert_h5_commute_or_relocation(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H5: reported distance and relocation are right; a relocation is willing and supported."""
    violations = []
    for x in placed:
        p, c, r = x.placement, x.candidate, x.role
        records = [c.id, r.id, x.package.id]
        distance = _distance_km(c, x.organisation)
        # At the limit itself, rounding in the last bit decides; accept the reported flag.
        on_limit = abs(distance - c.max_commute_km) <= COMMUTE_LIMIT_TOLERANCE_KM
        relocation = p.relocation if on_limit else distance > c.max_commute_km
        if abs(p.distance_km - distance) > DISTANCE_TOLERANCE_KM:
            violations.append(
                _violation(
                    "H5",
                    records,
                    f"placement ({c.id}, {r.id}) reports distance {p.distance_km:.2f} km "
                    f"but it is {distance:.2f} km",
                )
            )
        if p.relocation != relocation:
            violations.append(
                _violation(
                    "H5",
                    records,
                    f"placement ({c.id}, {r.id}) reports relocation={p.relocation} but "
                    f"{distance:.2f} km vs commute limit {c.max_commute_km:g} km "
                    f"means relocation={relocation}",
                )
            )
        if relocation and not c.willing_to_relocate:
            violations.append(
                _violation(
                    "H5",
                    records,
                    f"candidate {c.id} is not willing to relocate but role {r.id} is "
                    f"{distance:.2f} km away (commute limit {c.max_commute_km:g} km)",
                )
            )
        if relocation and not x.package.relocation_support:
            violations.append(
                _violation(
                    "H5",
                    records,
                    f"placement ({c.id}, {r.id}) is a relocation ({distance:.2f} km) but "
                    f"package {x.package.id} has no relocation support",
                )
            )
    return violations


def assert_h6_conflicts(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H6: no conflicted organisation; no NED or chair role at the candidate's own employer."""
    violations = []
    for x in placed:
        c, r, org = x.candidate, x.role, x.organisation
        if org.id in c.conflicts:
            violations.append(
                _violation(
                    "H6",
                    [c.id, r.id, org.id],
                    f"candidate {c.id} has a conflict with organisation {org.id} of role {r.id}",
                )
            )
        if r.kind in _NO_HOME_ORG_KINDS and org.id == c.current_organisation_id:
            violations.append(
                _violation(
                    "H6",
                    [c.id, r.id, org.id],
                    f"candidate {c.id} works at {org.id} and cannot take its "
                    f"{r.kind.value} role {r.id}",
                )
            )
    return violations


def assert_h7_fit_and_proper(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H7: board-level roles need a fit and proper candidate."""
    return [
        _violation(
            "H7",
            [x.candidate.id, x.role.id],
            f"candidate {x.candidate.id} is not fit and proper for board-level role {x.role.id}",
        )
        for x in placed
        if x.role.is_board_level and not x.candidate.fit_and_proper
    ]


def _h8_breach(candidate: Candidate, role: Role) -> str | None:
    """Why the role's band is out of the candidate's reach, or None if it is not."""
    role_band = role.band.value if role.band is not None else None
    if role_band not in BAND_RANKS:
        return None
    cand_band = candidate.band.value if candidate.band is not None else None
    if cand_band not in BAND_RANKS:
        return f"candidate {candidate.id} has no band but role {role.id} is band {role_band}"
    step = BAND_RANKS[role_band] - BAND_RANKS[cand_band]
    if step > 1:
        return (
            f"role {role.id} band {role_band} is more than one step above "
            f"candidate {candidate.id} band {cand_band}"
        )
    if step == 1 and not candidate.accredited:
        return (
            f"role {role.id} band {role_band} is a step up from candidate {candidate.id} "
            f"band {cand_band}, which needs accreditation"
        )
    return None


def assert_h8_band(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H8: at most one band step up, and a step up only for accredited candidates."""
    violations = []
    for x in placed:
        breach = _h8_breach(x.candidate, x.role)
        if breach is not None:
            violations.append(_violation("H8", [x.candidate.id, x.role.id], breach))
    return violations


def assert_h9_packages_and_budget(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H9: the package is allowed for the role and its organisation; spend within budget."""
    violations = []
    for x in placed:
        c, r, pkg = x.candidate, x.role, x.package
        records = [c.id, r.id, pkg.id]
        if r.allowed_packages is not None and pkg.id not in r.allowed_packages:
            violations.append(
                _violation("H9", records, f"package {pkg.id} is not allowed for role {r.id}")
            )
        if pkg.challenged_only and not x.organisation.is_challenged:
            violations.append(
                _violation(
                    "H9",
                    records,
                    f"package {pkg.id} is for challenged organisations only but role {r.id} "
                    f"is at {x.organisation.id}, which is not challenged",
                )
            )
    budget = problem.policy.budget
    spend = sum(x.package.cost for x in placed)
    if budget is not None and spend > budget:
        costly = sorted({x.package.id for x in placed if x.package.cost > 0})
        violations.append(
            _violation("H9", costly, f"package spend £{spend} exceeds budget £{budget}")
        )
    return violations


def assert_h10_pinned_and_forbidden(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H10: every pinned pair is placed (with its package if given); no forbidden pair is."""
    chosen = {(x.candidate.id, x.role.id): x.package.id for x in placed}
    violations = []
    for pin in problem.pinned:
        key = (pin.candidate_id, pin.role_id)
        if key not in chosen:
            violations.append(
                _violation(
                    "H10",
                    list(key),
                    f"pinned pair ({pin.candidate_id}, {pin.role_id}) is not placed",
                )
            )
        elif pin.package_id is not None and chosen[key] != pin.package_id:
            violations.append(
                _violation(
                    "H10",
                    [*key, pin.package_id],
                    f"pinned pair ({pin.candidate_id}, {pin.role_id}) uses package "
                    f"{chosen[key]}, not the pinned {pin.package_id}",
                )
            )
    for ban in problem.forbidden:
        if (ban.candidate_id, ban.role_id) in chosen:
            violations.append(
                _violation(
                    "H10",
                    [ban.candidate_id, ban.role_id],
                    f"forbidden pair ({ban.candidate_id}, {ban.role_id}) is placed",
                )
            )
    return violations


def assert_h11_drawn_per_organisation(
    problem: Problem, placed: Sequence[Placed]
) -> list[Violation]:
    """H11: at most max_drawn_per_organisation distinct placed candidates per current employer."""
    limit = problem.policy.max_drawn_per_organisation
    if limit is None:
        return []
    drawn: dict[str, set[str]] = defaultdict(set)
    for x in placed:
        source = x.candidate.current_organisation_id
        if source is not None:
            drawn[source].add(x.candidate.id)
    return [
        _violation(
            "H11",
            [source, *sorted(people)],
            f"{len(people)} placed candidates come from organisation {source} (limit {limit})",
        )
        for source, people in sorted(drawn.items())
        if len(people) > limit
    ]


def _has(demographics: Demographics | None, attribute: str) -> bool:
    """Counts towards the numerator only when the attribute is known to be held."""
    return demographics is not None and demographics.has(attribute) is True


def _h12_units(
    problem: Problem, placed: Sequence[Placed], scope: str
) -> dict[str, list[Demographics | None]]:
    """People counted in each constrained scope unit; units without new placements are absent."""
    units: dict[str, list[Demographics | None]] = defaultdict(list)
    if scope == "all":
        for x in placed:
            units["all"].append(x.candidate.demographics)
    elif scope == "region":
        for x in placed:
            units[x.organisation.region].append(x.candidate.demographics)
    else:
        for x in placed:
            if x.role.is_board_level:
                units[x.organisation.id].append(x.candidate.demographics)
        for org in problem.organisations:
            if org.id in units:
                units[org.id].extend(member.demographics for member in org.board)
    return units


def _h12_target(
    problem: Problem, placed: Sequence[Placed], target: DiversityTarget
) -> list[Violation]:
    """Check one hard target in every scope unit, exactly, on the share as written."""
    share = Fraction(repr(target.min_share))
    label = {"all": "all placements", "region": "region {}", "board": "board of {}"}[target.scope]
    violations = []
    for unit, people in sorted(_h12_units(problem, placed, target.scope).items()):
        total = len(people)
        with_attribute = sum(_has(d, target.attribute) for d in people)
        if with_attribute < share * total:
            violations.append(
                _violation(
                    "H12",
                    [unit],
                    f"{label.format(unit)}: {with_attribute} of {total} counted have "
                    f"{target.attribute}, below the hard minimum share {target.min_share:g}",
                )
            )
    return violations


def assert_h12_diversity_targets(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H12: hard diversity targets, only in targets mode; reports counts per unit, never people."""
    policy = problem.policy
    if policy.diversity_mode != DiversityMode.TARGETS:
        return []
    violations = []
    for target in policy.diversity_targets:
        if target.hard:
            violations.extend(_h12_target(problem, placed, target))
    return violations


def assert_h13_board_requirements(problem: Problem, placed: Sequence[Placed]) -> list[Violation]:
    """H13: each board skill requirement is met by existing members plus new board placements."""
    newcomers: dict[str, list[Candidate]] = defaultdict(list)
    for x in placed:
        if x.role.is_board_level:
            newcomers[x.organisation.id].append(x.candidate)
    violations = []
    for org in problem.organisations:
        for req in org.board_requirements:
            existing = sum(m.skills.get(req.skill, 0) >= req.level for m in org.board)
            new = sum(c.skills.get(req.skill, 0) >= req.level for c in newcomers[org.id])
            if existing + new < req.min_members:
                violations.append(
                    _violation(
                        "H13",
                        [org.id],
                        f"board of {org.id} has {existing} existing + {new} new members with "
                        f"{req.skill} >= {req.level}, fewer than {req.min_members} required",
                    )
                )
    return violations


#: Every check `verify` runs on resolved placements, in report order.
CHECKS: tuple[RuleCheck, ...] = (
    assert_contract_scores,
    assert_h1_role_capacity,
    assert_h2_candidate_capacity,
    assert_h3_role_kind,
    assert_h4_required_skills,
    assert_h5_commute_or_relocation,
    assert_h6_conflicts,
    assert_h7_fit_and_proper,
    assert_h8_band,
    assert_h9_packages_and_budget,
    assert_h10_pinned_and_forbidden,
    assert_h11_drawn_per_organisation,
    assert_h12_diversity_targets,
    assert_h13_board_requirements,
)


def verify(problem: Problem, solution: Solution) -> list[Violation]:
    """Every hard rule and contract breach in the solution; empty means it is valid."""
    if not solution.status.is_ok:
        return _check_status(solution)
    placed, violations = _resolve(problem, solution)
    for check in CHECKS:
        violations.extend(check(problem, placed))
    return violations
