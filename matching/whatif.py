"""What-if re-solves of one problem: extra pins, bans and roles that must be filled.

Every question restricts the problem, and each is answered exactly. On capacities-only
problems the min-cost flow answers it, with pinned and filled pairs made worth more than any
placement and banned ones less. With side rules the LP-guided search answers it, with the
relaxation re-solved warm from the previous question, so a run of questions about one
solution costs a fraction of a solve each.
"""

import time
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from matching.backends.cpsat import MIN_SEARCH_S, solve_cpsat
from matching.backends.flow import solve_flow
from matching.backends.lp import LpResult, ReusableLp, pair_bounds
from matching.backends.lp_guided import solve_lp_guided
from matching.context import ModelContext
from matching.errors import AssignmentError
from matching.formulation import Formulation, Tag, restrict
from matching.registry import build_formulation
from matching.rules.diversity_targets import soft_penalty
from matching.scoring import SCALE
from models.solution import SolveStatus

WHAT_IF = "what-if"
#: First guess of how far below its LP bound a question's optimum lies (scaled units), and
#: the margin kept over the last proven question's gap.
INITIAL_GAP_GUESS = 2 * SCALE
GUESS_FACTOR = 2
#: Beyond this many pairs near the bound, one search of them costs more than the two-stage
#: LP-guided search (measured on generated size m: 10 s against 3-7 s a question).
GUESS_MAX_PAIRS = 4_000


@dataclass(frozen=True)
class Question:
    """Pair indices that must and must not be chosen, and roles that must be filled."""

    pin: tuple[int, ...] = ()
    ban: tuple[int, ...] = ()
    fill: tuple[int, ...] = ()


@dataclass(frozen=True)
class Answer:
    """The best placement under a question: status, chosen pairs, and its objective as
    `WhatIf.value_of` values placements (scaled)."""

    status: SolveStatus
    chosen: NDArray[np.bool_]
    objective: int | None


class WhatIf:
    """Answers questions about one prepared problem.

    Args:
        ctx: the prepared problem.
        side_rules: whether any rule beyond capacities is in play (then the flow cannot
            answer, and the search does).
        merit_only: maximise and value placements by the pairs' merit alone, leaving out
            soft-target penalties (and the model's constant).
        time_limit_s: limit for each question; an answer stopped by it is `feasible`.
        workers: solver threads.
    """

    def __init__(
        self,
        ctx: ModelContext,
        *,
        side_rules: bool,
        time_limit_s: float,
        workers: int,
        merit_only: bool = False,
    ) -> None:
        self.ctx = ctx
        self.side_rules = side_rules
        self.merit_only = merit_only
        self.time_limit_s = time_limit_s
        self.workers = workers
        self.gap_guess = INITIAL_GAP_GUESS

    @cached_property
    def formulation(self) -> Formulation:
        """The full model, built once for every question that needs the search."""
        return build_formulation(self.ctx)

    @cached_property
    def relaxation(self) -> ReusableLp:
        """The LP relaxation, kept warm between questions."""
        pair_objective, aux = self.objective
        return ReusableLp(self.formulation, pair_objective, aux)

    @property
    def objective(self) -> tuple[NDArray[np.int64], dict[int, int]]:
        """Pair and auxiliary objective coefficients the questions maximise."""
        f = self.formulation
        assert f.pair_objective is not None
        return f.pair_objective, {} if self.merit_only else f.objective

    def value_of(self, chosen: NDArray[np.bool_]) -> int:
        """Objective of a placement (scaled), comparable with Solution.objective * SCALE:
        merit, soft-target penalties and constant (merit alone when `merit_only`)."""
        merit = int(self.ctx.scores.coefficient[chosen].sum())
        if not self.side_rules or self.merit_only:
            return merit
        f = self.formulation
        return merit + soft_penalty(f, chosen) + f.objective_constant

    def ask(self, question: Question, hint: NDArray[np.bool_]) -> Answer:
        """The best placement that honours the question; `hint` is a placement to start from
        (the solution being explained)."""
        if not self.side_rules:
            try:
                return self._ask_flow(question, hint)
            except AssignmentError:
                pass  # values too large for 64-bit flow costs: the search answers instead
        return self._ask_search(question, hint)

    def _honours(self, question: Question, chosen: NDArray[np.bool_]) -> bool:
        filled = np.zeros(self.ctx.arrays.n_roles, dtype=bool)
        filled[self.ctx.pairs.role[chosen]] = True
        return (
            bool(chosen[list(question.pin)].all())
            and not chosen[list(question.ban)].any()
            and bool(filled[list(question.fill)].all())
        )

    def _ask_flow(self, question: Question, hint: NDArray[np.bool_]) -> Answer:
        """Exact by the flow: each pin and filled role is worth more than any placement
        without it, and a banned pair costs more than any placement gains. Among equally
        good answers the flow keeps the most of `hint`, so only necessary changes show."""
        coefficient = self.ctx.scores.coefficient
        big = int(np.abs(coefficient).sum()) + 1
        demands = len(question.pin) + len(question.fill)
        value = coefficient.copy()
        value[list(question.pin)] += big
        for role in question.fill:
            value[self.ctx.pairs_of_role(role)] += big
        value[list(question.ban)] = -big * (demands + 1)
        keep_weight = self.ctx.arrays.n_roles + 1
        try:
            result = solve_flow(self.ctx, value * keep_weight + hint.astype(np.int64))
        except AssignmentError:  # too large for 64-bit costs with the tie-break: without it
            result = solve_flow(self.ctx, value)
        if not result.status.is_ok or not self._honours(question, result.chosen):
            return Answer(SolveStatus.INFEASIBLE, np.zeros_like(result.chosen), None)
        return Answer(SolveStatus.OPTIMAL, result.chosen, self.value_of(result.chosen))

    def _search_near_bound(
        self, g: Formulation, lp: LpResult, hint: NDArray[np.bool_], time_limit_s: float
    ) -> tuple[NDArray[np.bool_] | None, bool]:
        """One search over the pairs that could reach within `gap_guess` of the LP bound.

        If it proves a placement optimal there that reaches that floor, the placement is
        optimal overall: any placement using a pair left out is worth at most the floor.

        Returns:
            The best placement found (None: none, or too many pairs near the bound to try)
            and whether it is proven optimal overall.
        """
        bound = pair_bounds(lp, g.n_pairs)
        floor = int(np.floor(lp.objective)) - self.gap_guess
        keep = bound > floor
        if keep.sum() > GUESS_MAX_PAIRS:
            return None, False
        small, kept = restrict(g, keep)
        result = solve_cpsat(
            small,
            time_limit_s=time_limit_s,
            workers=self.workers,
            seed=self.ctx.problem.policy.seed,
            hint=hint[kept],
            objective=(small.pair_objective, {}) if self.merit_only else None,
            full_lp=True,
            light=True,
        )
        if not result.status.is_ok or result.objective is None:
            return None, False
        chosen = np.zeros(g.n_pairs, dtype=bool)
        chosen[kept[result.chosen]] = True
        proven = result.status is SolveStatus.OPTIMAL and result.objective >= floor
        if proven:
            self._learn_gap(lp, result.objective)
        return chosen, proven

    def _learn_gap(self, lp: LpResult, objective: int) -> None:
        """The next guess: a margin over this question's gap between LP bound and optimum."""
        gap = int(np.floor(lp.objective)) - objective
        self.gap_guess = max(INITIAL_GAP_GUESS, GUESS_FACTOR * gap)

    def _ask_search(self, question: Question, hint: NDArray[np.bool_]) -> Answer:
        """Exact by search on the model with the question's rows added: near the LP bound
        first, then the LP-guided search, all within the question's time limit."""
        deadline = time.perf_counter() + self.time_limit_s
        f, pairs = self.formulation, self.ctx.pairs
        groups = [self.ctx.pairs_of_role(r) for r in question.fill]
        ban = np.array(question.ban, dtype=np.int64)
        pin = np.array(question.pin, dtype=np.int64)
        lp = self.relaxation.solve(self.time_limit_s, ban, pin, groups)
        none = np.zeros(f.n_pairs, dtype=bool)
        if lp.status == "infeasible":
            return Answer(SolveStatus.INFEASIBLE, none, None)
        keep = np.ones(f.n_pairs, dtype=bool)
        keep[ban] = False
        g, kept = restrict(f, keep)
        index = np.full(f.n_pairs, -1, dtype=np.int64)
        index[kept] = np.arange(kept.size)
        for k in pin:
            g.add_row([index[k]], [1], 1, 1, Tag(WHAT_IF, (), "pinned by the question"))
        for group in groups:
            members = index[group]
            members = members[members >= 0]
            g.add_row(members, np.ones(members.size, np.int64), 1, None, Tag(WHAT_IF, (), "fill"))
        start = hint[kept]
        known = None
        if lp.status == "optimal":
            known = LpResult(lp.status, lp.objective, lp.values[kept], lp.drop_cost[kept])
            found, proven = self._search_near_bound(
                g, known, start, max(0.0, deadline - time.perf_counter())
            )
            if found is not None:
                if proven or time.perf_counter() >= deadline:
                    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
                    return self._answer(status, kept[found])
                start = found
        result = solve_lp_guided(
            g,
            time_limit_s=max(MIN_SEARCH_S, deadline - time.perf_counter()),
            workers=self.workers,
            seed=self.ctx.problem.policy.seed,
            hint=start,
            roles=pairs.role[kept],
            objective=(g.pair_objective, {}) if self.merit_only else None,
            lp=known,
            light=True,
        )
        if not result.status.is_ok or result.objective is None:
            return Answer(result.status, none, None)
        if known is not None and result.status is SolveStatus.OPTIMAL:
            self._learn_gap(known, result.objective)
        return self._answer(result.status, kept[result.chosen])

    def _answer(self, status: SolveStatus, pairs: NDArray[np.int64]) -> Answer:
        chosen = np.zeros(self.ctx.pairs.size, dtype=bool)
        chosen[pairs] = True
        return Answer(status, chosen, self.value_of(chosen))
