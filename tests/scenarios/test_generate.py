"""Tests of the synthetic problem generator: determinism, sizes, realism, variants."""

import math
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from models.candidate import Candidate
from models.common import BAND_RANKS, RoleKind
from models.organisation import Organisation
from models.problem import Problem
from models.role import Role
from scenarios.generate import SIZES, Size, Variant, generate_problem, main, problem_json
from scenarios.nhs_data import load_icbs, load_regions, load_trusts
from scenarios.workforce import (
    EXECUTIVE_POOL_ETHNIC_MINORITY,
    EXECUTIVE_POSTS,
    MANAGER_DISABLED,
    MANAGER_ETHNIC_MINORITY,
    MANAGER_FEMALE,
    NED_POOL_ETHNIC_MINORITY,
    NED_POOL_FEMALE,
    UNKNOWN_SHARE,
    regional_share,
)

EXAMPLE = Path(__file__).parents[2] / "scenarios" / "examples" / "region_s.json"
SIZE_TOLERANCE = 0.2
#: Realised shares must lie within this many standard errors (and at least MIN_TOLERANCE).
STANDARD_ERRORS = 3.0
MIN_TOLERANCE = 0.03
#: A forced role needs at least this many candidates who can take it without relocating.
MIN_LOCAL_ELIGIBLE = 3
EARTH_RADIUS_KM = 6371.0088
EXECUTIVE_FEMALE = sum(post.female for post in EXECUTIVE_POSTS) / len(EXECUTIVE_POSTS)


@cache
def problem(size: str, seed: int = 0, variant: Variant = "full") -> Problem:
    """Generated problems are cached: several tests read the same one."""
    return generate_problem(size, seed, variant)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance as DESIGN.md defines it."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def band_allows(role: Role, cand: Candidate) -> bool:
    """H8: at most one band up, and a step up needs accreditation."""
    role_rank = BAND_RANKS.get(role.band.value) if role.band else None
    if role_rank is None:
        return True
    cand_rank = BAND_RANKS.get(cand.band.value) if cand.band else None
    if cand_rank is None or role_rank > cand_rank + 1:
        return False
    return role_rank <= cand_rank or cand.accredited


def takes_locally(cand: Candidate, role: Role, org: Organisation) -> bool:
    """The candidate may take the role without relocating (H2-H8 read from the records)."""
    return (
        cand.capacity > 0
        and role.kind in cand.kinds
        and all(cand.skills.get(s, 0) >= level for s, level in role.required_skills.items())
        and distance_km(cand.home.lat, cand.home.lon, org.location.lat, org.location.lon)
        <= cand.max_commute_km
        and org.id not in cand.conflicts
        and not (
            role.kind in (RoleKind.NED, RoleKind.CHAIR) and cand.current_organisation_id == org.id
        )
        and (cand.fit_and_proper or not role.is_board_level)
        and band_allows(role, cand)
    )


def can_be_forced(p: Problem, role: Role) -> bool:
    """Enough candidates could take the role without relocating, and one of them is a woman."""
    org = next(o for o in p.organisations if o.id == role.organisation_id)
    local = [c for c in p.candidates if takes_locally(c, role, org)]
    women = [c for c in local if c.demographics and c.demographics.has("female")]
    return len(local) >= MIN_LOCAL_ELIGIBLE and bool(women)


def known_share(values: Iterable[bool | None]) -> tuple[float, int]:
    """Share of True among the known values, and how many were known."""
    known = [v for v in values if v is not None]
    return sum(known) / len(known), len(known)


def assert_share_near(values: list[bool | None], expected: float) -> None:
    """The realised share lies within a few standard errors of the expected share."""
    share, n = known_share(values)
    tolerance = max(MIN_TOLERANCE, STANDARD_ERRORS * math.sqrt(expected * (1 - expected) / n))
    assert share == pytest.approx(expected, abs=tolerance)


def pool(p: Problem, name: str) -> list[Candidate]:
    """Candidates of one pool: managers (8a-9), executives (VSM) or NEDs (no band)."""
    bands = {"manager": {"8a", "8b", "8c", "8d", "9"}, "executive": {"VSM"}, "ned": {None}}[name]
    return [c for c in p.candidates if (c.band.value if c.band else None) in bands]


def test_same_seed_gives_identical_json() -> None:
    """The same (size, seed, variant) gives byte-identical JSON."""
    variants: tuple[Variant, ...] = ("full", "pure")
    for variant in variants:
        first = problem_json(generate_problem("s", 3, variant))
        assert problem_json(generate_problem("s", 3, variant)) == first


def test_different_seeds_give_different_problems() -> None:
    """Another seed gives another problem."""
    assert problem_json(problem("xs", 0)) != problem_json(problem("xs", 1))
    assert problem_json(problem("s", 0)) != problem_json(problem("s", 1))


@pytest.mark.parametrize("size", ["xs", "s", "m"])
def test_sizes_are_roughly_right(size: str) -> None:
    """Candidate and role counts are within 20% of the size's targets."""
    params = SIZES[Size(size)]
    p = problem(size)
    assert len(p.candidates) == pytest.approx(params.candidates, rel=SIZE_TOLERANCE)
    assert len(p.roles) == pytest.approx(params.roles, rel=SIZE_TOLERANCE)


@pytest.mark.slow
@pytest.mark.parametrize("size", ["l", "xl"])
def test_large_sizes_are_roughly_right_and_national(size: str) -> None:
    """l and xl have their target counts and every trust and ICB in England."""
    params = SIZES[Size(size)]
    p = generate_problem(size)
    assert len(p.candidates) == pytest.approx(params.candidates, rel=SIZE_TOLERANCE)
    assert len(p.roles) == pytest.approx(params.roles, rel=SIZE_TOLERANCE)
    assert len(p.organisations) == len(load_trusts()) + len(load_icbs())


@pytest.mark.parametrize("size", ["xs", "s", "m"])
@pytest.mark.parametrize("variant", ["full", "pure"])
def test_problem_round_trips_through_json(size: str, variant: Variant) -> None:
    """Every generated problem validates again from its JSON, with or without defaults."""
    p = problem(size, 0, variant)
    assert Problem.model_validate_json(p.model_dump_json()) == p
    assert Problem.model_validate_json(problem_json(p)) == p


def test_candidate_demographics_are_near_the_published_figures() -> None:
    """Female, ethnic-minority and disabled shares of each pool match the intended ones."""
    p = problem("m")
    for name, female, ethnic_minority in (
        ("manager", MANAGER_FEMALE, MANAGER_ETHNIC_MINORITY),
        ("executive", EXECUTIVE_FEMALE, EXECUTIVE_POOL_ETHNIC_MINORITY),
        ("ned", NED_POOL_FEMALE, NED_POOL_ETHNIC_MINORITY),
    ):
        people = pool(p, name)
        demographics = [c.demographics for c in people if c.demographics]
        assert_share_near([d.has("female") for d in demographics], female)
        expected = sum(regional_share(ethnic_minority, c.region) for c in people) / len(people)
        assert_share_near([d.has("ethnic_minority") for d in demographics], expected)
    managers = [c.demographics for c in pool(p, "manager") if c.demographics]
    assert_share_near([d.has("disabled") for d in managers], MANAGER_DISABLED)


def test_about_eight_percent_of_demographics_are_unknown() -> None:
    """About 8% of each attribute is unknown or prefer_not_to_say (FACTS)."""
    p = problem("m")
    for attribute in ("female", "ethnic_minority", "disabled"):
        unknown = [
            c.demographics is None or c.demographics.has(attribute) is None for c in p.candidates
        ]
        assert_share_near(unknown, UNKNOWN_SHARE)


def test_s_problem_uses_the_organisations_of_one_real_region() -> None:
    """An s problem holds every trust and ICB of one region, and only those."""
    for seed in range(3):
        p = problem("s", seed)
        regions = {o.region for o in p.organisations}
        assert len(regions) == 1
        (region,) = regions
        expected = {o.id for o in load_trusts() + load_icbs() if o.region == region}
        assert {o.id for o in p.organisations} == expected
        assert {c.region for c in p.candidates} == regions


def test_regions_follow_the_size() -> None:
    """xs and s span one region, m three, and l (by construction) all seven."""
    assert len({o.region for o in problem("xs").organisations}) == 1
    assert len({o.region for o in problem("m").organisations}) == SIZES[Size.M].regions
    assert SIZES[Size.L].regions == SIZES[Size.XL].regions == len(load_regions())


def test_organisations_are_real_trusts_and_icbs() -> None:
    """Organisation ids are ODS codes of open English trusts and of ICBs, typed accordingly."""
    trusts = {t.id: t for t in load_trusts()}
    icbs = {i.id for i in load_icbs()}
    for org in problem("m").organisations:
        assert org.id in trusts or org.id in icbs
        assert (org.type.value == "icb") == (org.id in icbs)
        if org.id in trusts:
            assert org.type == trusts[org.id].type


def test_about_a_tenth_of_organisations_are_in_segment_4() -> None:
    """Segment 4 (recovery support, challenged) holds ~10% of organisations (FACTS §3)."""
    orgs = problem("m").organisations
    challenged = sum(o.is_challenged for o in orgs)
    assert challenged == math.ceil(0.1 * len(orgs))


def test_roles_mix_board_and_manager_posts() -> None:
    """Roles include executive, NED and manager posts with the bands their kind implies."""
    roles = problem("m").roles
    kinds = {r.kind for r in roles}
    assert {RoleKind.EXECUTIVE, RoleKind.NED, RoleKind.MANAGER} <= kinds
    for role in roles:
        band = role.band.value if role.band else None
        expected = {
            RoleKind.EXECUTIVE: {"VSM"},
            RoleKind.NED: {"NED"},
            RoleKind.CHAIR: {"NED"},
            RoleKind.MANAGER: {"8a", "8b", "8c", "8d", "9"},
        }[role.kind]
        assert band in expected


def test_challenged_organisations_have_more_vacancies_per_seat() -> None:
    """Board vacancies per seat are higher at segment 4 than at segment 1 (FACTS §3)."""
    p = problem("m")
    rates = {}
    for segment in (1, 4):
        orgs = {o.id: o for o in p.organisations if o.segment == segment}
        vacant = sum(r.is_board_level and r.organisation_id in orgs for r in p.roles)
        filled = sum(len(o.board) for o in orgs.values())
        rates[segment] = vacant / (vacant + filled)
    assert rates[4] > rates[1]


def test_pure_variant_has_no_side_constraints() -> None:
    """The pure variant has no budget, targets, H11 limit, H13, must_fill, pins or forbidden."""
    p = problem("s", 0, "pure")
    assert p.policy.budget is None
    assert p.policy.diversity_mode.value == "tie_break"
    assert p.policy.weights.diversity == 0
    assert p.policy.diversity_targets == []
    assert p.policy.max_drawn_per_organisation is None
    assert not any(o.board_requirements for o in p.organisations)
    assert not any(r.must_fill for r in p.roles)
    assert p.pinned == [] and p.forbidden == []


def test_full_variant_has_every_side_constraint() -> None:
    """The full variant sets a budget, targets (one hard), H11, H13, must_fill and forbidden."""
    p = problem("s")
    assert p.policy.budget is not None and p.policy.budget > 0
    assert p.policy.diversity_mode.value == "targets"
    assert sum(t.hard for t in p.policy.diversity_targets) == 1
    assert {t.scope for t in p.policy.diversity_targets} == {"all", "region", "board"}
    assert p.policy.max_drawn_per_organisation == SIZES[Size.S].max_drawn_per_organisation
    assert any(o.board_requirements for o in p.organisations)
    assert any(r.must_fill for r in p.roles)
    assert p.forbidden and not p.pinned


def test_variants_share_their_records() -> None:
    """Full and pure differ only in side constraints, not in people, posts or places."""
    full, pure = problem("s", 0, "full"), problem("s", 0, "pure")
    assert full.candidates == pure.candidates
    assert full.packages == pure.packages
    assert [r.model_copy(update={"must_fill": False}) for r in full.roles] == pure.roles
    assert [o.model_copy(update={"board_requirements": []}) for o in full.organisations] == (
        pure.organisations
    )


@pytest.mark.parametrize("size,seed", [("xs", 0), ("xs", 1), ("s", 0), ("s", 1), ("s", 2)])
def test_forced_roles_have_local_candidates(size: str, seed: int) -> None:
    """must_fill roles and unmet H13 requirements can be met locally, by a woman if need be."""
    p = problem(size, seed)
    for role in p.roles:
        if role.must_fill:
            assert can_be_forced(p, role)
    for org in p.organisations:
        open_board = [r for r in p.roles if r.organisation_id == org.id and r.is_board_level]
        for req in org.board_requirements:
            holders = sum(m.skills.get(req.skill, 0) >= req.level for m in org.board)
            if holders >= req.min_members:
                continue
            assert req.min_members - holders == 1
            assert any(
                r.required_skills.get(req.skill, 0) >= req.level and can_be_forced(p, r)
                for r in open_board
            )


def test_hard_target_is_below_every_pool_share() -> None:
    """The one hard target asks less than any pool's share, so it stays feasible."""
    (hard,) = [t for t in problem("s").policy.diversity_targets if t.hard]
    assert hard.min_share < min(MANAGER_FEMALE, EXECUTIVE_FEMALE, NED_POOL_FEMALE)


def test_candidate_kinds_follow_their_pool() -> None:
    """Managers may step up to executive only from band 9; NEDs sit on at most two boards."""
    p = problem("s")
    for cand in p.candidates:
        kinds = set(cand.kinds)
        band = cand.band.value if cand.band else None
        if band is None:
            assert kinds <= {RoleKind.NED, RoleKind.CHAIR} and RoleKind.NED in kinds
            assert cand.max_roles == 2 and cand.current_roles in (0, 1)
        elif band == "VSM":
            assert kinds == {RoleKind.EXECUTIVE}
        else:
            assert RoleKind.MANAGER in kinds
            assert (RoleKind.EXECUTIVE in kinds) == (band == "9")


def test_unknown_variant_is_an_error() -> None:
    """An unknown variant is refused rather than silently treated as full."""
    with pytest.raises(ValueError, match="variant"):
        generate_problem("xs", 0, "lenient")  # type: ignore[arg-type]


def test_command_line_writes_the_problem_json(tmp_path: Path) -> None:
    """`python -m scenarios.generate xs --seed 2 -o FILE` writes that problem's JSON."""
    output = tmp_path / "xs.json"
    main(["xs", "--seed", "2", "--variant", "pure", "-o", str(output)])
    assert output.read_text(encoding="utf-8").strip() == problem_json(problem("xs", 2, "pure"))


def test_bundled_example_matches_the_generator() -> None:
    """scenarios/examples/region_s.json is generate_problem("s", seed=1), as documented."""
    assert EXAMPLE.read_text(encoding="utf-8").strip() == problem_json(problem("s", 1))
