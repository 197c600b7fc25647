"""Layered Hypothesis strategies: small random placement problems that exercise every rule.

Bottom layer: locations, skills and demographics. Middle layer: organisations (boards and
board requirements), packages, roles and candidates. Top layer: `problems`, which adds the
policy (budget, weights, targets, draw limit), pinned and forbidden pairs and scores, and can
be restricted to problems without side constraints (the flow backend's class) or to tiny
fit-only problems with a score for every pair (for brute force).
"""

import itertools
from dataclasses import dataclass

from hypothesis import strategies as st

from models.candidate import Candidate
from models.common import Demographics, Location, OrganisationType
from models.organisation import BoardMember, BoardRequirement, Organisation
from models.package import Package
from models.pairs import PairRef, PairScore
from models.policy import DiversityTarget, Policy, Weights
from models.problem import Problem
from models.role import Role
from tests.factories import ALL_KINDS, FIT_ONLY, HOME

SKILLS = ("finance", "clinical", "digital")
REGIONS = ("R-north", "R-south")
#: Bands, repeated to weight the draw so that most pairs pass H8 and some need a step up.
#: The first entries are what Hypothesis shrinks towards: eligible, easy cases.
ROLE_BANDS = (None, "8b", "8c", "8d", "8d", "9", "9", "VSM")
CANDIDATE_BANDS = ("VSM", "9", "8d", "9", "VSM", "8c", "8a", None, "NED")
COSTS = (0, 1000, 2500, 5000)
COMMUTES_KM = (60.0, 30.0, 60.0, 80.0)
#: Offsets from HOME in degrees: about +-39 km north-south and +-34 km east-west, so
#: homes and organisations are at most about 100 km apart.
LAT_SPREAD = 0.35
LON_SPREAD = 0.5


@dataclass(frozen=True)
class Shape:
    """What kind of problem to draw."""

    max_orgs: int = 3
    max_roles: int = 4
    max_candidates: int = 5
    max_packages: int = 3
    side_constraints: bool = True
    fit_only: bool = False
    full_scores: bool = False


TINY = Shape(max_roles=3, max_candidates=4, max_packages=2, fit_only=True, full_scores=True)
NO_SIDE_CONSTRAINTS = Shape(side_constraints=False)


def sometimes(
    strategy: st.SearchStrategy, empty: object = None, one_in: int = 3
) -> st.SearchStrategy:
    """`strategy` about once in `one_in` draws, else `empty` (which it shrinks towards)."""
    return st.integers(1, one_in).flatmap(lambda n: strategy if n == one_in else st.just(empty))


def descending(high: int, low: int) -> st.SearchStrategy[int]:
    """Integers low..high that shrink towards `high`."""
    return st.integers(0, high - low).map(lambda offset: high - offset)


@st.composite
def locations(draw: st.DrawFn) -> Location:
    """A point near HOME."""
    dlat = draw(st.floats(-LAT_SPREAD, LAT_SPREAD))
    dlon = draw(st.floats(-LON_SPREAD, LON_SPREAD))
    return Location(lat=HOME.lat + dlat, lon=HOME.lon + dlon)


def skill_levels(min_level: int = 0, max_level: int = 5) -> st.SearchStrategy[dict[str, int]]:
    """Skill name to level, for any of the skills."""
    levels = st.integers(min_level, max_level)
    return st.dictionaries(st.sampled_from(SKILLS), levels, max_size=len(SKILLS))


def held_skills() -> st.SearchStrategy[dict[str, int]]:
    """A candidate's skills: most skills held, at level 1..5."""
    return st.dictionaries(st.sampled_from(SKILLS), descending(5, 1), min_size=2, max_size=3)


def demographics() -> st.SearchStrategy[Demographics | None]:
    """Absent, or each attribute known, unknown or not disclosed."""
    known = st.builds(
        Demographics,
        sex=st.sampled_from([None, "female", "male", "other", "prefer_not_to_say"]),
        ethnic_minority=st.sampled_from([None, True, False, "prefer_not_to_say"]),
        disabled=st.sampled_from([None, True, False, "prefer_not_to_say"]),
    )
    return st.none() | known


def board_members(with_demographics: bool) -> st.SearchStrategy[list[BoardMember]]:
    """Up to two existing board members."""
    member = st.builds(
        BoardMember,
        skills=skill_levels(),
        demographics=demographics() if with_demographics else st.none(),
    )
    return st.lists(member, max_size=2)


def board_requirements() -> st.SearchStrategy[list[BoardRequirement]]:
    """Usually none; sometimes one modest H13 requirement."""
    one = st.builds(
        BoardRequirement,
        skill=st.sampled_from(SKILLS),
        level=st.integers(1, 3),
        min_members=st.integers(1, 2),
    )
    return sometimes(st.lists(one, min_size=1, max_size=1), empty=[], one_in=8)


@st.composite
def organisations(draw: st.DrawFn, shape: Shape, with_demographics: bool) -> list[Organisation]:
    """Organisations O0..On with locations, segments, boards and (sometimes) requirements."""
    count = draw(descending(shape.max_orgs, 1))
    return [
        Organisation(
            id=f"O{i}",
            name=f"Organisation {i}",
            type=draw(st.sampled_from(OrganisationType)),
            region=draw(st.sampled_from(REGIONS)),
            location=draw(locations()),
            segment=draw(st.integers(1, 4)),
            challenged=draw(sometimes(st.booleans())),
            community=draw(st.dictionaries(st.just("female"), st.floats(0, 1), max_size=1)),
            board=draw(board_members(with_demographics)),
            board_requirements=draw(board_requirements()) if shape.side_constraints else [],
        )
        for i in range(count)
    ]


@st.composite
def packages(draw: st.DrawFn, shape: Shape) -> list[Package]:
    """No packages (the implied free one), or a few with costs, support and restrictions."""
    count = draw(st.integers(0, shape.max_packages))
    return [
        Package(
            id=f"P{i}",
            cost=draw(st.sampled_from(COSTS)),
            relocation_support=draw(st.booleans()),
            challenged_only=draw(st.booleans()),
        )
        for i in range(count)
    ]


@st.composite
def roles(draw: st.DrawFn, shape: Shape, org_ids: list[str], package_ids: list[str]) -> list[Role]:
    """Roles R0..Rn of random kinds, bands, requirements and allowed packages."""
    count = draw(st.integers(1, shape.max_roles))
    result = []
    for i in range(count):
        kind = draw(st.sampled_from(ALL_KINDS))
        unbanded = kind in ("ned", "chair")
        level = st.integers(0, 2)
        allowed = st.lists(st.sampled_from(package_ids), unique=True, max_size=len(package_ids))
        result.append(
            Role(
                id=f"R{i}",
                organisation_id=draw(st.sampled_from(org_ids)),
                kind=kind,
                band=draw(st.sampled_from((None, "NED") if unbanded else ROLE_BANDS)),
                board_level=draw(sometimes(st.booleans())),
                required_skills=draw(st.dictionaries(st.sampled_from(SKILLS), level, max_size=2)),
                desired_skills=draw(st.dictionaries(st.sampled_from(SKILLS), st.floats(0, 3))),
                difficult_to_recruit=draw(st.booleans()),
                must_fill=draw(st.integers(0, 9)) == 9,
                allowed_packages=draw(sometimes(allowed)),
            )
        )
    return result


@st.composite
def candidates(
    draw: st.DrawFn, shape: Shape, org_ids: list[str], with_demographics: bool
) -> list[Candidate]:
    """Candidates C0..Cn with random kinds, bands, skills, homes, limits and conflicts."""
    count = draw(st.integers(1, shape.max_candidates))
    org = st.sampled_from(org_ids)
    return [
        Candidate(
            id=f"C{i}",
            kinds=draw(st.lists(st.sampled_from(ALL_KINDS), min_size=3, max_size=4, unique=True)),
            home=draw(locations()),
            region=draw(st.sampled_from(REGIONS)),
            current_organisation_id=draw(sometimes(org)),
            band=draw(st.sampled_from(CANDIDATE_BANDS)),
            skills=draw(held_skills()),
            accredited=draw(st.booleans()),
            fit_and_proper=draw(st.integers(0, 5)) < 5,
            max_roles=draw(st.integers(1, 2)),
            current_roles=draw(st.integers(0, 1)),
            max_commute_km=draw(st.sampled_from(COMMUTES_KM)),
            willing_to_relocate=draw(st.booleans()),
            conflicts=draw(sometimes(st.lists(org, min_size=1, max_size=1), empty=[], one_in=5)),
            demographics=draw(demographics()) if with_demographics else None,
        )
        for i in range(count)
    ]


def diversity_targets() -> st.SearchStrategy[list[DiversityTarget]]:
    """Up to two targets, hard or soft, in any scope."""
    one = st.builds(
        DiversityTarget,
        attribute=st.sampled_from(["female", "ethnic_minority", "disabled"]),
        min_share=st.sampled_from([0.0, 0.25, 0.3334, 0.5, 0.6, 1.0]),
        scope=st.sampled_from(["all", "region", "board"]),
        hard=st.booleans(),
    )
    return st.lists(one, max_size=2)


def weights(shape: Shape) -> st.SearchStrategy[Weights]:
    """Fit-only weights, or the defaults, or a random mix."""
    if shape.fit_only:
        return st.just(FIT_ONLY)
    mixed = st.builds(
        Weights,
        fit=st.sampled_from([1.0, 2.0, 0.0]),
        challenged=st.sampled_from([0.0, 20.0]),
        difficult_to_recruit=st.sampled_from([0.0, 20.0]),
        diversity=st.sampled_from([0.0, 10.0]),
        cost=st.sampled_from([0.0, 1.0]),
        relocation=st.sampled_from([0.0, 5.0]),
        distance=st.sampled_from([0.0, 0.1]),
    )
    return st.sampled_from([FIT_ONLY, Weights()]) | mixed


@st.composite
def policies(draw: st.DrawFn, shape: Shape, with_demographics: bool) -> Policy:
    """A policy; without side constraints it has no budget, draw limit or targets mode."""
    chosen = draw(weights(shape))
    if not shape.side_constraints and with_demographics:
        chosen = chosen.model_copy(update={"diversity": 0.0})
    sides = shape.side_constraints
    return Policy(
        budget=draw(sometimes(st.sampled_from([0, 2500, 5000, 10000]))) if sides else None,
        weights=chosen,
        diversity_targets=draw(diversity_targets()),
        diversity_mode=draw(st.sampled_from(["tie_break", "targets"])) if sides else "tie_break",
        merit_tolerance=draw(st.sampled_from([0.0, 0.1])),
        max_drawn_per_organisation=draw(sometimes(st.integers(1, 2))) if sides else None,
        disclosure_threshold=draw(st.integers(1, 5)),
        scored_pairs_only=draw(st.integers(0, 4)) == 4 and not shape.full_scores,
    )


@st.composite
def pair_choices(
    draw: st.DrawFn, all_pairs: list[tuple[str, str]], package_ids: list[str]
) -> tuple[list[PairRef], list[PairRef]]:
    """Sometimes a forbidden pair or two, then sometimes a pin among the other pairs."""
    pair = st.sampled_from(all_pairs)
    banned = draw(sometimes(st.lists(pair, min_size=1, max_size=2, unique=True), empty=[]))
    open_pairs = [p for p in all_pairs if p not in banned]
    some_pins = st.lists(st.sampled_from(open_pairs), max_size=2, unique=True)
    pins = draw(sometimes(some_pins, empty=[])) if open_pairs else []
    pin_package = st.none() | st.sampled_from(package_ids)
    forbidden = [PairRef(candidate_id=c, role_id=r) for c, r in banned]
    pinned = [PairRef(candidate_id=c, role_id=r, package_id=draw(pin_package)) for c, r in pins]
    return pinned, forbidden


@st.composite
def scores(draw: st.DrawFn, all_pairs: list[tuple[str, str]], full: bool) -> list[PairScore]:
    """A score for every pair (full), or sometimes for some pairs."""
    some = st.lists(st.sampled_from(all_pairs), unique=True)
    chosen = all_pairs if full else draw(sometimes(some, empty=[]))
    score = descending(20, -5)
    return [PairScore(candidate_id=c, role_id=r, score=draw(score)) for c, r in chosen]


@st.composite
def problems(draw: st.DrawFn, shape: Shape = Shape()) -> Problem:
    """A small valid Problem of the given shape."""
    with_demographics = draw(st.booleans())
    orgs = draw(organisations(shape, with_demographics))
    org_ids = [o.id for o in orgs]
    offered = draw(packages(shape))
    package_ids = [p.id for p in offered] or ["none"]
    role_list = draw(roles(shape, org_ids, package_ids))
    people = draw(candidates(shape, org_ids, with_demographics))
    all_pairs = list(itertools.product([c.id for c in people], [r.id for r in role_list]))
    pinned, forbidden = draw(pair_choices(all_pairs, package_ids))
    return Problem(
        organisations=orgs,
        roles=role_list,
        candidates=people,
        packages=offered,
        policy=draw(policies(shape, with_demographics)),
        pinned=pinned,
        forbidden=forbidden,
        scores=draw(scores(all_pairs, shape.full_scores)),
    )
