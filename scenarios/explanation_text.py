"""Explanations and recommendations as readable terminal text.

Ids and reasons come from the user's data, so every piece of it goes out as Text: never read
as markup or emoji.
"""

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from models.explanation import (
    Alternative,
    CandidateExplanation,
    Change,
    ConflictExplanation,
    Explanation,
    PlacementExplanation,
    Recommendation,
    UnfilledExplanation,
)

INDENT = (0, 0, 0, 2)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.3f}"


def _objective(value: float | None) -> str:
    return "" if value is None else f", objective {value:,.3f}"


def _change(value: float) -> str:
    return f"{value:+,.3f}"


def _counts(counts: dict[str, int]) -> str:
    """`H3 25, H4 4`, largest first; `none` when empty."""
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return ", ".join(f"{rule} {n}" for rule, n in ranked) or "none"


def change_line(change: Change) -> str:
    """`R7: C1 -> empty`."""
    return f"{change.role_id}: {change.before or 'empty'} -> {change.after or 'empty'}"


def _indented(*lines: RenderableType) -> Padding:
    return Padding(Group(*lines), INDENT)


def _alternative(label: str, alt: Alternative) -> RenderableType:
    """One alternative: who, its objective and change, and every other role that moves."""
    proven = "proven" if alt.proven else "not proven (time limit)"
    head = Text(
        f"{label}: {alt.candidate_id} in {alt.role_id} (package {alt.package_id}, fit "
        f"{alt.score:g}, worth {alt.value:g}); objective {_number(alt.objective)} "
        f"({_change(alt.objective_change)}), {proven}"
    )
    if not alt.changes:
        return Group(head, _indented(Text("no other role changes")))
    changes = [Text(change_line(c)) for c in alt.changes]
    return Group(head, _indented(Text(f"{len(alt.changes)} other change(s):"), *changes))


def _placement(item: PlacementExplanation) -> RenderableType:
    p = item.placement
    # + 0.0 turns -0.0 into 0.0.
    breakdown = " · ".join(f"{name} {value + 0.0:g}" for name, value in p.breakdown.items())
    lines: list[RenderableType] = [Text(item.reason), Text(f"score: {breakdown}")]
    if item.runner_up is not None:
        lines.append(_alternative("runner-up", item.runner_up))
    return Group(Text(f"{p.candidate_id} in {p.role_id}", style="bold"), _indented(*lines), Text())


def _unfilled(item: UnfilledExplanation) -> RenderableType:
    lines: list[RenderableType] = [
        Text(item.reason),
        Text(f"eligible: {item.eligible}; excluded by rule: {_counts(item.excluded)}"),
    ]
    if item.best_fill is not None:
        lines.append(_alternative("best fill", item.best_fill))
    title = Text.assemble((item.role_id, "bold"), f" is empty: {item.code}")
    return Group(title, _indented(*lines), Text())


def _candidate(item: CandidateExplanation) -> RenderableType:
    lines: list[RenderableType] = [
        Text(item.reason),
        Text(
            f"eligible for {item.eligible_roles} role(s); excluded by rule: "
            f"{_counts(item.excluded)}"
        ),
    ]
    lines.extend(_placement(p) for p in item.placements)
    if item.best_other is not None:
        lines.append(_alternative("best other role", item.best_other))
    return Group(Text(item.candidate_id, style="bold"), _indented(*lines), Text())


def _conflict(item: ConflictExplanation) -> RenderableType:
    c = item.conflict
    title = Text.assemble(("conflict ", "red"), f"{c.rule} {', '.join(c.records)}: {c.message}")
    lines: list[RenderableType] = []
    for rank, r in enumerate(item.relaxations, start=1):
        outcome = r.status.value
        if r.status.is_ok:
            outcome += f", objective {_number(r.objective)}, fills {r.filled} role(s)"
        lines.append(Text(f"{rank}. {r.suggestion}: {outcome}"))
    if item.note:
        lines.append(Text(f"note: {item.note}"))
    return Group(title, _indented(*lines), Text())


def _section(title: str, items: list[RenderableType]) -> list[RenderableType]:
    if not items:
        return []
    return [Rule(Text(f"{title} ({len(items)})"), align="left"), *items]


def _notices(notices: list[str]) -> list[RenderableType]:
    return [Text.assemble(("notice ", "yellow"), notice) for notice in notices]


def print_explanation(explanation: Explanation, console: Console) -> None:
    """A header with status and objective, then each placement, empty role, candidate and
    conflict explained, then the notices."""
    e = explanation
    console.print(Text(f"Explanation: {e.status.value}{_objective(e.objective)}", style="bold"))
    for part in (
        *_section("Placements", [_placement(p) for p in e.placements]),
        *_section("Unfilled roles", [_unfilled(u) for u in e.unfilled]),
        *_section("Candidates", [_candidate(c) for c in e.candidates]),
        *_section("Conflicts", [_conflict(c) for c in e.conflicts]),
        *_notices(e.notices),
    ):
        console.print(part)


def recommendation_table(recommendation: Recommendation) -> Table:
    """The recommended candidates, best first."""
    r = recommendation
    table = Table(
        title=Text(
            f"Best candidates for {r.role_id} ({r.eligible} eligible; objective now "
            f"{_number(r.objective)})"
        )
    )
    table.add_column("rank", justify="right")
    table.add_column("candidate")
    table.add_column("package")
    for column in ("fit", "objective", "change", "other changes"):
        table.add_column(column, justify="right")
    table.add_column("proven")
    for rank, alt in enumerate(r.candidates, start=1):
        table.add_row(
            str(rank),
            Text(alt.candidate_id),
            Text(alt.package_id),
            f"{alt.score:g}",
            _number(alt.objective),
            _change(alt.objective_change),
            str(len(alt.changes)),
            "yes" if alt.proven else "no",
        )
    return table


def print_recommendation(recommendation: Recommendation, console: Console) -> None:
    """The table, then the other roles each recommendation moves, then the notices."""
    if recommendation.eligible == 0:
        console.print(Text(f"No candidate is eligible for {recommendation.role_id}."))
    elif recommendation.candidates:
        console.print(recommendation_table(recommendation))
    for rank, alt in enumerate(recommendation.candidates, start=1):
        moves = "; ".join(change_line(c) for c in alt.changes) or "no other role changes"
        console.print(Text(f"{rank}. {alt.candidate_id}: {moves}"))
    for notice in _notices(recommendation.notices):
        console.print(notice)
