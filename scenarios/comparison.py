"""Side-by-side measures of several solutions and the placements that differ between them."""

from dataclasses import asdict, dataclass

from rich.table import Table
from rich.text import Text

from models.problem import Problem
from models.solution import Solution
from scenarios.summary import measures

NOBODY = "-"


@dataclass(frozen=True)
class Change:
    """A role whose holder differs between the reference column and another."""

    role_id: str
    organisation_id: str
    title: str
    before: str
    after: str


def measure_table(labels: list[str], solutions: list[Solution], title: str) -> Table:
    """One row per measure, one column per solution; a measure a column lacks shows '-'."""
    rows: dict[str, dict[str, str]] = {}
    for label, solution in zip(labels, solutions, strict=True):
        for measure, value in measures(solution):
            rows.setdefault(measure, {})[label] = value
    table = Table(title=Text(title))
    table.add_column("measure", style="bold")
    for label in labels:
        table.add_column(Text(label), overflow="fold")
    for measure, values in rows.items():
        table.add_row(Text(measure), *(Text(values.get(label, "-")) for label in labels))
    return table


def _holders(solution: Solution) -> dict[str, str]:
    return {p.role_id: p.candidate_id for p in solution.placements}


def placement_changes(
    problems: tuple[Problem, Problem], reference: Solution, other: Solution
) -> list[Change]:
    """Roles filled by someone else, newly filled or left empty, in role order."""
    roles = {r.id: r for problem in problems for r in problem.roles}
    before, after = _holders(reference), _holders(other)
    changes = []
    for role_id in sorted(set(before) | set(after)):
        was, now = before.get(role_id, NOBODY), after.get(role_id, NOBODY)
        if was != now:
            role = roles.get(role_id)
            org = role.organisation_id if role else ""
            changes.append(Change(role_id, org, role.title if role else "", was, now))
    return changes


def changes_table(label: str, reference_label: str, changes: list[Change], show: int) -> Table:
    """The first `show` changes of one column against the reference column."""
    title = f"{label}: {len(changes)} placement(s) differ from {reference_label}"
    table = Table(title=Text(title))
    for name in ("role", "organisation", "title", reference_label, label):
        table.add_column(Text(name), overflow="fold")
    for c in changes[:show]:
        table.add_row(
            *(Text(v) for v in (c.role_id, c.organisation_id, c.title, c.before, c.after))
        )
    if len(changes) > show:
        table.caption = f"... and {len(changes) - show} more (see --out)"
    return table


def change_records(changes: list[Change]) -> list[dict[str, str]]:
    """Changes as plain records for JSON and CSV output."""
    return [asdict(change) for change in changes]
