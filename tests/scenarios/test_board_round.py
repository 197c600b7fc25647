"""Tests of the NED board round generator: shape, realism, feasibility and real choices."""

import json
import math
import time
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from matching.solve import solve
from matching.verify import verify
from models.candidate import Candidate
from models.common import RoleKind
from models.organisation import Organisation
from models.policy import DiversityMode
from models.problem import Problem
from models.role import Role
from models.solution import Placement, Solution, SolveStatus
from scenarios.board_round import generate_board_round, main
from scenarios.generate import problem_json
from scenarios.nhs_data import load_regions

SEED = 1
EARTH_RADIUS_KM = 6371.0088
#: The solve takes well under a second; this leaves room for a slow machine.
MAX_SOLVE_S = 5.0
MIN_FILL_RATE = 0.9
#: A NED sits on at most two boards (the 2022 review), so max_roles is 2.
NED_MAX_ROLES = 2


@cache
def board_round(seed: int = SEED, region: str | None = None) -> Problem:
    """Generated rounds are cached: several tests read the same one."""
    return generate_board_round(seed, region)


@cache
def solved(seed: int = SEED) -> tuple[Solution, float]:
    """The round's solution and the wall time of its solve."""
    started = time.perf_counter()
    solution = solve(board_round(seed))
    return solution, time.perf_counter() - started


def distance_km(cand: Candidate, org: Organisation) -> float:
    """Haversine distance as DESIGN.md defines it."""
    phi1, phi2 = math.radians(cand.home.lat), math.radians(org.location.lat)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1)
        * math.cos(phi2)
        * math.sin(math.radians(org.location.lon - cand.home.lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def may_take(cand: Candidate, role: Role, org: Organisation) -> bool:
    """H2-H7 read from the records; no package supports relocation, so H5 is the commute."""
    return (
        cand.capacity > 0
        and role.kind in cand.kinds
        and all(cand.skills.get(s, 0) >= level for s, level in role.required_skills.items())
        and distance_km(cand, org) <= cand.max_commute_km
        and org.id not in cand.conflicts
        and cand.current_organisation_id != org.id
        and cand.fit_and_proper
    )


def boards_open_to(p: Problem) -> Counter[str]:
    """How many boards each candidate may take a seat on."""
    return Counter(
        cand.id
        for org in p.organisations
        for cand in p.candidates
        if any(may_take(cand, r, org) for r in p.roles if r.organisation_id == org.id)
    )


def unmet_requirements(p: Problem, placements: list[Placement]) -> list[str]:
    """H13 requirements that existing members and the placed candidates do not meet."""
    candidates = {cand.id: cand for cand in p.candidates}
    org_of = {role.id: role.organisation_id for role in p.roles}
    unmet = []
    for org in p.organisations:
        new = [candidates[pl.candidate_id] for pl in placements if org_of[pl.role_id] == org.id]
        for req in org.board_requirements:
            holders = sum(m.skills.get(req.skill, 0) >= req.level for m in org.board) + sum(
                c.skills.get(req.skill, 0) >= req.level for c in new
            )
            if holders < req.min_members:
                unmet.append(f"{org.id}: {req.skill} >= {req.level} x{req.min_members}")
    return unmet


def test_same_seed_gives_identical_json() -> None:
    """The same seed gives byte-identical JSON; another seed another round."""
    first = problem_json(generate_board_round(SEED))
    assert problem_json(generate_board_round(SEED)) == first
    assert problem_json(generate_board_round(SEED + 1)) != first


def test_json_validates_back_to_the_same_problem() -> None:
    """The written JSON is a valid Problem equal to the generated one."""
    p = board_round()
    assert Problem.model_validate(json.loads(problem_json(p))) == p


def test_round_has_the_size_of_a_regional_round() -> None:
    """About 12 boards of one region, 20-30 vacant seats and 80-150 candidates."""
    p = board_round()
    assert len(p.organisations) == 12
    assert len({org.region for org in p.organisations}) == 1
    assert 20 <= len(p.roles) <= 30
    assert 80 <= len(p.candidates) <= 150


def test_only_ned_and_chair_seats_with_no_packages_or_budget() -> None:
    """A board round fills non-executive seats, which carry no incentive package."""
    p = board_round()
    assert {role.kind for role in p.roles} <= {RoleKind.NED, RoleKind.CHAIR}
    assert RoleKind.NED in {role.kind for role in p.roles}
    assert all(
        RoleKind.EXECUTIVE not in c.kinds and RoleKind.MANAGER not in c.kinds for c in p.candidates
    )
    assert p.packages == []
    assert p.policy.budget is None
    assert p.policy.time_limit_s == 30
    assert p.policy.seed == SEED


def test_every_board_has_members_requirements_and_a_vacancy() -> None:
    """Each board has existing members with skills, a skills matrix and a seat to fill."""
    p = board_round()
    seats = Counter(role.organisation_id for role in p.roles)
    for org in p.organisations:
        assert org.board and all(member.skills for member in org.board)
        assert org.board_requirements
        assert seats[org.id] >= 1


def test_candidates_are_neds_with_the_two_board_limit_and_conflicts() -> None:
    """Max two boards, some already on one; conflicts; NEDs commute and rarely relocate."""
    p = board_round()
    assert all(c.max_roles == NED_MAX_ROLES for c in p.candidates)
    assert any(c.current_roles == 1 for c in p.candidates)
    assert any(c.current_roles == 0 for c in p.candidates)
    assert any(c.conflicts for c in p.candidates)
    assert any(c.current_organisation_id for c in p.candidates)
    assert sum(c.fit_and_proper for c in p.candidates) > 0.8 * len(p.candidates)
    assert sum(c.willing_to_relocate for c in p.candidates) < 0.2 * len(p.candidates)
    assert all(40 <= c.max_commute_km <= 100 for c in p.candidates)
    assert any(RoleKind.CHAIR in c.kinds for c in p.candidates)


def test_most_candidates_live_in_the_region_and_a_few_across_its_border() -> None:
    """The pool is the region's, with a few candidates from neighbouring regions."""
    p = board_round()
    region = p.organisations[0].region
    regions = Counter(c.region for c in p.candidates)
    assert regions[region] > 0.7 * len(p.candidates)
    assert len(regions) > 1


def test_region_and_board_count_can_be_chosen() -> None:
    """A named region and board count are honoured; unknown ones are refused."""
    p = generate_board_round(SEED, "London", boards=5)
    assert {org.region for org in p.organisations} == {"London"}
    assert len(p.organisations) == 5
    with pytest.raises(ValueError, match="region"):
        generate_board_round(SEED, "Wales")
    with pytest.raises(ValueError, match="boards"):
        generate_board_round(SEED, "London", boards=1000)


def test_tie_break_mode_is_in_play() -> None:
    """The lawful default: diversity only breaks ties, and candidates have demographics."""
    p = board_round()
    assert p.policy.diversity_mode is DiversityMode.TIE_BREAK
    assert p.policy.weights.diversity > 0
    known = [c for c in p.candidates if c.demographics and c.demographics.has("female") is not None]
    assert len(known) > 0.8 * len(p.candidates)
    assert any(c.demographics.has("female") for c in known if c.demographics)


def test_solves_to_a_verified_optimum_quickly() -> None:
    """Optimal within a few seconds, and the independent verifier finds no breach."""
    solution, seconds = solved()
    assert solution.status is SolveStatus.OPTIMAL
    assert seconds < MAX_SOLVE_S
    assert verify(board_round(), solution) == []


def test_every_board_requirement_holds_after_placement() -> None:
    """H13, counted here from the records: existing members plus the placed candidates."""
    solution, _ = solved()
    assert unmet_requirements(board_round(), solution.placements) == []


def test_some_requirements_bind() -> None:
    """Without the skills matrix the optimum would leave some board short: H13 matters."""
    p = board_round()
    free = p.model_copy(
        update={
            "organisations": [
                org.model_copy(update={"board_requirements": []}) for org in p.organisations
            ]
        }
    )
    assert unmet_requirements(p, solve(free).placements)


def test_the_two_board_limit_binds() -> None:
    """Some candidates may sit on several boards, and the optimum would exceed two without H2."""
    p = board_round()
    assert max(boards_open_to(p).values()) > 1
    unlimited = p.model_copy(
        update={"candidates": [c.model_copy(update={"max_roles": 5}) for c in p.candidates]}
    )
    load = Counter(pl.candidate_id for pl in solve(unlimited).placements)
    current = {c.id: c.current_roles for c in p.candidates}
    assert any(current[c] + n > NED_MAX_ROLES for c, n in load.items())


def test_fill_rate_is_high_but_the_solve_had_choices() -> None:
    """Nearly every seat is filled, from more than two eligible candidates per seat."""
    p = board_round()
    solution, _ = solved()
    assert solution.kpis is not None and solution.solver is not None
    assert solution.kpis.fill_rate >= MIN_FILL_RATE
    assert solution.solver.eligible_pairs > 2 * len(p.roles)


@pytest.mark.parametrize("region", [region.name for region in load_regions()])
def test_every_region_gives_a_feasible_round(region: str) -> None:
    """Feasible by construction in every region: optimal, verified, every requirement met."""
    p = board_round(0, region)
    solution = solve(p)
    assert solution.status is SolveStatus.OPTIMAL
    assert unmet_requirements(p, solution.placements) == []


def test_main_writes_the_problem_json(tmp_path: Path) -> None:
    """`python -m scenarios.board_round --seed 1 -o PATH` writes the round."""
    path = tmp_path / "round.json"
    main(["--seed", str(SEED), "-o", str(path)])
    assert path.read_text(encoding="utf-8") == problem_json(board_round()) + "\n"
