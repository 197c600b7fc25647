"""Solve a Problem: eligibility, scoring, the right backend, tie-break stage, verification.

The exact min-cost flow answers problems with capacities only; CP-SAT (seeded with the
flow's placement) answers the rest; PuLP/CBC solves the same formulation to cross-check.
"""

import time
from dataclasses import replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from matching.backends import BackendResult
from matching.backends.cpsat import NAMED_PAIRS_LIMIT, solve_cpsat
from matching.backends.flow import INT64_LIMIT, solve_flow
from matching.backends.lp_guided import solve_lp_guided
from matching.backends.pulp_backend import solve_pulp
from matching.context import ModelContext
from matching.diagnose import diagnose
from matching.errors import AssignmentError, VerificationFailed
from matching.formulation import Formulation, Tag, restrict
from matching.prepare import prepare
from matching.progress import IncumbentFn, Progress, ProgressFn
from matching.registry import build_formulation
from matching.report import exclusion_summary, kpis, placements, unfilled
from matching.rules.diversity_targets import soft_penalty
from matching.scoring import SCALE
from matching.tie_break import (
    merit_floor,
    needs_tie_break,
    stage_two_value,
    tie_break_records,
)
from matching.verify import format_violation, verify
from models.common import ATTRIBUTES
from models.policy import DiversityMode
from models.problem import Problem
from models.solution import Conflict, Solution, SolverStats, SolveStatus

Backend = Literal["auto", "cpsat", "flow", "pulp"]
BACKENDS: tuple[str, ...] = ("auto", "cpsat", "flow", "pulp")
#: Share of the time limit kept for decoding, KPIs and verification after the search.
REPORT_RESERVE = 0.04
#: Shortest time a search stage is given, however late it starts.
MIN_STAGE_S = 1.0
#: Share of the time limit given to the merit stage when a tie-break stage follows.
MERIT_STAGE_SHARE = 0.7
TIE_BREAK_UNFINISHED = (
    "The diversity tie-break stage found no placement within the time limit: these "
    "placements are on merit alone. Allow more time to apply the tie-break."
)
TARGETS_NOTICE = (
    "Made in diversity_mode 'targets': a planning what-if. Hard or weighted targets on a "
    "protected characteristic must not decide real appointments (Equality Act 2010)."
)


def side_constraints(problem: Problem) -> list[str]:
    """Rules beyond capacities that the min-cost flow cannot express."""
    policy = problem.policy
    found = []
    if policy.budget is not None:
        found.append("budget (H9)")
    if policy.max_drawn_per_organisation is not None:
        found.append("max_drawn_per_organisation (H11)")
    if policy.diversity_mode is DiversityMode.TARGETS and policy.diversity_targets:
        found.append("diversity targets (H12 / soft)")
    if any(o.board_requirements for o in problem.organisations):
        found.append("board requirements (H13)")
    if _tie_break_with_tolerance(problem):
        found.append("diversity tie-break with merit_tolerance > 0")
    return found


def _tie_break_with_tolerance(problem: Problem) -> bool:
    """A tie-break stage that may trade merit: a side row the flow cannot hold."""
    policy = problem.policy
    return (
        policy.diversity_mode is DiversityMode.TIE_BREAK
        and policy.weights.diversity > 0
        and policy.merit_tolerance > 0
        and any(
            c.demographics is not None and any(c.demographics.has(a) for a in ATTRIBUTES)
            for c in problem.candidates
        )
    )


class _Reporter:
    """Turns stage changes and backend incumbents into Progress snapshots, best so far."""

    def __init__(self, progress: ProgressFn | None, started: float) -> None:
        self.progress = progress
        self.started = started
        self.stage = "starting"
        self.objective: int | None = None
        self.bound: int | None = None
        self.constant = 0

    def stage_started(self, text: str) -> None:
        """A new stage is running."""
        self.stage = text
        self._emit()

    def incumbent(self, objective: int | None, bound: int | None) -> None:
        """A backend found a better placement or proved a tighter bound (scaled units)."""
        if objective is not None and (self.objective is None or objective > self.objective):
            self.objective = objective
        if bound is not None and (self.bound is None or bound < self.bound):
            self.bound = bound
        self._emit()

    def finished(self, solution: Solution) -> Solution:
        """The answer, whatever it is: its status, objective and bound (which a tie-break
        stage may change) as the last snapshot."""
        if self.progress is not None:
            elapsed = time.perf_counter() - self.started
            stage = "done" if solution.status.is_ok else f"done: {solution.status.value}"
            self.progress(Progress(stage, elapsed, solution.objective, solution.bound))
        return solution

    def _unscaled(self, value: int | None) -> float | None:
        return None if value is None else (value + self.constant) / SCALE

    def _emit(self) -> None:
        if self.progress is None:
            return
        elapsed = time.perf_counter() - self.started
        self.progress(
            Progress(
                self.stage, elapsed, self._unscaled(self.objective), self._unscaled(self.bound)
            )
        )


def _must_fill_conflicts(ctx: ModelContext) -> list[Conflict]:
    """Must-fill roles that no candidate can take, with the rules that excluded everyone."""
    return [
        Conflict(
            rule="H1",
            records=[role.id],
            message=f"role {role.id} must be filled but has no eligible candidate: "
            f"{exclusion_summary(ctx, r)}",
        )
        for r, role in enumerate(ctx.problem.roles)
        if role.must_fill and ctx.role_starts[r] == ctx.role_starts[r + 1]
    ]


def _run_backend(
    name: str,
    ctx: ModelContext,
    f: Formulation | None,
    time_limit_s: float,
    workers: int,
    value: NDArray[np.int64] | None = None,
    hint: NDArray[np.bool_] | None = None,
    on_incumbent: IncumbentFn | None = None,
) -> BackendResult:
    """Maximise `value` (default: the merit objective) with one backend."""
    seed = ctx.problem.policy.seed
    if name == "flow":
        return solve_flow(ctx, value)
    assert f is not None
    objective = (value, {}) if value is not None else None
    if name == "pulp":
        return solve_pulp(f, time_limit_s=time_limit_s, workers=workers, objective=objective)
    if name == "guided":
        return solve_lp_guided(
            f,
            time_limit_s=time_limit_s,
            workers=workers,
            seed=seed,
            columns=hint,
            roles=ctx.pairs.role,
            objective=objective,
            on_incumbent=on_incumbent,
        )
    return solve_cpsat(
        f,
        time_limit_s=time_limit_s,
        workers=workers,
        seed=seed,
        pair_names=_pair_names(ctx),
        hint=hint,
        objective=objective,
        on_incumbent=on_incumbent,
    )


def _flow_hint(ctx: ModelContext) -> NDArray[np.bool_] | None:
    """The capacities-only optimum, a start for the search (None if there is none)."""
    try:
        relaxed = solve_flow(ctx)
    except AssignmentError:
        return None
    return relaxed.chosen if relaxed.status.is_ok else None


def _pair_names(ctx: ModelContext) -> list[str] | None:
    """Readable variable names for CP-SAT logs and exported models, when cheap enough."""
    if ctx.pairs.size > NAMED_PAIRS_LIMIT:
        return None
    candidates, roles = ctx.problem.candidates, ctx.problem.roles
    return [
        f"assign[{candidates[c].id}|{roles[r].id}]"
        for c, r in zip(ctx.pairs.cand, ctx.pairs.role, strict=True)
    ]


def _lexicographic_flow(ctx: ModelContext, merit_choice: NDArray[np.bool_]) -> BackendResult | None:
    """Stage 2 with zero tolerance as one exact flow: merit first, then representation."""
    secondary = stage_two_value(ctx, merit_choice)
    weight = int(secondary.max(initial=0)) * ctx.arrays.n_roles + 1
    largest = float(np.abs(ctx.scores.coefficient).max(initial=0)) * weight
    if largest >= INT64_LIMIT:
        return None
    try:
        return solve_flow(ctx, ctx.scores.coefficient * weight + secondary)
    except AssignmentError:
        return None


def _tie_break_stage(
    name: str,
    ctx: ModelContext,
    f: Formulation | None,
    merit: BackendResult,
    time_limit_s: float,
    workers: int,
) -> BackendResult:
    """Maximise representation among placements within merit tolerance of the optimum.

    Pairs the merit stage's LP shows cannot reach the merit floor are left out: a
    placement within tolerance never uses them.
    """
    tolerance = ctx.problem.policy.merit_tolerance
    if name == "flow" and tolerance == 0:
        result = _lexicographic_flow(ctx, merit.chosen)
        if result is not None:
            return result
    assert merit.objective is not None
    f = f if f is not None else build_formulation(ctx)
    floor = merit_floor(merit.objective, tolerance)
    staged = f.copy()
    staged.add_row(
        np.arange(f.n_pairs),
        ctx.scores.coefficient,
        floor,
        None,
        Tag("merit", (), "merit within tolerance of its optimum"),
    )
    keep = np.ones(f.n_pairs, dtype=bool)
    if merit.pair_bound is not None:
        keep = (merit.pair_bound >= floor) | merit.chosen
    small, kept = restrict(staged, keep)
    objective = (stage_two_value(ctx, merit.chosen)[kept], {})
    hint = merit.chosen[kept]
    seed = ctx.problem.policy.seed
    if name == "pulp":
        result = solve_pulp(small, time_limit_s=time_limit_s, workers=workers, objective=objective)
    elif name == "guided":
        result = solve_lp_guided(
            small,
            time_limit_s=time_limit_s,
            workers=workers,
            seed=seed,
            hint=hint,
            roles=ctx.pairs.role[kept],
            objective=objective,
        )
    else:
        result = solve_cpsat(
            small,
            time_limit_s=time_limit_s,
            workers=workers,
            seed=seed,
            hint=hint,
            objective=objective,
        )
    chosen = np.zeros(f.n_pairs, dtype=bool)
    chosen[kept[result.chosen]] = True
    return replace(result, chosen=chosen)


def _infeasible(conflicts: list[Conflict], stats: SolverStats) -> Solution:
    return Solution(status=SolveStatus.INFEASIBLE, conflicts=conflicts, solver=stats)


def solve(
    problem: Problem,
    *,
    backend: Backend = "auto",
    time_limit_s: float | None = None,
    workers: int | None = None,
    progress: ProgressFn | None = None,
) -> Solution:
    """Best placement under every hard rule, verified; infeasibility comes back explained.

    `progress` hears of each stage, incumbent and bound while the solve runs.

    Raises:
        AssignmentError: for an unknown backend, or `flow` on a problem with side constraints.
        VerificationFailed: if a backend's answer breaks a hard rule (an engine defect).
    """
    started = time.perf_counter()
    if backend not in BACKENDS:
        raise AssignmentError(f"unknown backend '{backend}'; use one of {', '.join(BACKENDS)}")
    policy = problem.policy
    limit = time_limit_s if time_limit_s is not None else policy.time_limit_s
    threads = workers if workers is not None else policy.workers
    side = side_constraints(problem)
    if backend == "flow" and side:
        raise AssignmentError(
            "the flow backend solves capacities only; this problem has "
            f"{', '.join(side)}: use --backend auto or cpsat"
        )
    name = backend if backend != "auto" else ("flow" if not side else "guided")
    reporter = _Reporter(progress, started)
    reporter.stage_started("eligibility and scoring")

    ctx, pin_conflicts = prepare(problem)
    pairs = ctx.pairs
    stages: list[str] = []
    clock = [started]

    def stage(text: str) -> None:
        """Record what ran and how long it took, for the solver statistics."""
        now = time.perf_counter()
        stages.append(f"{text} ({now - clock[0]:.2f} s)")
        clock[0] = now

    stage(f"eligibility and scoring: {pairs.size} pairs")

    def stats(result: BackendResult | None, status: SolveStatus) -> SolverStats:
        objective = None if result is None or result.objective is None else result.objective
        return SolverStats(
            backend=result.backend if result else name,
            status=status,
            objective=None if objective is None else objective / SCALE,
            bound=None if result is None or result.bound is None else result.bound / SCALE,
            gap=None,
            wall_time_s=round(time.perf_counter() - started, 3),
            workers=threads,
            version=result.version if result else "",
            eligible_pairs=pairs.size,
            stages=stages,
        )

    conflicts = pin_conflicts + _must_fill_conflicts(ctx)
    if conflicts:
        return reporter.finished(_infeasible(conflicts, stats(None, SolveStatus.INFEASIBLE)))

    tie_break = needs_tie_break(ctx)
    f = None if name == "flow" else build_formulation(ctx)
    if f is not None:
        stage(f"model: {len(f.rows)} rows")
    deadline = started + limit * (1 - REPORT_RESERVE)
    reporter.constant = f.objective_constant if f is not None else 0
    hint = None
    if name in ("cpsat", "guided"):
        reporter.stage_started("flow relaxation as hint")
        hint = _flow_hint(ctx)
        stage("flow relaxation as hint")
    left = max(MIN_STAGE_S, deadline - time.perf_counter())
    merit_limit = left * MERIT_STAGE_SHARE if tie_break else left
    reporter.stage_started("searching")
    result = _run_backend(
        name, ctx, f, merit_limit, threads, hint=hint, on_incumbent=reporter.incumbent
    )
    reporter.incumbent(result.objective, result.bound)
    stage(f"merit: {result.backend} {result.status.value}")
    if result.status is SolveStatus.INFEASIBLE:
        reporter.stage_started("diagnosing infeasibility")
        found = diagnose(f if f is not None else build_formulation(ctx), threads)
        stage("diagnosis")
        return reporter.finished(_infeasible(found, stats(result, SolveStatus.INFEASIBLE)))
    if not result.status.is_ok:
        return reporter.finished(
            Solution(status=result.status, solver=stats(result, result.status))
        )

    constant = f.objective_constant if f is not None else 0
    notices = [TARGETS_NOTICE] if policy.diversity_mode is DiversityMode.TARGETS else []
    final, tie_breaks = result, []
    if tie_break:
        reporter.stage_started("diversity tie-break")
        second = _tie_break_stage(
            name, ctx, f, result, max(MIN_STAGE_S, deadline - time.perf_counter()), threads
        )
        stage(f"tie-break: {second.backend} {second.status.value}")
        if second.status.is_ok:
            final = second
            tie_breaks = tie_break_records(ctx, result.chosen, second.chosen)
        else:
            notices.append(TIE_BREAK_UNFINISHED)

    reporter.stage_started("reporting and verifying")
    chosen = final.chosen
    backend_used = result.backend
    if final.backend != result.backend:
        backend_used = f"{result.backend}+{final.backend}"
    merit_value = int(ctx.scores.coefficient[chosen].sum())
    objective = merit_value + (soft_penalty(f, chosen) if f is not None else 0) + constant
    bound = (result.bound + constant) if result.bound is not None else None
    status = result.status
    gap = relative_gap(objective, bound)
    if final is not result and result.objective is not None and merit_value < result.objective:
        notices.append(
            f"The tie-break stage gave up {(result.objective - merit_value) / SCALE:,.3f} points "
            f"of merit, within merit_tolerance {policy.merit_tolerance:g}."
        )
    if tie_breaks:
        notices.append(
            f"{len(tie_breaks)} placement(s) changed by the diversity tie-break "
            "among equally meritorious candidates: see tie_breaks (restricted)."
        )
    solution = Solution(
        status=status,
        objective=objective / SCALE,
        bound=None if bound is None else bound / SCALE,
        gap=gap,
        placements=placements(ctx, chosen),
        unfilled=unfilled(ctx, chosen),
        kpis=kpis(ctx, chosen),
        solver=replace_stats(stats(result, status), objective, bound, gap, backend_used),
        tie_breaks=tie_breaks,
        notices=notices,
    )
    violations = verify(problem, solution)
    if violations:
        raise VerificationFailed(
            "solution breaks hard rules: " + "; ".join(format_violation(v) for v in violations[:10])
        )
    return reporter.finished(solution)


def relative_gap(objective: float, bound: float | None) -> float | None:
    """How far the objective is below the bound, as a share of the bound (None: no bound)."""
    if bound is None:
        return None
    return round(max(0.0, bound - objective) / max(1.0, abs(bound)), 6)


def replace_stats(
    stats: SolverStats, objective: int, bound: int | None, gap: float | None, backend: str
) -> SolverStats:
    """Statistics with the objective of the returned placement and every backend used."""
    return stats.model_copy(
        update={
            "backend": backend,
            "objective": objective / SCALE,
            "bound": None if bound is None else bound / SCALE,
            "gap": gap,
        }
    )
