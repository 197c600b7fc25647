"""Figures of the HTML report on tiny hand-made rounds: board skills, suppression, tables."""

from typing import Any

from models.common import Demographics
from models.organisation import BoardMember
from models.solution import (
    Conflict,
    Kpis,
    Placement,
    Representation,
    Solution,
    SolveStatus,
    Unfilled,
)
from scenarios.report import render_report
from scenarios.report.content import (
    SUPPRESSED,
    Share,
    board_representation,
    board_skills,
    fill_bars,
    kpi_cards,
    kpi_representation,
    percent,
    placement_rows,
    spend,
)
from tests.factories import (
    make_candidate,
    make_org,
    make_package,
    make_problem,
    make_role,
    requirement,
)

FEMALE = Demographics(sex="female", ethnic_minority=False, disabled=False)
MALE = Demographics(sex="male", ethnic_minority=False, disabled=False)
UNKNOWN = Demographics(sex="prefer_not_to_say")
DISABLED_MALE = Demographics(sex="male", ethnic_minority=False, disabled=True)


def _placed(cand_id: str, role_id: str, package_id: str = "none") -> Placement:
    return Placement(
        candidate_id=cand_id,
        role_id=role_id,
        package_id=package_id,
        score=10.0,
        breakdown={},
        relocation=False,
        distance_km=0.0,
    )


def _solution(*placements: Placement, **fields: Any) -> Solution:
    return Solution(status=SolveStatus.OPTIMAL, placements=list(placements), **fields)


def _members(
    finance_levels: list[int], demographics: list[Demographics | None] | None = None
) -> list[BoardMember]:
    people = demographics or [None] * len(finance_levels)
    return [
        BoardMember(skills={"finance": level}, demographics=person)
        for level, person in zip(finance_levels, people, strict=True)
    ]


def _board_problem():
    """O1 needs three finance-4 members and has two; O2 meets its need already."""
    orgs = [
        make_org(
            "O1",
            board=_members([4, 4, 2]),
            board_requirements=[requirement("finance", 4, 3)],
        ),
        make_org("O2", board=_members([5]), board_requirements=[requirement("finance", 4, 1)]),
    ]
    roles = [
        make_role("R1", "O1", kind="executive"),
        make_role("R2", "O1", kind="manager"),
        make_role("R3", "O2", kind="ned", band=None),
    ]
    candidates = [
        make_candidate("C1", skills={"leadership": 3, "finance": 4}),
        make_candidate("C2", skills={"leadership": 3, "finance": 5}),
    ]
    return make_problem(roles, candidates, orgs=orgs)


def test_board_skills_count_existing_members_then_board_level_placements() -> None:
    problem = _board_problem()
    board = board_skills(problem, _solution(_placed("C1", "R1"), _placed("C2", "R2")))
    (o1,) = [row for row in board.rows if row.organisation_id == "O1"]
    assert [c.label for c in board.columns] == ["finance ≥ 4"]
    assert (o1.before, o1.after, o1.need, o1.placed) == ([2], [3], [3], 1)


def test_requirement_met_flags_before_and_after() -> None:
    problem = _board_problem()
    (met,) = board_skills(problem, _solution(_placed("C1", "R1"))).requirements
    assert (met.boards, met.met_before, met.met_after) == (2, 1, 2)
    (unmet,) = board_skills(problem, _solution()).requirements
    assert (unmet.met_before, unmet.met_after) == (1, 1)


def test_board_rows_keep_the_busiest_boards_within_the_limit() -> None:
    problem = _board_problem()
    board = board_skills(problem, _solution(_placed("C2", "R3")), limit=1)
    assert [row.organisation_id for row in board.rows] == ["O2"]
    assert board.boards_with_roles == 2


def _representation_problem(members: list[Demographics | None], newcomer: Demographics | None):
    orgs = [make_org("O1", board=_members([0] * len(members), members))]
    roles = [make_role("R1", "O1", kind="executive")]
    return make_problem(roles, [make_candidate("C1", demographics=newcomer)], orgs=orgs)


def _female(rows):
    (row,) = [r for r in rows if r.attribute == "female" and r.scope == "all"]
    return row


def test_small_board_counts_are_suppressed() -> None:
    problem = _representation_problem([FEMALE] * 4, None)
    rows, _ = board_representation(problem, _solution())
    assert _female(rows).before == SUPPRESSED
    assert _female(rows).after == SUPPRESSED


def test_unknown_demographics_are_left_out_of_the_denominator() -> None:
    members = [FEMALE] * 5 + [MALE] * 5 + [UNKNOWN, None]
    rows, _ = board_representation(_representation_problem(members, None), _solution())
    assert _female(rows).before == Share(known=10, with_attribute=5)
    assert _female(rows).after == Share(known=10, with_attribute=5)


def test_after_is_suppressed_when_the_difference_would_reveal_the_people_placed() -> None:
    problem = _representation_problem([FEMALE] * 5 + [MALE] * 5, FEMALE)
    rows, _ = board_representation(problem, _solution(_placed("C1", "R1")))
    assert _female(rows).before == Share(known=10, with_attribute=5)
    assert _female(rows).after.suppressed


def test_regions_are_withheld_when_one_would_be_suppressed() -> None:
    big = _members([0] * 10, [FEMALE] * 5 + [MALE] * 5)
    small = _members([0] * 2, [FEMALE, MALE])
    orgs = [make_org("O1", region="A", board=big), make_org("O2", region="B", board=small)]
    problem = make_problem([make_role("R1", "O1")], [make_candidate("C1")], orgs=orgs)
    rows, withheld = board_representation(problem, _solution())
    assert withheld == ["female", "ethnic_minority", "disabled"]
    assert {r.scope for r in rows} == {"all"}


def test_after_is_suppressed_when_the_people_placed_did_not_disclose() -> None:
    problem = _representation_problem([FEMALE] * 5 + [MALE] * 5, UNKNOWN)
    rows, _ = board_representation(problem, _solution(_placed("C1", "R1")))
    assert _female(rows).before == Share(known=10, with_attribute=5)
    assert _female(rows).after.suppressed


def _two_board_problem(on_o1: range, on_o2: range):
    """O1 (region A) and O2 (region B), each 5 female and 5 male; C0..C19 alternate female
    and male, and those in each range join that board."""
    balanced = [FEMALE] * 5 + [MALE] * 5
    orgs = [
        make_org("O1", region="A", board=_members([0] * 10, balanced)),
        make_org("O2", region="B", board=_members([0] * 10, balanced)),
    ]
    people = [make_candidate(f"C{i}", demographics=(FEMALE, MALE)[i % 2]) for i in range(20)]
    joins = [(i, "O1") for i in on_o1] + [(i, "O2") for i in on_o2]
    roles = [make_role(f"{org}-{i}", org) for i, org in joins]
    placed = [_placed(f"C{i}", f"{org}-{i}") for i, org in joins]
    return make_problem(roles, people, orgs=orgs), _solution(*placed)


def test_a_person_on_two_boards_joins_the_aggregate_once() -> None:
    rows, withheld = board_representation(*_two_board_problem(range(10), range(10)))
    assert _female(rows).after == Share(known=30, with_attribute=15)
    assert "female" not in withheld


def test_regions_are_withheld_when_people_on_boards_in_both_would_be_singled_out() -> None:
    rows, withheld = board_representation(*_two_board_problem(range(10), range(9, 19)))
    assert _female(rows).after == Share(known=39, with_attribute=20)
    assert "female" in withheld
    assert not [r for r in rows if r.scope == "region" and r.attribute == "female"]
    _, withheld = board_representation(*_two_board_problem(range(10), range(10, 20)))
    assert "female" not in withheld


def test_regions_are_shown_for_attributes_every_region_can_show() -> None:
    region_a = [FEMALE] * 5 + [MALE] * 5
    region_b = [FEMALE] * 6 + [MALE] * 4 + [DISABLED_MALE]
    orgs = [
        make_org("O1", region="A", board=_members([0] * 10, region_a)),
        make_org("O2", region="B", board=_members([0] * 11, region_b)),
    ]
    problem = make_problem([make_role("R1", "O1")], [make_candidate("C1")], orgs=orgs)
    rows, withheld = board_representation(problem, _solution())
    assert withheld == ["ethnic_minority", "disabled"]
    assert "Per-region figures are not shown for ethnic minority, disabled:" in render_report(
        problem, _solution(), title="Two regions"
    )
    female = [(r.unit, r.before) for r in rows if r.scope == "region" and r.attribute == "female"]
    assert female == [
        ("A", Share(known=10, with_attribute=5)),
        ("B", Share(known=11, with_attribute=6)),
    ]
    assert {r.attribute for r in rows if r.scope == "region"} == {"female"}


def test_community_share_is_the_mean_over_organisations_rounded_as_the_engine_rounds() -> None:
    orgs = [
        make_org("O1", community={"female": 0.1}),
        make_org("O2", community={"female": 0.2}),
        make_org("O3", community={"female": 0.2}),
    ]
    problem = make_problem([make_role("R1", "O1")], [make_candidate("C1")], orgs=orgs)
    rows, _ = board_representation(problem, _solution())
    assert _female(rows).community == 0.1667


def _kpis(representation: list[Representation]) -> Kpis:
    return Kpis(
        roles=2,
        filled=1,
        fill_rate=0.5,
        fill_rate_challenged=None,
        fill_rate_difficult=1.0,
        spend=8000,
        budget=10000,
        relocations=0,
        mean_fit=10.0,
        mean_distance_km=0.0,
        representation=representation,
        drawn_per_organisation={},
    )


def _entry(
    scope: str, unit: str = "all", counts: tuple[int, int] | None = (10, 5)
) -> Representation:
    placed, with_attribute = counts or (None, None)
    return Representation(
        attribute="female",
        scope=scope,
        unit=unit,
        placed=placed,
        with_attribute=with_attribute,
        share=None if counts is None else with_attribute / placed,
        pool_share=0.5,
        community_share=None,
        suppressed=counts is None,
    )


def _kpi_rows(*entries: Representation, regions: tuple[str, str] = ("A", "B")):
    """The KPI table of a round with O1 and O2 in these regions (A and B unless told)."""
    orgs = [make_org("O1", region=regions[0]), make_org("O2", region=regions[1])]
    problem = make_problem([make_role("R1", "O1")], [make_candidate("C1")], orgs=orgs)
    return kpi_representation(problem, _solution(kpis=_kpis(list(entries))))


def test_kpi_regions_are_withheld_when_one_region_is_suppressed() -> None:
    overall = _entry("all", counts=(20, 10))
    table = _kpi_rows(overall, _entry("region", "A"), _entry("region", "B", None))
    assert (table.rows, table.regions_withheld) == ([overall], ["female"])


def test_kpi_regions_are_withheld_when_people_placed_in_both_would_be_singled_out() -> None:
    overall = _entry("all", counts=(20, 10))
    regions = [_entry("region", "A", (11, 6)), _entry("region", "B")]
    assert _kpi_rows(overall, *regions).regions_withheld == ["female"]
    regions = [_entry("region", "A"), _entry("region", "B")]
    assert _kpi_rows(overall, *regions).rows == [overall, *regions]


def test_a_lone_region_repeats_the_overall_entry_and_stands_as_it_is() -> None:
    entries = [_entry("all", counts=None), _entry("region", "A", None)]
    table = _kpi_rows(*entries, regions=("A", "A"))
    assert (table.rows, table.regions_withheld) == (entries, [])


def test_kpi_boards_are_shown_all_or_none() -> None:
    overall = _entry("all", counts=(20, 10))
    boards = [_entry("board", "O1"), _entry("board", "O2", None)]
    table = _kpi_rows(overall, *boards)
    assert (table.rows, table.boards_hidden) == ([overall], 2)


def test_kpi_boards_are_withheld_when_placements_outside_them_would_be_singled_out() -> None:
    small_rest = _kpi_rows(_entry("all", counts=(12, 6)), _entry("board", "O1"))
    assert small_rest.boards_hidden == 1
    region_rest = [_entry("region", "A", (12, 6)), _entry("region", "B", (10, 5))]
    in_region = _kpi_rows(_entry("all", counts=(22, 11)), *region_rest, _entry("board", "O1"))
    assert (in_region.regions_withheld, in_region.boards_hidden) == ([], 1)
    overall, board = _entry("all", counts=(20, 10)), _entry("board", "O1")
    assert _kpi_rows(overall, board).rows == [overall, board]


def test_a_share_between_nought_and_one_never_reads_as_none_or_all() -> None:
    assert [percent(0.9996), percent(0.996, 0), percent(0.0004)] == [">99.9%", ">99%", "<0.1%"]
    assert [percent(1.0), percent(0.0), percent(0.5)] == ["100.0%", "0.0%", "50.0%"]


def test_kpi_cards_show_budget_use_and_are_absent_without_kpis() -> None:
    cards = {card.label: card for card in kpi_cards(_kpis([]))}
    assert cards["Spend"].value == "£8,000"
    assert cards["Spend"].detail == "of £10,000 (80.0% used)"
    assert cards["Fill rate, challenged organisations"].value == "–"
    assert kpi_cards(None) == []


def test_fill_and_spend_follow_the_placements() -> None:
    orgs = [make_org("O1", region="A", segment=4), make_org("O2", region="B")]
    roles = [make_role("R1", "O1", difficult_to_recruit=True), make_role("R2", "O2")]
    packages = [make_package("none"), make_package("reloc", 8000, relocation_support=True)]
    problem = make_problem(
        roles, [make_candidate("C1")], orgs=orgs, packages=packages, budget=10000
    )
    solution = _solution(_placed("C1", "R1", "reloc"))
    bars = {bar.label: (bar.filled, bar.roles) for bar in fill_bars(problem, solution)}
    assert bars == {
        "All roles": (1, 2),
        "A": (1, 1),
        "B": (0, 1),
        "Challenged organisations": (1, 1),
        "Difficult-to-recruit roles": (1, 1),
    }
    paid = spend(problem, solution)
    assert (paid.total, paid.budget, paid.used) == (8000, 10000, 0.8)


def test_placement_rows_are_capped() -> None:
    roles = [make_role("R1"), make_role("R2")]
    problem = make_problem(roles, [make_candidate("C1"), make_candidate("C2")])
    solution = _solution(_placed("C1", "R1"), _placed("C2", "R2"))
    assert [row.role_id for row in placement_rows(problem, solution, limit=1)] == ["R1"]


def test_page_escapes_titles_notices_and_reasons() -> None:
    problem = _representation_problem([FEMALE] * 5 + [MALE] * 5, FEMALE)
    solution = _solution(
        _placed("C1", "R1"),
        unfilled=[Unfilled(role_id="R1", code="budget", reason="<b>no money</b>")],
        notices=["<script>alert(1)</script>"],
    )
    html = render_report(problem, solution, title="<i>Round</i> & co")
    assert "<i>Round</i>" not in html
    assert "&lt;i&gt;Round&lt;/i&gt; &amp; co" in html
    assert "<script>" not in html
    assert "<b>no money</b>" not in html


def test_infeasible_page_lists_conflicts_without_figures() -> None:
    problem = _board_problem()
    conflict = Conflict(rule="H13", records=["O1"], message="board O1 cannot reach finance 4")
    solution = Solution(status=SolveStatus.INFEASIBLE, conflicts=[conflict])
    html = render_report(problem, solution, title="Infeasible round")
    assert 'id="conflicts-table"' in html
    assert "board O1 cannot reach finance 4" in html
    assert "<img" not in html
