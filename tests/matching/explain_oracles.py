"""Independent oracles for the explanation tests: problem edits on the JSON form, per-pair
eligibility re-read from DESIGN.md, and brute-force optima of tiny problems judged by verify.

Nothing here imports the engine's eligibility, scoring or model code: `verify` (which shares
no code with the model builder) is the only judge of a whole placement.
"""

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from matching.verify import verify
from models.candidate import Candidate
from models.explanation import Alternative
from models.organisation import Organisation
from models.problem import Problem
from models.role import Role
from models.solution import Placement, Solution
from tests.factories import (
    FIT_ONLY,
    haversine_km,
    make_candidate,
    make_org,
    make_package,
    make_problem,
    make_role,
    pin,
)

#: Band ranks of DESIGN.md H8; any other band (absent, NED) is "no band".
BAND_RANK = {"8a": 0, "8b": 1, "8c": 2, "8d": 3, "9": 4, "VSM": 5}
BOARD_KINDS = ("executive", "ned", "chair")
NO_HOME_BOARD_KINDS = ("ned", "chair")
#: The order in which an excluded pair is counted under its first failing rule.
EXCLUSION_ORDER = ("H3", "H5", "H7", "H8", "H6", "H4", "H10", "shortlist", "H9")
#: Rules whose breach by one placement persists in every placement that contains it.
PAIR_RULES = frozenset({"contract", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "H9"})

Pair = tuple[str, str]
Raw = dict[str, Any]
Assignment = tuple[str | None, ...]


def close(actual: float, expected: float) -> bool:
    """Equal objectives up to the 3-decimal rounding of explanation points."""
    return abs(actual - expected) <= 1e-6 * abs(expected) + 1e-3


def edited(
    problem: Problem,
    *,
    forbid: Iterable[Pair] = (),
    pin: Iterable[Pair] = (),
    must_fill: Iterable[str] = (),
    change: Callable[[Raw], None] | None = None,
) -> Problem:
    """A copy of the problem with pairs forbidden or pinned, roles made must-fill, and any
    other change made on its JSON form."""
    raw = problem.model_dump(mode="json")
    raw["forbidden"] += [{"candidate_id": c, "role_id": r} for c, r in forbid]
    raw["pinned"] += [{"candidate_id": c, "role_id": r} for c, r in pin]
    filled = set(must_fill)
    for role in raw["roles"]:
        if role["id"] in filled:
            role["must_fill"] = True
    if change is not None:
        change(raw)
    return Problem.model_validate(raw)


# --- eligibility, re-read from the rules -------------------------------------------------


def distance_km(candidate: Candidate, organisation: Organisation) -> float:
    """Haversine km from home to the organisation, with the design's Earth radius."""
    return haversine_km(candidate.home, organisation.location)


def _band(value: object) -> int | None:
    text = getattr(value, "value", value)
    return BAND_RANK.get(str(text)) if text is not None else None


def _board_level(role: Role) -> bool:
    return role.board_level if role.board_level is not None else role.kind.value in BOARD_KINDS


def _challenged(org: Organisation) -> bool:
    return org.challenged if org.challenged is not None else org.segment == 4


@dataclass
class Eligibility:
    """First failing eligibility rule of every (candidate, role) pair of one problem."""

    problem: Problem
    _orgs: dict[str, Organisation] = field(init=False)

    def __post_init__(self) -> None:
        self._orgs = {o.id: o for o in self.problem.organisations}
        self._forbidden = {(f.candidate_id, f.role_id) for f in self.problem.forbidden}
        self._scored = {(s.candidate_id, s.role_id) for s in self.problem.scores}

    def checks(self, c: Candidate, r: Role) -> dict[str, bool]:
        """Each rule's verdict on the pair (True: it passes)."""
        org = self._orgs[r.organisation_id]
        distance = distance_km(c, org)
        relocation = distance > c.max_commute_km
        role_rank, cand_rank = _band(r.band), _band(c.band)
        if role_rank is None:
            band_ok = True
        elif cand_rank is None:
            band_ok = False
        else:
            step = role_rank - cand_rank
            band_ok = step <= 0 or (step == 1 and c.accredited)
        own_board = r.kind.value in NO_HOME_BOARD_KINDS and c.current_organisation_id == org.id
        packages_ok = any(
            (r.allowed_packages is None or p.id in r.allowed_packages)
            and (not p.challenged_only or _challenged(org))
            and (not relocation or p.relocation_support)
            for p in self.problem.effective_packages
        )
        return {
            "H3": r.kind in c.kinds,
            "H5": not relocation or c.willing_to_relocate,
            "H7": not _board_level(r) or c.fit_and_proper,
            "H8": band_ok,
            "H6": org.id not in c.conflicts and not own_board,
            "H4": all(c.skills.get(s, 0) >= level for s, level in r.required_skills.items()),
            "H10": (c.id, r.id) not in self._forbidden,
            "shortlist": not self.problem.policy.scored_pairs_only or (c.id, r.id) in self._scored,
            "H9": packages_ok,
        }

    def first_failure(self, c: Candidate, r: Role) -> str | None:
        """The first rule, in the exclusion order, that the pair fails; None if eligible."""
        verdicts = self.checks(c, r)
        return next((rule for rule in EXCLUSION_ORDER if not verdicts[rule]), None)

    def role_counts(self, role_id: str) -> tuple[int, dict[str, int]]:
        """Eligible candidates of a role, and the others counted under their first failure."""
        role = next(r for r in self.problem.roles if r.id == role_id)
        return self._count(self.first_failure(c, role) for c in self.problem.candidates)

    def candidate_counts(self, cand_id: str) -> tuple[int, dict[str, int]]:
        """Roles a candidate is eligible for, and the others under their first failure."""
        cand = next(c for c in self.problem.candidates if c.id == cand_id)
        return self._count(self.first_failure(cand, r) for r in self.problem.roles)

    def eligible_candidates(self, role_id: str) -> list[str]:
        """Ids of the candidates eligible for a role."""
        role = next(r for r in self.problem.roles if r.id == role_id)
        return [c.id for c in self.problem.candidates if self.first_failure(c, role) is None]

    @staticmethod
    def _count(failures: Iterable[str | None]) -> tuple[int, dict[str, int]]:
        eligible, excluded = 0, dict.fromkeys(EXCLUSION_ORDER, 0)
        for rule in failures:
            if rule is None:
                eligible += 1
            else:
                excluded[rule] += 1
        return eligible, {rule: n for rule, n in excluded.items() if n}


# --- brute force -------------------------------------------------------------------------


@dataclass
class BruteForce:
    """Every assignment of a tiny fit-only problem with a score for every pair, best first;
    an assignment is feasible when some choice of packages passes `verify`."""

    problem: Problem

    def __post_init__(self) -> None:
        p = self.problem
        self.role_ids = [r.id for r in p.roles]
        self._score = {(s.candidate_id, s.role_id): s.score for s in p.scores}
        self._cands = {c.id: c for c in p.candidates}
        self._roles = {r.id: r for r in p.roles}
        self._orgs = {o.id: o for o in p.organisations}
        self._packages = {pair: self._pair_packages(pair) for pair in self._pairs()}
        options = [
            [None, *(c for c in self._cands if self._packages[(c, r)])] for r in self.role_ids
        ]
        self.ranked = sorted(itertools.product(*options), key=self.total, reverse=True)
        self._feasible: dict[Assignment, bool] = {}

    def _pairs(self) -> Iterator[Pair]:
        return itertools.product(self._cands, self.role_ids)

    def _pair_packages(self, pair: Pair) -> list[str]:
        """Packages with which the pair alone breaks no rule that more placements keep broken
        (a pair that fails on its own fails in every assignment)."""
        found = []
        for package in self.problem.effective_packages:
            alone = self.solution([(*pair, package.id)])
            if not any(v.rule in PAIR_RULES for v in verify(self.problem, alone)):
                found.append(package.id)
        return found

    def placement(self, cand_id: str, role_id: str, package_id: str) -> Placement:
        """A placement with the distance and relocation flag the design defines."""
        cand = self._cands[cand_id]
        distance = distance_km(cand, self._orgs[self._roles[role_id].organisation_id])
        score = self._score[(cand_id, role_id)]
        return Placement(
            candidate_id=cand_id,
            role_id=role_id,
            package_id=package_id,
            score=score,
            breakdown={"fit": score},
            relocation=distance > cand.max_commute_km,
            distance_km=distance,
        )

    def solution(self, triples: list[tuple[str, str, str]]) -> Solution:
        """A feasible-status Solution of these (candidate, role, package) placements."""
        placements = [self.placement(*t) for t in triples]
        return Solution(
            status="feasible", objective=sum(p.score for p in placements), placements=placements
        )

    def chosen(self, assignment: Assignment) -> list[Pair]:
        """The (candidate, role) pairs of an assignment."""
        return [(c, r) for c, r in zip(assignment, self.role_ids, strict=True) if c is not None]

    def total(self, assignment: Assignment) -> int:
        """Sum of the placed pairs' scores: the fit-only objective."""
        return sum(self._score[pair] for pair in self.chosen(assignment))

    def feasible(self, assignment: Assignment) -> bool:
        """Some choice of packages makes the assignment pass `verify`."""
        if assignment not in self._feasible:
            pairs = self.chosen(assignment)
            self._feasible[assignment] = any(
                not verify(self.problem, self.solution([(*pair, pkg) for pair, pkg in choice]))
                for choice in itertools.product(
                    *([(pair, pkg) for pkg in self._packages[pair]] for pair in pairs)
                )
            )
        return self._feasible[assignment]

    def best(self, where: Callable[[Assignment], bool] = lambda _: True) -> int | None:
        """Best objective of a feasible assignment meeting the condition; None if none."""
        for assignment in self.ranked:
            if where(assignment) and self.feasible(assignment):
                return self.total(assignment)
        return None

    def holder(self, assignment: Assignment, role_id: str) -> str | None:
        """Who holds the role in the assignment."""
        return assignment[self.role_ids.index(role_id)]

    def assignment_of(self, pairs: Iterable[Pair]) -> Assignment:
        """The assignment holding exactly these (candidate, role) pairs."""
        held = {r: c for c, r in pairs}
        return tuple(held.get(r) for r in self.role_ids)


def alternative_pairs(solution: Solution, alt: Alternative) -> list[Pair]:
    """The whole placement an Alternative describes: the solution's pairs with the listed
    changes applied and the alternative's own pair in its role."""
    held = {p.role_id: p.candidate_id for p in solution.placements}
    for change in alt.changes:
        assert held.get(change.role_id) == change.before, change
        held[change.role_id] = change.after
    held[alt.role_id] = alt.candidate_id
    return sorted((c, r) for r, c in held.items() if c is not None)


# --- tiny problems where most pairs are eligible ------------------------------------------

#: Distances of organisations from HOME, km: within every commute, or beyond some.
ORG_KM = (0.0, 0.0, 0.0, 40.0, 90.0)
COMMUTE_KM = (60.0, 100.0)
PACKAGE_COSTS = (0, 1000, 2500)
BUDGETS = (None, 2500, 0, 1000, 5000)
#: Fit scores, shrinking towards the high end so that simple examples place someone.
SCORE = st.integers(0, 23).map(lambda offset: 20 - offset)


@st.composite
def tiny_problems(draw: st.DrawFn, *, budget: bool = True) -> Problem:
    """A fit-only problem of at most 4 roles and 5 candidates with a score for every pair,
    most pairs eligible: capacities, packages and relocations, a budget (if `budget`),
    must-fill roles and pinned or forbidden pairs now and then."""
    n_orgs = draw(st.integers(1, 3))
    orgs = [
        make_org(f"O{i}", km=draw(st.sampled_from(ORG_KM)), segment=draw(st.sampled_from([2, 4])))
        for i in range(n_orgs)
    ]
    # A free package without support, and sometimes a paid one that supports relocation.
    packages = [make_package("P0")]
    if draw(st.booleans()):
        packages.append(
            make_package(
                "P1",
                draw(st.sampled_from(PACKAGE_COSTS[1:])),
                relocation_support=True,
                challenged_only=draw(st.integers(0, 3)) == 3,
            )
        )
    roles = [
        make_role(
            f"R{i}",
            f"O{draw(st.integers(0, n_orgs - 1))}",
            must_fill=draw(st.integers(0, 5)) == 5,
            required_skills={"leadership": draw(st.sampled_from([2, 2, 3, 4]))},
        )
        for i in range(draw(st.integers(2, 4)))
    ]
    people = [
        make_candidate(
            f"C{i}",
            max_roles=draw(st.sampled_from([1, 1, 2])),
            max_commute_km=draw(st.sampled_from(COMMUTE_KM)),
            willing_to_relocate=draw(st.integers(0, 2)) > 0,
            skills={"leadership": draw(st.sampled_from([3, 3, 4]))},
        )
        for i in range(draw(st.integers(3, 5)))
    ]
    pairs = [(c.id, r.id) for c in people for r in roles]
    scores = {pair: draw(SCORE) for pair in pairs}
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True))
    pinned = [pin(c, r) for c, r in chosen[:1] if draw(st.integers(0, 3)) == 3]
    forbidden = [pin(c, r) for c, r in chosen[1:]]
    return make_problem(
        roles,
        people,
        orgs=orgs,
        packages=packages,
        pinned=pinned,
        forbidden=forbidden,
        scores=scores,
        budget=draw(st.sampled_from(BUDGETS)) if budget else None,
    )


#: Demographics a tiny tie-break problem's candidates may have.
SEXES = (None, "male", "female", "prefer_not_to_say")
FLAGS = (None, False, True)
TIED_SCORES = st.sampled_from([10, 8, 12])
TIE_BREAK_WEIGHTS = FIT_ONLY.model_copy(update={"diversity": 10.0})


@st.composite
def tie_break_problems(draw: st.DrawFn) -> Problem:
    """A tiny problem in tie_break mode with the diversity weight on, zero merit tolerance,
    candidates with demographics, and scores from a few values so that merit ties."""
    problem = draw(tiny_problems())

    def change(raw: Raw) -> None:
        for score in raw["scores"]:
            score["score"] = draw(TIED_SCORES)
        for cand in raw["candidates"]:
            cand["demographics"] = {
                "sex": draw(st.sampled_from(SEXES)),
                "ethnic_minority": draw(st.sampled_from(FLAGS)),
                "disabled": draw(st.sampled_from(FLAGS)),
            }
        raw["policy"]["weights"] = TIE_BREAK_WEIGHTS.model_dump(mode="json")
        raw["policy"]["diversity_mode"] = "tie_break"
        raw["policy"]["merit_tolerance"] = 0.0

    return edited(problem, change=change)


def representation(problem: Problem, cand_ids: Iterable[str | None]) -> int:
    """Attributes held (female, ethnic minority, disabled) summed over placed candidates."""
    people = {c.id: c.demographics for c in problem.candidates}
    total = 0
    for cand_id in cand_ids:
        d = people[cand_id] if cand_id is not None else None
        if d is not None:
            total += (d.sex == "female") + (d.ethnic_minority is True) + (d.disabled is True)
    return total
