"""Turn chosen pairs into a Solution: placements with breakdowns, unfilled reasons, KPIs."""

import numpy as np
from numpy.typing import NDArray

from matching.context import ModelContext
from matching.eligibility import REASON_TEXT, REASONS
from matching.representation import representation
from matching.scoring import FIT_COMPONENTS, SCALE
from models.solution import Kpis, Placement, Unfilled

DECIMALS = 3
#: Candidates named in an unfilled role's reason.
NAMED_CANDIDATES = 5


def placements(ctx: ModelContext, chosen: NDArray[np.bool_]) -> list[Placement]:
    """One Placement per chosen pair, with its fit components and weighted terms."""
    problem, pairs, scores = ctx.problem, ctx.pairs, ctx.scores
    packages = problem.effective_packages
    result = []
    for k in np.flatnonzero(chosen):
        if scores.external[k]:
            breakdown = {"external_score": float(scores.fit[k])}
        else:
            breakdown = {
                name: round(float(scores.components[name][k]), DECIMALS) for name in FIT_COMPONENTS
            }
        breakdown |= {
            f"term_{name}": round(float(v[k]), DECIMALS) for name, v in scores.terms.items()
        }
        breakdown["value"] = scores.coefficient[k] / SCALE
        result.append(
            Placement(
                candidate_id=problem.candidates[pairs.cand[k]].id,
                role_id=problem.roles[pairs.role[k]].id,
                package_id=packages[pairs.package[k]].id,
                score=float(scores.fit[k]),
                breakdown=breakdown,
                relocation=bool(pairs.relocation[k]),
                distance_km=round(float(pairs.distance[k]), DECIMALS),
            )
        )
    return result


def exclusion_summary(ctx: ModelContext, role: int) -> str:
    """How many candidates each rule excluded from one role, largest first."""
    counts = ctx.pairs.exclusions[role]
    parts = [(int(counts[i]), REASON_TEXT[reason]) for i, reason in enumerate(REASONS) if counts[i]]
    parts.sort(key=lambda item: -item[0])
    return ", ".join(f"{n} {text}" for n, text in parts)


def unfilled_reason(
    ctx: ModelContext, role: int, chosen: NDArray[np.bool_], spend: int, seats: NDArray[np.int64]
) -> tuple[str, str]:
    """Code and readable reason of one empty role, from eligibility and the chosen pairs
    (`seats`: candidate * n_organisations + organisation of each chosen pair)."""
    pairs = ctx.pairs_of_role(role)
    n_cands = ctx.arrays.n_candidates
    if pairs.size == 0:
        return "no_eligible_candidate", (
            f"no eligible candidate among {n_cands}: {exclusion_summary(ctx, role)}"
        )
    value = ctx.scores.coefficient[pairs]
    if np.all(value <= 0):
        return "not_worth_filling", (
            f"none of the {pairs.size} eligible candidates would raise the objective "
            f"(best value {value.max() / SCALE:.2f}: distance, relocation or package cost "
            "outweigh fit and bonuses)"
        )
    load = np.bincount(ctx.pairs.cand[chosen], minlength=n_cands)
    cands = ctx.pairs.cand[pairs]
    # A candidate placed at this organisation already is not free for it (H2).
    seated = np.isin(cands * ctx.arrays.n_organisations + ctx.arrays.role_org[role], seats)
    free = (load[cands] < ctx.arrays.cand_capacity[cands]) & ~seated
    budget = ctx.problem.policy.budget
    if budget is not None and np.any(free):
        cheapest = int(ctx.pairs.cost[pairs][free].min())
        if cheapest > budget - spend:
            return "budget", (
                f"every free eligible candidate needs a package (cheapest £{cheapest:,}); "
                f"£{budget - spend:,} of the £{budget:,} budget is left"
            )
    if not np.any(free):
        return "outcompeted", (
            f"all {pairs.size} eligible candidates are placed in roles where they add at least "
            "as much: " + _where_placed(ctx, np.unique(cands), chosen)
        )
    return "constraints", (
        f"{int(free.sum())} of {pairs.size} eligible candidates are free, but placing one "
        "breaks a side rule (H11-H13) or lowers the objective overall"
    )


def _where_placed(ctx: ModelContext, cands: NDArray[np.int64], chosen: NDArray[np.bool_]) -> str:
    """'C1 in R4, C2 in R9 and R12' for the first few candidates, naming their placements."""
    problem, pairs = ctx.problem, ctx.pairs
    named = []
    for c in cands[:NAMED_CANDIDATES]:
        roles = pairs.role[chosen & (pairs.cand == c)]
        named.append(
            f"{problem.candidates[c].id} in {' and '.join(problem.roles[r].id for r in roles)}"
        )
    more = f" and {cands.size - NAMED_CANDIDATES} more" if cands.size > NAMED_CANDIDATES else ""
    return ", ".join(named) + more


def spend_and_seats(ctx: ModelContext, chosen: NDArray[np.bool_]) -> tuple[int, NDArray[np.int64]]:
    """Package spend of the chosen pairs, and their seats (candidate * n_organisations +
    organisation), as `unfilled_reason` takes them."""
    pairs = ctx.pairs
    seats = (
        pairs.cand[chosen] * ctx.arrays.n_organisations + ctx.arrays.role_org[pairs.role[chosen]]
    )
    return int(pairs.cost[chosen].sum()), seats


def unfilled(ctx: ModelContext, chosen: NDArray[np.bool_]) -> list[Unfilled]:
    """Each empty role with a reason and the numbers behind it."""
    filled = np.zeros(ctx.arrays.n_roles, dtype=bool)
    filled[ctx.pairs.role[chosen]] = True
    spend, seats = spend_and_seats(ctx, chosen)
    result = []
    for r in np.flatnonzero(~filled):
        code, reason = unfilled_reason(ctx, int(r), chosen, spend, seats)
        result.append(Unfilled(role_id=ctx.problem.roles[r].id, code=code, reason=reason))
    return result


def _rate(filled: NDArray[np.bool_], mask: NDArray[np.bool_]) -> float | None:
    return round(float(filled[mask].mean()), 4) if mask.any() else None


def kpis(ctx: ModelContext, chosen: NDArray[np.bool_]) -> Kpis:
    """Fill rates, spend, relocations, mean fit, representation and drawn counts."""
    a, pairs, problem = ctx.arrays, ctx.pairs, ctx.problem
    filled = np.zeros(a.n_roles, dtype=bool)
    filled[pairs.role[chosen]] = True
    placed_cand, placed_role = pairs.cand[chosen], pairs.role[chosen]
    drawn: dict[str, int] = {}
    for c in np.unique(placed_cand):
        org = problem.candidates[c].current_organisation_id
        if org is not None:
            drawn[org] = drawn.get(org, 0) + 1
    fits = ctx.scores.fit[chosen]
    return Kpis(
        roles=a.n_roles,
        filled=int(filled.sum()),
        fill_rate=round(float(filled.mean()), 4) if a.n_roles else 0.0,
        fill_rate_challenged=_rate(filled, a.org_challenged[a.role_org]),
        fill_rate_difficult=_rate(filled, a.role_difficult),
        spend=int(pairs.cost[chosen].sum()),
        budget=problem.policy.budget,
        relocations=int(pairs.relocation[chosen].sum()),
        mean_fit=round(float(fits.mean()), 3) if fits.size else None,
        mean_distance_km=round(float(pairs.distance[chosen].mean()), 3) if fits.size else None,
        representation=representation(
            a, placed_cand, placed_role, np.arange(a.n_candidates, dtype=np.int64)
        ),
        drawn_per_organisation=dict(sorted(drawn.items())),
    )
