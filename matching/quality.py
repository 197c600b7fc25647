"""Data-quality warnings for a valid Problem, found from eligibility alone (no solve).

Every check reads the same vectorised eligibility the engine builds, so a warning here is
exactly what the solver would meet: a role nobody can take, a pin the rules exclude, a
board requirement no placement can meet. Messages name records and counts, never a
person's demographics.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from matching.arrays import ProblemArrays, build_arrays
from matching.context import ModelContext
from matching.eligibility import Pairs, eligible_pairs
from matching.pins import PinnedPair, resolve_pins
from matching.report import exclusion_summary
from matching.scoring import score_pairs
from models.problem import Problem
from models.solution import Conflict

#: Candidates listed one by one; more than this become one aggregate finding.
MAX_LISTED_CANDIDATES = 20


@dataclass(frozen=True)
class Finding:
    """One warning: where it is, a stable machine code, and a readable message."""

    path: str
    code: str
    message: str


@dataclass(frozen=True)
class Eligibility:
    """The engine's eligibility of one problem, shared by every check."""

    arrays: ProblemArrays
    pairs: Pairs
    pins: list[PinnedPair]
    pin_conflicts: list[Conflict]

    @classmethod
    def of(cls, problem: Problem) -> "Eligibility":
        """Arrays, eligible pairs and resolved pins, as solve() computes them."""
        arrays = build_arrays(problem)
        pins, conflicts = resolve_pins(arrays)
        return cls(arrays, eligible_pairs(arrays), pins, conflicts)

    @cached_property
    def context(self) -> ModelContext:
        """The model context exclusion_summary reads; scored only when a check needs it."""
        return ModelContext(
            self.arrays, self.pairs, score_pairs(self.arrays, self.pairs), tuple(self.pins)
        )

    @cached_property
    def per_role(self) -> NDArray[np.int64]:
        """Eligible candidates of each role."""
        return np.bincount(self.pairs.role, minlength=self.arrays.n_roles)

    @cached_property
    def per_candidate(self) -> NDArray[np.int64]:
        """Eligible roles of each candidate."""
        return np.bincount(self.pairs.cand, minlength=self.arrays.n_candidates)

    def exclusions(self, role: int) -> str:
        """Why each candidate was excluded from a role, counted by rule."""
        return exclusion_summary(self.context, role) or "there are no candidates"


def _roles_without_candidates(e: Eligibility, must_fill: bool) -> list[Finding]:
    empty = (e.per_role == 0) & (e.arrays.role_must_fill == must_fill)
    roles, n = e.arrays.problem.roles, e.arrays.n_candidates
    findings = []
    for r in np.flatnonzero(empty):
        role_id = roles[r].id
        if must_fill:
            code = "must_fill_without_candidates"
            message = (
                f"role {role_id} must be filled but none of the {n} candidates is eligible: "
                f"{e.exclusions(int(r))}; the problem is infeasible (H1)"
            )
        else:
            code = "role_without_candidates"
            message = (
                f"none of the {n} candidates is eligible for role {role_id}: {e.exclusions(int(r))}"
            )
        findings.append(Finding(f"roles[{role_id}]", code, message))
    return findings


def role_without_candidates(e: Eligibility) -> list[Finding]:
    """Optional roles nobody can take: they will stay empty whatever the solver does."""
    return _roles_without_candidates(e, must_fill=False)


def must_fill_without_candidates(e: Eligibility) -> list[Finding]:
    """Must-fill roles nobody can take: H1 cannot hold, so the problem is infeasible."""
    return _roles_without_candidates(e, must_fill=True)


def candidate_without_roles(e: Eligibility) -> list[Finding]:
    """Candidates no role is open to; aggregated for big pools so the list stays readable."""
    cands = e.arrays.problem.candidates
    idle = np.flatnonzero(e.per_candidate == 0)
    n_roles = e.arrays.n_roles
    code = "candidate_without_roles"
    if idle.size <= MAX_LISTED_CANDIDATES:
        return [
            Finding(
                f"candidates[{cands[c].id}]",
                code,
                f"candidate {cands[c].id} is eligible for none of the {n_roles} roles",
            )
            for c in idle
        ]
    listed = ", ".join(cands[c].id for c in idle[:MAX_LISTED_CANDIDATES])
    return [
        Finding(
            "candidates",
            code,
            f"{idle.size} of {len(cands)} candidates are eligible for none of the "
            f"{n_roles} roles; the first {MAX_LISTED_CANDIDATES}: {listed}",
        )
    ]


def pin_not_eligible(e: Eligibility) -> list[Finding]:
    """Pinned pairs the rules exclude: a pin must be placed, so the problem is infeasible."""
    index = {(p.candidate_id, p.role_id): i for i, p in enumerate(e.arrays.problem.pinned)}
    return [
        Finding(
            f"pinned[{index[conflict.records[0], conflict.records[1]]}]",
            "pin_not_eligible",
            f"{conflict.message} (rule {conflict.rule}); the problem is infeasible",
        )
        for conflict in e.pin_conflicts
    ]


def role_over_budget(e: Eligibility) -> list[Finding]:
    """Roles whose cheapest eligible package alone exceeds the whole budget (H9)."""
    budget = e.arrays.problem.policy.budget
    if budget is None or e.pairs.size == 0:
        return []
    cheapest = np.full(e.arrays.n_roles, np.iinfo(np.int64).max)
    np.minimum.at(cheapest, e.pairs.role, e.pairs.cost)
    roles = e.arrays.problem.roles
    findings = []
    for r in np.flatnonzero((e.per_role > 0) & (cheapest > budget)):
        role = roles[r]
        outcome = (
            "it must be filled, so the problem is infeasible (H1)"
            if role.must_fill
            else "it cannot be filled"
        )
        findings.append(
            Finding(
                f"roles[{role.id}]",
                "role_over_budget",
                f"the cheapest package for any of the {e.per_role[r]} eligible candidates of "
                f"role {role.id} costs £{cheapest[r]:,}, over the £{budget:,} budget: {outcome}",
            )
        )
    return findings


def pins_over_budget(e: Eligibility) -> list[Finding]:
    """Pinned placements whose packages alone exceed the budget (H9 against H10)."""
    budget = e.arrays.problem.policy.budget
    cost = int(sum(e.arrays.package_cost[pin.package] for pin in e.pins))
    if budget is None or cost <= budget:
        return []
    return [
        Finding(
            "policy.budget",
            "pins_over_budget",
            f"the {len(e.pins)} eligible pinned pairs need packages costing £{cost:,}, over the "
            f"£{budget:,} budget; the problem is infeasible",
        )
    ]


def board_requirement_unreachable(e: Eligibility) -> list[Finding]:
    """H13 requirements that existing members plus every fillable board role cannot meet.

    A board-level role counts if at least one eligible candidate holds the skill at level;
    falling short even so makes the problem infeasible.
    """
    a, pairs = e.arrays, e.pairs
    board = np.flatnonzero(a.role_board[pairs.role])
    board_org = a.role_org[pairs.role[board]]
    order = np.argsort(board_org, kind="stable")
    board = board[order]
    bounds = np.searchsorted(board_org[order], np.arange(a.n_organisations + 1))
    skill_index = {name: i for i, name in enumerate(a.skills)}
    board_roles = np.bincount(a.role_org[a.role_board], minlength=a.n_organisations)
    findings = []
    for o, org in enumerate(a.problem.organisations):
        org_pairs = board[bounds[o] : bounds[o + 1]]
        for i, req in enumerate(org.board_requirements):
            existing = sum(1 for m in org.board if m.skills.get(req.skill, 0) >= req.level)
            held = a.cand_skills[pairs.cand[org_pairs], skill_index[req.skill]] >= req.level
            reachable = np.unique(pairs.role[org_pairs[held]]).size
            if existing + reachable >= req.min_members:
                continue
            findings.append(
                Finding(
                    f"organisations[{org.id}].board_requirements[{i}]",
                    "board_requirement_unreachable",
                    f"board of {org.id} needs {req.min_members} members with {req.skill} >= "
                    f"{req.level}: {existing} of its {len(org.board)} existing members qualify and "
                    f"{reachable} of its {board_roles[o]} board-level roles have an eligible "
                    "candidate who does; the problem is infeasible (H13)",
                )
            )
    return findings


CHECKS: tuple[Callable[[Eligibility], list[Finding]], ...] = (
    must_fill_without_candidates,
    role_without_candidates,
    candidate_without_roles,
    pin_not_eligible,
    pins_over_budget,
    role_over_budget,
    board_requirement_unreachable,
)


def data_quality(problem: Problem) -> list[Finding]:
    """Warnings a planner should see before solving; cheap (eligibility only, no solve)."""
    e = Eligibility.of(problem)
    return [finding for check in CHECKS for finding in check(e)]
