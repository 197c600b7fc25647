"""The numbers and tables of the HTML report, computed from a Problem and its Solution.

Demographics leave this module only as counts that pass `is_disclosive`, the disclosure rule
the engine's own KPIs use; nothing here describes one person.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matching.representation import is_disclosive
from models.candidate import Candidate
from models.common import ATTRIBUTES, Demographics
from models.organisation import Organisation
from models.package import Package
from models.problem import Problem
from models.role import Role
from models.solution import Conflict, Kpis, Placement, Representation, Solution

PLACEMENT_ROW_LIMIT = 500
BOARD_ROW_LIMIT = 25

ATTRIBUTE_LABELS = {
    "female": "Female",
    "ethnic_minority": "Ethnic minority",
    "disabled": "Disabled",
}


def percent(value: float | None, decimals: int = 1) -> str:
    """A share 0..1 as a percentage; a dash when there is nothing to measure.

    A share strictly between 0 and 1 never reads as 0% or 100%: that would say nobody or
    everybody, which for a named group discloses each member.
    """
    if value is None:
        return "–"
    shown, step = 100 * value, 10.0**-decimals
    if 0 < value < 1 and round(shown, decimals) in (0, 100):
        return f"<{step:.{decimals}f}%" if shown < 50 else f">{100 - step:.{decimals}f}%"
    return f"{shown:.{decimals}f}%"


def money(value: int | None) -> str:
    """Whole pounds with thousands separators; no value means no limit."""
    return "unlimited" if value is None else f"£{value:,}"


def number(value: float | None, decimals: int = 1) -> str:
    """A measure with fixed decimals; a dash when absent."""
    return "–" if value is None else f"{value:,.{decimals}f}"


@dataclass(frozen=True)
class Header:
    """What was solved and how the solver fared."""

    title: str
    subtitle: str
    status: str
    status_ok: bool
    objective: float | None
    bound: float | None
    gap: float | None
    wall_time_s: float | None
    backend: str | None
    notices: list[str]
    organisations: int
    roles: int
    candidates: int


@dataclass(frozen=True)
class KpiCard:
    """One headline figure."""

    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class FillBar:
    """Roles filled in one group (a region, challenged organisations, difficult roles)."""

    label: str
    group: str
    filled: int
    roles: int

    @property
    def rate(self) -> float:
        """Filled / roles (0 for an empty group)."""
        return self.filled / self.roles if self.roles else 0.0


@dataclass(frozen=True)
class PackageSpend:
    """Placements made with one package and what they cost."""

    package_id: str
    name: str
    cost: int
    placements: int
    spend: int


@dataclass(frozen=True)
class Spend:
    """Package spend by package against the budget."""

    by_package: list[PackageSpend]
    total: int
    budget: int | None

    @property
    def used(self) -> float | None:
        """Share of the budget spent; None when the budget is unlimited or zero."""
        return self.total / self.budget if self.budget else None


@dataclass(frozen=True)
class SkillColumn:
    """A skill at the level some board requirement names."""

    skill: str
    level: int

    @property
    def label(self) -> str:
        """e.g. 'finance ≥ 4'."""
        return f"{self.skill.replace('_', ' ')} ≥ {self.level}"


@dataclass(frozen=True)
class BoardRow:
    """One board: members at or above each column's level before and after the round."""

    organisation_id: str
    name: str
    placed: int
    before: list[int]
    after: list[int]
    need: list[int | None]


@dataclass(frozen=True)
class RequirementMet:
    """How many boards meet one kind of requirement before and after the round."""

    column: SkillColumn
    boards: int
    met_before: int
    met_after: int


@dataclass(frozen=True)
class BoardSkills:
    """The board skills matrix of the round's busiest boards, and requirements met."""

    columns: list[SkillColumn]
    rows: list[BoardRow]
    boards_with_roles: int
    requirements: list[RequirementMet]


@dataclass(frozen=True)
class Share:
    """People with an attribute among those whose attribute is known; None when suppressed."""

    known: int | None
    with_attribute: int | None

    @property
    def suppressed(self) -> bool:
        """Counts are withheld because they could identify someone."""
        return self.known is None

    @property
    def share(self) -> float | None:
        """with_attribute / known, when shown and not empty."""
        if self.known is None or self.with_attribute is None or self.known == 0:
            return None
        return self.with_attribute / self.known


SUPPRESSED = Share(known=None, with_attribute=None)


@dataclass(frozen=True)
class BoardRepresentation:
    """Board membership with an attribute before and after the round, against the community."""

    scope: str
    unit: str
    attribute: str
    before: Share
    after: Share
    community: float | None


@dataclass(frozen=True)
class KpiRepresentation:
    """The engine's representation entries that can be shown together, and what was held back."""

    rows: list[Representation]
    regions_withheld: list[str]
    boards_hidden: int


@dataclass(frozen=True)
class PlacementRow:
    """One placement as the placements table shows it."""

    candidate_id: str
    role_id: str
    title: str
    organisation: str
    region: str
    package: str
    cost: int
    relocation: bool
    distance_km: float
    score: float


@dataclass(frozen=True)
class UnfilledRow:
    """One empty role and why."""

    role_id: str
    title: str
    organisation: str
    code: str
    reason: str


@dataclass(frozen=True)
class ReportContent:
    """Everything the page shows, ready for the template and the plots."""

    header: Header
    cards: list[KpiCard]
    fill: list[FillBar]
    spend: Spend
    board_round: bool
    board_skills: BoardSkills
    board_representation: list[BoardRepresentation]
    regions_withheld: list[str]
    kpi_representation: KpiRepresentation
    placements: list[PlacementRow]
    placements_total: int
    unfilled: list[UnfilledRow]
    unfilled_by_code: list[tuple[str, int]]
    conflicts: list[Conflict]
    disclosure_threshold: int


def header(problem: Problem, solution: Solution, title: str, subtitle: str) -> Header:
    """Status, objective, bound, gap and solver figures, with the problem's size."""
    stats = solution.solver
    return Header(
        title=title,
        subtitle=subtitle,
        status=solution.status.value,
        status_ok=solution.status.is_ok,
        objective=solution.objective,
        bound=solution.bound,
        gap=solution.gap,
        wall_time_s=None if stats is None else stats.wall_time_s,
        backend=None if stats is None else stats.backend,
        notices=list(solution.notices),
        organisations=len(problem.organisations),
        roles=len(problem.roles),
        candidates=len(problem.candidates),
    )


def kpi_cards(kpis: Kpis | None) -> list[KpiCard]:
    """The headline cards; none when the solve produced no KPIs."""
    if kpis is None:
        return []
    if kpis.budget is None:
        spend_detail = "no budget limit"
    else:
        spend_detail = f"of {money(kpis.budget)}"
        if kpis.budget:
            spend_detail += f" ({percent(kpis.spend / kpis.budget)} used)"
    return [
        KpiCard("Roles", f"{kpis.roles:,}"),
        KpiCard("Filled", f"{kpis.filled:,}", f"{kpis.roles - kpis.filled:,} left empty"),
        KpiCard("Fill rate", percent(kpis.fill_rate)),
        KpiCard("Fill rate, challenged organisations", percent(kpis.fill_rate_challenged)),
        KpiCard("Fill rate, difficult-to-recruit roles", percent(kpis.fill_rate_difficult)),
        KpiCard("Spend", money(kpis.spend), spend_detail),
        KpiCard("Relocations", f"{kpis.relocations:,}"),
        KpiCard("Mean fit", number(kpis.mean_fit), "score 0–100"),
        KpiCard("Mean distance", f"{number(kpis.mean_distance_km)} km", "home to organisation"),
    ]


def _fill_bar(label: str, group: str, roles: Iterable[Role], filled: set[str]) -> FillBar:
    ids = [r.id for r in roles]
    return FillBar(label, group, sum(i in filled for i in ids), len(ids))


def fill_bars(problem: Problem, solution: Solution) -> list[FillBar]:
    """Fill overall, per region, at challenged organisations and of difficult roles."""
    orgs = {o.id: o for o in problem.organisations}
    filled = {p.role_id for p in solution.placements}
    by_region: dict[str, list[Role]] = defaultdict(list)
    for role in problem.roles:
        by_region[orgs[role.organisation_id].region].append(role)
    challenged = [r for r in problem.roles if orgs[r.organisation_id].is_challenged]
    difficult = [r for r in problem.roles if r.difficult_to_recruit]
    bars = [_fill_bar("All roles", "all", problem.roles, filled)]
    bars += [_fill_bar(region, "region", by_region[region], filled) for region in sorted(by_region)]
    if challenged:
        bars.append(_fill_bar("Challenged organisations", "challenged", challenged, filled))
    if difficult:
        bars.append(_fill_bar("Difficult-to-recruit roles", "difficult", difficult, filled))
    return bars


def spend(problem: Problem, solution: Solution) -> Spend:
    """Spend of each package used, in the order the problem lists packages."""
    used = Counter(p.package_id for p in solution.placements)
    by_package = [
        PackageSpend(p.id, p.name or p.id, p.cost, used[p.id], used[p.id] * p.cost)
        for p in problem.effective_packages
        if used[p.id]
    ]
    return Spend(by_package, sum(s.spend for s in by_package), problem.policy.budget)


def is_board_round(problem: Problem, solution: Solution) -> bool:
    """Some board has requirements, or the round fills a board-level role."""
    roles = {r.id: r for r in problem.roles}
    return any(o.board_requirements for o in problem.organisations) or any(
        roles[p.role_id].is_board_level for p in solution.placements
    )


def _board_placed(problem: Problem, solution: Solution) -> dict[str, list[Candidate]]:
    """Candidates placed in each organisation's board-level roles."""
    roles = {r.id: r for r in problem.roles}
    candidates = {c.id: c for c in problem.candidates}
    placed: dict[str, list[Candidate]] = defaultdict(list)
    for p in solution.placements:
        role = roles[p.role_id]
        if role.is_board_level:
            placed[role.organisation_id].append(candidates[p.candidate_id])
    return placed


def _holding(skill_sets: Iterable[dict[str, int]], column: SkillColumn) -> int:
    return sum(skills.get(column.skill, 0) >= column.level for skills in skill_sets)


def _needs(org: Organisation) -> dict[SkillColumn, int]:
    needs: dict[SkillColumn, int] = {}
    for req in org.board_requirements:
        column = SkillColumn(req.skill, req.level)
        needs[column] = max(needs.get(column, 0), req.min_members)
    return needs


def _board_row(
    org: Organisation, placed: Sequence[Candidate], columns: Sequence[SkillColumn]
) -> BoardRow:
    existing = [m.skills for m in org.board]
    joined = existing + [c.skills for c in placed]
    needs = _needs(org)
    return BoardRow(
        organisation_id=org.id,
        name=org.name,
        placed=len(placed),
        before=[_holding(existing, col) for col in columns],
        after=[_holding(joined, col) for col in columns],
        need=[needs.get(col) for col in columns],
    )


def _requirements_met(
    orgs: Sequence[Organisation],
    placed: dict[str, list[Candidate]],
    columns: Sequence[SkillColumn],
) -> list[RequirementMet]:
    tally = {col: [0, 0, 0] for col in columns}
    for org in orgs:
        needs = _needs(org)
        if not needs:
            continue
        row = _board_row(org, placed.get(org.id, []), columns)
        for i, col in enumerate(columns):
            if col in needs:
                counts = tally[col]
                counts[0] += 1
                counts[1] += row.before[i] >= needs[col]
                counts[2] += row.after[i] >= needs[col]
    return [RequirementMet(col, *tally[col]) for col in columns]


def board_skills(problem: Problem, solution: Solution, limit: int = BOARD_ROW_LIMIT) -> BoardSkills:
    """Skills matrix of the boards with board-level roles, those with most placements first."""
    placed = _board_placed(problem, solution)
    columns = sorted(
        {
            SkillColumn(r.skill, r.level)
            for o in problem.organisations
            for r in o.board_requirements
        },
        key=lambda col: (col.skill, col.level),
    )
    with_roles = {r.organisation_id for r in problem.roles if r.is_board_level}
    orgs = sorted(
        (o for o in problem.organisations if o.id in with_roles),
        key=lambda o: (-len(placed.get(o.id, [])), o.name),
    )
    return BoardSkills(
        columns=columns,
        rows=[_board_row(o, placed.get(o.id, []), columns) for o in orgs[:limit]],
        boards_with_roles=len(orgs),
        requirements=_requirements_met(problem.organisations, placed, columns),
    )


def _tally(people: Iterable[Demographics | None], attribute: str) -> tuple[int, int]:
    """(known, with attribute); people whose attribute is unknown are left out."""
    known = with_attribute = 0
    for demographics in people:
        value = None if demographics is None else demographics.has(attribute)
        if value is not None:
            known += 1
            with_attribute += value
    return known, with_attribute


def _before_after(
    existing: tuple[int, int], added: tuple[int, int], joined: int, threshold: int
) -> tuple[Share, Share]:
    """Shares before and after, each withheld if it, or the difference between them, is small.

    After minus before is the group of people who joined (`joined` of them, `added` their
    tally), whose names the placements table gives; so once anyone joins, the after figure
    also needs that group to pass, even when none of them disclosed the attribute.
    """
    after = (existing[0] + added[0], existing[1] + added[1])
    before_share = SUPPRESSED if is_disclosive(*existing, threshold) else Share(*existing)
    hidden = is_disclosive(*after, threshold) or (joined > 0 and is_disclosive(*added, threshold))
    return before_share, SUPPRESSED if hidden else Share(*after)


def _community(orgs: Sequence[Organisation], attribute: str) -> float | None:
    """Mean community share of the organisations, rounded as the engine's KPIs round it."""
    values = [o.community[attribute] for o in orgs if attribute in o.community]
    return round(sum(values) / len(values), 4) if values else None


def _newcomers(orgs: Sequence[Organisation], placed: dict[str, list[Candidate]]) -> list[Candidate]:
    """The people placed on these boards, each once: one person may sit on two boards."""
    return list({c.id: c for o in orgs for c in placed.get(o.id, [])}.values())


def _counted_twice(groups: Iterable[Sequence[Candidate]]) -> list[Candidate]:
    """People in more than one group, once per extra group: the sum of the groups less the whole."""
    seen: set[str] = set()
    extra = []
    for group in groups:
        for person in group:
            if person.id in seen:
                extra.append(person)
            seen.add(person.id)
    return extra


def _unit_representation(
    scope: str,
    unit: str,
    orgs: Sequence[Organisation],
    newcomers: Sequence[Candidate],
    threshold: int,
) -> list[BoardRepresentation]:
    members = [m.demographics for o in orgs for m in o.board]
    joined = [c.demographics for c in newcomers]
    rows = []
    for attribute in ATTRIBUTES:
        before, after = _before_after(
            _tally(members, attribute), _tally(joined, attribute), len(joined), threshold
        )
        rows.append(
            BoardRepresentation(scope, unit, attribute, before, after, _community(orgs, attribute))
        )
    return rows


def board_representation(
    problem: Problem, solution: Solution
) -> tuple[list[BoardRepresentation], list[str]]:
    """Board representation overall, and per region for each attribute every region can show.

    Returns the rows and the attributes whose per-region rows were withheld: showing some
    regions while suppressing one would let a reader recover it from the total by subtraction,
    and when someone joins boards in two regions, the regions' sum less the total isolates the
    people counted twice, so that group must pass the threshold too.
    """
    threshold = problem.policy.disclosure_threshold
    placed = _board_placed(problem, solution)
    rows = _unit_representation(
        "all", "all", problem.organisations, _newcomers(problem.organisations, placed), threshold
    )
    regions: dict[str, list[Organisation]] = defaultdict(list)
    for org in problem.organisations:
        regions[org.region].append(org)
    if len(regions) < 2:
        return rows, []
    newcomers = {region: _newcomers(regions[region], placed) for region in sorted(regions)}
    twice = [c.demographics for c in _counted_twice(newcomers.values())]
    regional = [
        row
        for region, people in newcomers.items()
        for row in _unit_representation("region", region, regions[region], people, threshold)
    ]
    withheld = [
        attribute
        for attribute in ATTRIBUTES
        if any(
            row.before.suppressed or row.after.suppressed
            for row in regional
            if row.attribute == attribute
        )
        or (twice and is_disclosive(*_tally(twice, attribute), threshold))
    ]
    for attribute in ATTRIBUTES:
        if attribute not in withheld:
            rows += [row for row in regional if row.attribute == attribute]
    return rows, withheld


def _parts_disclosive(
    whole: Representation, parts: Sequence[Representation], threshold: int
) -> bool:
    """Some part is suppressed, or the whole less the sum of the parts is a small group.

    Parts may overlap (a person placed in two regions, or on two boards, counts in each) or
    leave people out (placements below board level), so their difference from the whole is
    a group of people in its own right.
    """
    if whole.placed is None or whole.with_attribute is None:
        return True
    placed = -whole.placed
    with_attribute = -whole.with_attribute
    for part in parts:
        if part.placed is None or part.with_attribute is None:
            return True
        placed += part.placed
        with_attribute += part.with_attribute
    if placed == 0 and with_attribute == 0:
        return False
    return is_disclosive(abs(placed), abs(with_attribute), threshold)


def kpi_representation(problem: Problem, solution: Solution) -> KpiRepresentation:
    """The engine's representation entries, with regions and boards shown all or none.

    For each attribute, per-region entries are shown only when every region passes and the
    regions together with the overall entry isolate no small group (a lone region repeats the
    overall entry, so it stands as it is); board entries likewise against the overall entry
    and each region shown. Hidden board entries are counted rather
    than listed: one row per board would bury the figures that can be shown.
    """
    kpis = solution.kpis
    if kpis is None:
        return KpiRepresentation([], [], 0)
    threshold = problem.policy.disclosure_threshold
    org_region = {o.id: o.region for o in problem.organisations}
    rows: list[Representation] = []
    regions_withheld: list[str] = []
    boards_hidden = 0
    for attribute in dict.fromkeys(e.attribute for e in kpis.representation):
        entries = [e for e in kpis.representation if e.attribute == attribute]
        (overall,) = [e for e in entries if e.scope == "all"]
        regions = [e for e in entries if e.scope == "region"]
        boards = [e for e in entries if e.scope == "board"]
        rows.append(overall)
        wholes = [(overall, boards)]
        if len(regions) > 1 and _parts_disclosive(overall, regions, threshold):
            regions_withheld.append(attribute)
        else:
            rows += regions
            wholes += [
                (region, [b for b in boards if org_region.get(b.unit) == region.unit])
                for region in regions
            ]
        if any(_parts_disclosive(whole, parts, threshold) for whole, parts in wholes):
            boards_hidden += len(boards)
        else:
            rows += boards
    return KpiRepresentation(rows, regions_withheld, boards_hidden)


def _placement_row(
    p: Placement,
    roles: dict[str, Role],
    orgs: dict[str, Organisation],
    packages: dict[str, Package],
) -> PlacementRow:
    role = roles[p.role_id]
    org = orgs[role.organisation_id]
    package = packages[p.package_id]
    return PlacementRow(
        candidate_id=p.candidate_id,
        role_id=p.role_id,
        title=role.title,
        organisation=org.name,
        region=org.region,
        package=package.name or package.id,
        cost=package.cost,
        relocation=p.relocation,
        distance_km=p.distance_km,
        score=p.score,
    )


def placement_rows(
    problem: Problem, solution: Solution, limit: int = PLACEMENT_ROW_LIMIT
) -> list[PlacementRow]:
    """The first `limit` placements, by organisation then role."""
    roles = {r.id: r for r in problem.roles}
    orgs = {o.id: o for o in problem.organisations}
    packages = {p.id: p for p in problem.effective_packages}
    rows = [_placement_row(p, roles, orgs, packages) for p in solution.placements]
    rows.sort(key=lambda row: (row.organisation, row.role_id))
    return rows[:limit]


def unfilled_rows(problem: Problem, solution: Solution) -> list[UnfilledRow]:
    """Each empty role with its title, organisation, reason code and reason."""
    roles = {r.id: r for r in problem.roles}
    orgs = {o.id: o for o in problem.organisations}
    return [
        UnfilledRow(
            role_id=u.role_id,
            title=roles[u.role_id].title,
            organisation=orgs[roles[u.role_id].organisation_id].name,
            code=u.code,
            reason=u.reason,
        )
        for u in solution.unfilled
    ]


def report_content(
    problem: Problem, solution: Solution, *, title: str, subtitle: str = ""
) -> ReportContent:
    """Every figure and table of the report."""
    board_rows, regions_withheld = board_representation(problem, solution)
    return ReportContent(
        header=header(problem, solution, title, subtitle),
        cards=kpi_cards(solution.kpis),
        fill=fill_bars(problem, solution),
        spend=spend(problem, solution),
        board_round=is_board_round(problem, solution),
        board_skills=board_skills(problem, solution),
        board_representation=board_rows,
        regions_withheld=regions_withheld,
        kpi_representation=kpi_representation(problem, solution),
        placements=placement_rows(problem, solution),
        placements_total=len(solution.placements),
        unfilled=unfilled_rows(problem, solution),
        unfilled_by_code=Counter(u.code for u in solution.unfilled).most_common(),
        conflicts=list(solution.conflicts),
        disclosure_threshold=problem.policy.disclosure_threshold,
    )
