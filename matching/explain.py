"""Explain a solution: each placement's runner-up, each empty role's reason and what filling
it costs, each candidate's options, all from exact what-if re-solves.

The numbers are on the merit objective; the diversity tie-break stage is not re-run.
"""

import time

import numpy as np
from numpy.typing import NDArray

from matching.backends.lp import pair_bounds
from matching.eligibility import REASONS, candidate_exclusions, keys_of
from matching.errors import AssignmentError
from matching.prepare import prepare
from matching.relax import explain_infeasible
from matching.report import placements, spend_and_seats, unfilled_reason
from matching.scoring import SCALE
from matching.solve import side_constraints
from matching.verify import format_violation, verify
from matching.whatif import Answer, Question, WhatIf
from models.explanation import (
    Alternative,
    CandidateExplanation,
    Change,
    Explanation,
    PlacementExplanation,
    UnfilledExplanation,
)
from models.policy import DiversityMode
from models.problem import Problem
from models.solution import Solution, SolveStatus

#: Seconds allowed for each what-if re-solve.
QUESTION_TIME_S = 10.0
#: Changes named in a readable reason; the JSON lists them all.
NAMED_CHANGES = 4
#: Difference between a solution's stated objective and its recomputed value worth a notice.
OBJECTIVE_TOLERANCE = 1e-3
DECIMALS = 3
TIE_BREAK_NOTICE = (
    "Objective changes are on merit: the diversity tie-break stage is not re-run, so an "
    "alternative with no loss may be one the tie-break chose between."
)
MERIT_ONLY_NOTICE = (
    "In diversity_mode 'targets' the re-solves maximise merit alone and every objective here "
    "is merit: the targets' penalties are left out, as a change in them for one person would "
    "show whether that person counts toward a target. Hard targets (H12) still hold."
)
NOT_PROVEN_NOTICE = (
    "Some re-solves stopped at their time limit (proven: false): their objective is what "
    "was found, and the true best may be higher."
)


class ExplainError(AssignmentError):
    """The request cannot be explained: an unknown id, or a solution that breaks the rules."""


def points(scaled: int) -> float:
    """Scaled objective units as points."""
    return round(scaled / SCALE, DECIMALS)


class Explainer:
    """What-if answers about one feasible solution of one problem."""

    def __init__(
        self,
        problem: Problem,
        solution: Solution,
        *,
        time_limit_s: float = QUESTION_TIME_S,
        workers: int | None = None,
        total_time_s: float | None = None,
    ) -> None:
        violations = verify(problem, solution)
        if violations:
            raise ExplainError(
                "the solution does not hold for this problem: "
                + "; ".join(format_violation(v) for v in violations[:5])
            )
        self.problem, self.solution = problem, solution
        self.ctx, _ = prepare(problem)
        policy = problem.policy
        self.merit_only = bool(
            policy.diversity_mode is DiversityMode.TARGETS and policy.diversity_targets
        )
        self.whatif = WhatIf(
            self.ctx,
            side_rules=bool(side_constraints(problem)),
            merit_only=self.merit_only,
            time_limit_s=time_limit_s,
            workers=workers if workers is not None else problem.policy.workers,
        )
        pairs = [(p.candidate_id, p.role_id) for p in solution.placements]
        keys = keys_of(self.ctx.arrays, pairs) if pairs else np.zeros(0, np.int64)
        self.chosen = np.isin(self.ctx.pairs.keys, keys)
        self.objective = self.whatif.value_of(self.chosen)
        self.holders = self._holder(self.chosen)
        self.spend_and_seats = spend_and_seats(self.ctx, self.chosen)
        self.question_limit_s = time_limit_s
        self.deadline = None if total_time_s is None else time.perf_counter() + total_time_s
        self.unproven = False
        self.unasked = 0
        self._bounds: NDArray[np.float64] | None = None

    # --- lookups -------------------------------------------------------------------------

    def role_index(self, role_id: str) -> int:
        """Index of a role id, or an ExplainError naming it."""
        if role_id not in self.ctx.arrays.role_index:
            raise ExplainError(f"unknown role '{role_id}'")
        return self.ctx.arrays.role_index[role_id]

    def candidate_index(self, candidate_id: str) -> int:
        """Index of a candidate id, or an ExplainError naming it."""
        if candidate_id not in self.ctx.arrays.cand_index:
            raise ExplainError(f"unknown candidate '{candidate_id}'")
        return self.ctx.arrays.cand_index[candidate_id]

    def _holder(self, chosen: NDArray[np.bool_]) -> dict[int, int]:
        pairs = self.ctx.pairs
        return {int(pairs.role[k]): int(pairs.cand[k]) for k in np.flatnonzero(chosen)}

    # --- building blocks -----------------------------------------------------------------

    def ask(self, question: Question) -> Answer:
        """A what-if answer, started from the solution explained; `timeout_no_solution`
        without asking once the total time is spent."""
        limit = self.question_limit_s
        if self.deadline is not None:
            limit = min(limit, self.deadline - time.perf_counter())
            if limit <= 0:
                self.unasked += 1
                return Answer(SolveStatus.TIMEOUT_NO_SOLUTION, np.zeros_like(self.chosen), None)
        self.whatif.time_limit_s = limit
        answer = self.whatif.ask(question, self.chosen)
        if answer.status is SolveStatus.FEASIBLE:
            self.unproven = True
        return answer

    def alternative(self, k: int, answer: Answer) -> Alternative:
        """Pair k in its role, with the answer's placement of everyone else."""
        assert answer.objective is not None
        ctx, problem = self.ctx, self.problem
        role = int(ctx.pairs.role[k])
        before, after = self.holders, self._holder(answer.chosen)
        cands = problem.candidates
        changes = [
            Change(
                role_id=problem.roles[r].id,
                before=cands[before[r]].id if r in before else None,
                after=cands[after[r]].id if r in after else None,
            )
            for r in sorted(set(before) | set(after))
            if r != role and before.get(r) != after.get(r)
        ]
        return Alternative(
            candidate_id=cands[ctx.pairs.cand[k]].id,
            role_id=problem.roles[role].id,
            package_id=problem.effective_packages[ctx.pairs.package[k]].id,
            score=float(ctx.scores.fit[k]),
            value=points(int(ctx.scores.coefficient[k])),
            objective=points(answer.objective),
            objective_change=points(answer.objective - self.objective),
            changes=changes,
            proven=answer.status is SolveStatus.OPTIMAL,
        )

    def bounds(self) -> NDArray[np.float64]:
        """Per pair, an upper bound (scaled, with the constant) on any placement holding it."""
        if self._bounds is None:
            none = np.zeros(0, dtype=np.int64)
            lp = self.whatif.relaxation.solve(self.whatif.time_limit_s, none, none, [])
            if lp.status != "optimal":
                self._bounds = np.full(self.ctx.pairs.size, np.inf)
            else:
                constant = 0 if self.merit_only else self.whatif.formulation.objective_constant
                self._bounds = pair_bounds(lp, self.ctx.pairs.size) + constant
        return self._bounds

    def best_pins(self, candidates: NDArray[np.int64], top: int) -> tuple[list[Alternative], bool]:
        """The `top` best of these pairs, each pinned and everyone else re-placed, exactly:
        pairs are tried in order of their LP bound until no untried bound beats the last
        one kept. Also whether every pair needed was answered within the time."""
        bounds = self.bounds()[candidates]
        found: list[Alternative] = []
        complete = True
        for k in candidates[np.argsort(-bounds, kind="stable")]:
            if len(found) >= top and self.bounds()[k] <= found[top - 1].objective * SCALE:
                break
            answer = self.ask(Question(pin=(int(k),)))
            complete &= answer.status is not SolveStatus.TIMEOUT_NO_SOLUTION
            if answer.status.is_ok:
                found.append(self.alternative(int(k), answer))
                found.sort(key=lambda a: -a.objective)
        return found[:top], complete

    # --- explanations --------------------------------------------------------------------

    def placement(self, k: int) -> PlacementExplanation:
        """The breakdown, and the best other candidate with the role kept filled."""
        ctx, problem = self.ctx, self.problem
        role, cand = int(ctx.pairs.role[k]), int(ctx.pairs.cand[k])
        only = np.zeros(ctx.pairs.size, dtype=bool)
        only[k] = True
        (shown,) = placements(ctx, only)
        role_id, cand_id = problem.roles[role].id, problem.candidates[cand].id
        pinned = any(pin.cand == cand and pin.role == role for pin in ctx.pins)
        head = f"{cand_id} in {role_id}: worth {points(int(ctx.scores.coefficient[k]))} points"
        if pinned:
            return PlacementExplanation(
                placement=shown, runner_up=None, reason=f"{head}; pinned by the problem (H10)"
            )
        answer = self.ask(Question(ban=(k,), fill=(role,)))
        if answer.status is SolveStatus.TIMEOUT_NO_SOLUTION:
            return PlacementExplanation(
                placement=shown,
                runner_up=None,
                reason=f"{head}; no runner-up was found within the time limit",
            )
        if not answer.status.is_ok:
            return PlacementExplanation(
                placement=shown,
                runner_up=None,
                reason=f"{head}; no other candidate can take {role_id} while every rule holds",
            )
        runner = int(np.flatnonzero(answer.chosen & (ctx.pairs.role == role))[0])
        alt = self.alternative(runner, answer)
        verdict = (
            "an equally good choice (a tie)"
            if alt.objective_change == 0
            else _change_text(alt.objective_change)
        )
        return PlacementExplanation(
            placement=shown,
            runner_up=alt,
            reason=f"{head}. Runner-up: {alt.candidate_id} (fit {alt.score:g}); "
            f"with them in {role_id}, {verdict}{_changes_text(alt.changes)}",
        )

    def unfilled_role(self, role: int) -> UnfilledExplanation:
        """The reason with numbers, eligibility counts, and what filling the role costs."""
        ctx, chosen = self.ctx, self.chosen
        code, reason = unfilled_reason(ctx, role, chosen, *self.spend_and_seats)
        counts = ctx.pairs.exclusions[role]
        excluded = {rule: int(counts[i]) for i, rule in enumerate(REASONS) if counts[i]}
        eligible = int(ctx.role_starts[role + 1] - ctx.role_starts[role])
        best = None
        if eligible:
            answer = self.ask(Question(fill=(role,)))
            if answer.status.is_ok:
                k = int(np.flatnonzero(answer.chosen & (ctx.pairs.role == role))[0])
                best = self.alternative(k, answer)
                reason += (
                    f". Filled in the best way, with {best.candidate_id}, "
                    f"{_change_text(best.objective_change)}{_changes_text(best.changes)}"
                )
            elif answer.status is SolveStatus.TIMEOUT_NO_SOLUTION:
                reason += ". No way to fill it was found within the time limit"
            else:
                reason += ". No placement that keeps every rule can fill it"
        return UnfilledExplanation(
            role_id=self.problem.roles[role].id,
            code=code,
            reason=reason,
            eligible=eligible,
            excluded=excluded,
            best_fill=best,
        )

    def candidate(self, cand: int) -> CandidateExplanation:
        """Their placements explained, eligibility counts, and their best other role."""
        ctx = self.ctx
        own = np.flatnonzero(ctx.pairs.cand == cand)
        placed = own[self.chosen[own]]
        others = own[~self.chosen[own]]
        cand_id = self.problem.candidates[cand].id
        if placed.size:
            reason = f"{cand_id} is placed in " + ", ".join(
                self.problem.roles[ctx.pairs.role[k]].id for k in placed
            )
        else:
            reason = f"{cand_id} is not placed: eligible for {own.size} role(s)"
        best_other = None
        if others.size:
            best, complete = self.best_pins(others, 1)
            best_other = best[0] if best else None
            reason += _other_role_text(best_other, complete)
        return CandidateExplanation(
            candidate_id=cand_id,
            placements=[self.placement(int(k)) for k in placed],
            eligible_roles=int(own.size),
            excluded=candidate_exclusions(ctx.pairs, ctx.arrays, cand),
            best_other=best_other,
            reason=reason,
        )

    def notices(self) -> list[str]:
        """What the reader of these numbers should know."""
        found = []
        if self.merit_only:
            found.append(MERIT_ONLY_NOTICE)
        elif self.solution.tie_breaks or self.problem.policy.weights.diversity > 0:
            found.append(TIE_BREAK_NOTICE)
        if self.unproven:
            found.append(NOT_PROVEN_NOTICE)
        if self.unasked:
            found.append(
                f"{self.unasked} re-solve(s) were not run: the total time was spent. Ask about "
                "fewer roles or candidates at a time, or allow more time."
            )
        stated = self.solution.objective
        if (
            not self.merit_only
            and stated is not None
            and abs(stated - points(self.objective)) > OBJECTIVE_TOLERANCE
        ):
            found.append(
                f"The solution states objective {stated:g}, but its placements are worth "
                f"{points(self.objective):g} under this problem's policy: changes are measured "
                "from the latter (was it solved with other weights?)."
            )
        return found


def _other_role_text(best: Alternative | None, complete: bool) -> str:
    """What a candidate's best other role would do, in words."""
    if best is not None:
        return (
            f"; in their best other role, {best.role_id}, "
            f"{_change_text(best.objective_change)}{_changes_text(best.changes)}"
        )
    if not complete:
        return "; no other role for them was found within the time limit"
    return "; no other role can take them while every rule holds"


def _check_ids(problem: Problem, role_ids: list[str], candidate_ids: list[str]) -> None:
    """An ExplainError naming the first id the problem does not have."""
    roles, cands = {r.id for r in problem.roles}, {c.id for c in problem.candidates}
    for role_id in role_ids:
        if role_id not in roles:
            raise ExplainError(f"unknown role '{role_id}'")
    for candidate_id in candidate_ids:
        if candidate_id not in cands:
            raise ExplainError(f"unknown candidate '{candidate_id}'")


def _change_text(change: float) -> str:
    """How the objective moves, in words."""
    if change < 0:
        return f"the objective falls by {-change:g} points"
    if change == 0:
        return "the objective stays the same"
    return f"the objective rises by {change:g} points (the solution explained is not optimal)"


def _changes_text(changes: list[Change]) -> str:
    """A readable list of the first few changes."""
    if not changes:
        return ""
    named = [
        f"{c.role_id} {c.before or 'empty'} -> {c.after or 'empty'}"
        for c in changes[:NAMED_CHANGES]
    ]
    more = f" and {len(changes) - NAMED_CHANGES} more" if len(changes) > NAMED_CHANGES else ""
    return f" ({len(changes)} other change(s): {'; '.join(named)}{more})"


def explain(
    problem: Problem,
    solution: Solution,
    *,
    role_ids: list[str] | None = None,
    candidate_ids: list[str] | None = None,
    time_limit_s: float = QUESTION_TIME_S,
    workers: int | None = None,
    total_time_s: float | None = None,
) -> Explanation:
    """Explain the solution: every placement and empty role, or only those of the given
    roles and candidates. `time_limit_s` bounds each re-solve, `total_time_s` all of them:
    what is left when it is spent is reported as not explained.

    Raises:
        ExplainError: for an unknown id or a solution that does not hold for the problem.
    """
    _check_ids(problem, role_ids or [], candidate_ids or [])
    if not solution.status.is_ok:
        return explain_infeasible(
            problem,
            solution,
            time_limit_s=time_limit_s,
            workers=workers,
            total_time_s=total_time_s,
        )
    e = Explainer(
        problem, solution, time_limit_s=time_limit_s, workers=workers, total_time_s=total_time_s
    )
    ctx = e.ctx
    roles = [e.role_index(r) for r in dict.fromkeys(role_ids or [])]
    cands = [e.candidate_index(c) for c in dict.fromkeys(candidate_ids or [])]
    everything = not roles and not cands
    wanted = (
        np.ones(ctx.arrays.n_roles, dtype=bool)
        if everything
        else np.isin(np.arange(ctx.arrays.n_roles), roles)
    )
    chosen_roles = ctx.pairs.role[e.chosen]
    filled = np.zeros(ctx.arrays.n_roles, dtype=bool)
    filled[chosen_roles] = True
    return Explanation(
        status=solution.status,
        objective=points(e.objective),
        placements=[e.placement(int(k)) for k in np.flatnonzero(e.chosen & wanted[ctx.pairs.role])],
        unfilled=[e.unfilled_role(int(r)) for r in np.flatnonzero(wanted & ~filled)],
        candidates=[e.candidate(c) for c in cands],
        notices=e.notices(),
    )
