"""Realistic synthetic placement problems built on the real NHS trusts and ICBs of England.

`generate_problem(size, seed, variant)` is deterministic for a given (size, seed, variant). The
"full" variant puts every rule H1-H13 in play and is feasible by construction; the "pure" variant
has the same records without side constraints, so the engine can solve it by min-cost flow.
Figures come from `scenarios/data/FACTS.md` (see `scenarios/workforce.py`).

Usage: python -m scenarios.generate s --seed 1 -o problem.json
"""

import argparse
import json
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal, get_args

import numpy as np

from models.pairs import PairRef
from models.policy import DiversityMode, Policy, Weights
from models.problem import Problem
from scenarios.draws import BoolArray
from scenarios.synth_candidates import CandidateTable, draw_candidates
from scenarios.synth_constraints import board_requirements, choose_forbidden, choose_must_fill
from scenarios.synth_organisations import (
    BoardMembers,
    OrganisationTable,
    SeatTable,
    build_organisations,
    build_seats,
    choose_regions,
    choose_vacant_seats,
    draw_board_members,
)
from scenarios.synth_policy import budget, diversity_targets, draw_premium_cost, packages
from scenarios.synth_records import (
    candidate_id,
    candidate_records,
    organisation_records,
    role_id,
    role_records,
)
from scenarios.synth_roles import RoleTable, board_roles, combine_roles, manager_roles
from scenarios.synth_supply import LocalSupply, local_supply
from scenarios.workforce import BOARD_VACANCY_RATE

Variant = Literal["full", "pure"]

#: Board posts are at most this share of a problem's roles; the rest are manager posts.
MAX_BOARD_ROLE_SHARE = 0.5
JSON_INDENT = 2


class Size(StrEnum):
    """Problem sizes, from a handful of organisations to every trust and ICB in England."""

    XS = "xs"
    S = "s"
    M = "m"
    L = "l"
    XL = "xl"


@dataclass(frozen=True)
class SizeParameters:
    """How big a problem is and the policy limits that scale with it.

    Attributes:
        candidates: Candidates in the pool.
        roles: Roles to fill (vacant board seats plus manager posts).
        regions: NHS regions drawn (1 = one region; 7 = national).
        organisations: At most this many organisations of those regions (None = all of them).
        max_drawn_per_organisation: H11 limit in the full variant, about three quarters of the
            roles per organisation, so that it binds at the large sources of talent.
        time_limit_s: Solver time limit.
    """

    candidates: int
    roles: int
    regions: int
    organisations: int | None
    max_drawn_per_organisation: int
    time_limit_s: float


SIZES: dict[Size, SizeParameters] = {
    Size.XS: SizeParameters(30, 10, 1, 4, 3, 10.0),
    Size.S: SizeParameters(500, 150, 1, None, 3, 10.0),
    Size.M: SizeParameters(3_000, 800, 3, None, 5, 30.0),
    Size.L: SizeParameters(10_000, 2_500, 7, None, 8, 60.0),
    Size.XL: SizeParameters(30_000, 6_000, 7, None, 18, 120.0),
}


@dataclass(frozen=True)
class _Draws:
    """Everything drawn for one (size, seed); both variants are built from the same draws."""

    orgs: OrganisationTable
    seats: SeatTable
    members: BoardMembers
    roles: RoleTable
    candidates: CandidateTable
    supply: LocalSupply
    premium: int
    must_fill: BoolArray
    forbidden: list[tuple[int, int]]


def _draw(params: SizeParameters, rng: np.random.Generator) -> _Draws:
    """Organisations, boards, vacancies and candidates, then the forced roles and bans."""
    orgs = build_organisations(rng, choose_regions(rng, params.regions), params.organisations)
    seats = build_seats(rng, orgs)
    board_count = min(
        round(BOARD_VACANCY_RATE * len(seats)), round(MAX_BOARD_ROLE_SHARE * params.roles)
    )
    vacant = choose_vacant_seats(rng, seats, orgs, board_count)
    members = draw_board_members(rng, seats, vacant, orgs)
    roles = combine_roles(
        board_roles(rng, seats, vacant, orgs), manager_roles(rng, orgs, params.roles - board_count)
    )
    candidates = draw_candidates(rng, orgs, roles, params.candidates)
    premium = draw_premium_cost(rng)
    supply = local_supply(roles, orgs, candidates)
    must_fill = choose_must_fill(roles, candidates, supply)
    forbidden = choose_forbidden(rng, roles, candidates, must_fill)
    return _Draws(orgs, seats, members, roles, candidates, supply, premium, must_fill, forbidden)


def _full_problem(draws: _Draws, params: SizeParameters, seed: int) -> Problem:
    """Every rule H1-H13 in play: must_fill, H13, budget, targets (one hard), H11, forbidden."""
    requirements = board_requirements(
        draws.orgs, draws.seats, draws.members, draws.roles, draws.candidates, draws.supply
    )
    return Problem(
        organisations=organisation_records(draws.orgs, draws.seats, draws.members, requirements),
        roles=role_records(draws.roles, draws.orgs, draws.must_fill),
        candidates=candidate_records(draws.candidates, draws.orgs),
        packages=packages(draws.premium),
        policy=Policy(
            budget=budget(draws.roles, draws.orgs, draws.supply, draws.premium),
            diversity_mode=DiversityMode.TARGETS,
            diversity_targets=diversity_targets(draws.orgs),
            max_drawn_per_organisation=params.max_drawn_per_organisation,
            time_limit_s=params.time_limit_s,
            seed=seed,
        ),
        forbidden=[
            PairRef(candidate_id=candidate_id(c), role_id=role_id(r)) for c, r in draws.forbidden
        ],
    )


def _pure_problem(draws: _Draws, params: SizeParameters, seed: int) -> Problem:
    """The same records without side rules: no budget, targets, diversity term, H11 or H13."""
    no_role_forced = np.zeros(len(draws.roles), dtype=bool)
    return Problem(
        organisations=organisation_records(draws.orgs, draws.seats, draws.members, None),
        roles=role_records(draws.roles, draws.orgs, no_role_forced),
        candidates=candidate_records(draws.candidates, draws.orgs),
        packages=packages(draws.premium),
        policy=Policy(
            weights=Weights(diversity=0.0),
            diversity_mode=DiversityMode.TIE_BREAK,
            time_limit_s=params.time_limit_s,
            seed=seed,
        ),
    )


def generate_problem(size: Size | str, seed: int = 0, variant: Variant = "full") -> Problem:
    """A realistic synthetic problem; the same (size, seed, variant) gives the same problem.

    Args:
        size: One of Size (xs, s, m, l, xl); see SIZES.
        seed: Seed of numpy's default_rng, also the policy's solver seed (>= 0).
        variant: "full" (every rule H1-H13 in play, feasible by construction) or "pure" (the
            same records without side constraints).

    Returns:
        The validated Problem.

    Raises:
        ValueError: Unknown size or variant, or a negative seed.
    """
    if variant not in get_args(Variant):
        raise ValueError(f"variant must be one of {get_args(Variant)}, not {variant!r}")
    params = SIZES[Size(size)]
    draws = _draw(params, np.random.default_rng(seed))
    if variant == "full":
        return _full_problem(draws, params, seed)
    return _pure_problem(draws, params, seed)


def problem_json(problem: Problem) -> str:
    """The problem as indented JSON without default values (the bundled examples' format)."""
    return json.dumps(problem.model_dump(mode="json", exclude_defaults=True), indent=JSON_INDENT)


def write_problem_json(problem: Problem, output: Path | None) -> None:
    """The problem as the examples' JSON, to a file or (None) to stdout."""
    text = problem_json(problem) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Write a generated problem as JSON to a file or stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=[size.value for size in Size])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--variant", choices=get_args(Variant), default="full")
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    write_problem_json(generate_problem(args.size, args.seed, args.variant), args.output)


if __name__ == "__main__":
    main()
