"""The placements sheet: one row per placement, the same in CSV and XLSX, no demographics."""

import csv
from pathlib import Path

import openpyxl
import pytest

from matching.solve import solve
from models.common import Demographics
from models.problem import Problem
from models.solution import Solution
from scenarios.tables import write_placements
from tests.factories import make_candidate, make_org, make_package, make_problem, make_role

HEADER = [
    "candidate_id",
    "role_id",
    "role_title",
    "organisation_id",
    "organisation_name",
    "region",
    "package_id",
    "package_cost",
    "relocation",
    "distance_km",
    "score",
]


def tiny_problem() -> Problem:
    """Two organisations; filling R0 at O2, 100 km away, needs the relocation package."""
    orgs = [make_org("O1"), make_org("O2", km=100.0)]
    roles = [make_role("R9", "O1", title="Director of Finance"), make_role("R0", "O2")]
    candidates = [
        make_candidate("C1", demographics=Demographics(sex="female")),
        make_candidate("C2", willing_to_relocate=True, demographics=Demographics(disabled=True)),
    ]
    packages = [make_package("none"), make_package("relo", 4000, relocation_support=True)]
    return make_problem(roles, candidates, orgs=orgs, packages=packages, scores={("C2", "R0"): 20})


@pytest.fixture(scope="module")
def solved() -> tuple[Problem, Solution]:
    problem = tiny_problem()
    solution = solve(problem)
    assert len(solution.placements) == 2
    return problem, solution


@pytest.fixture
def written(tmp_path: Path, solved: tuple[Problem, Solution]) -> tuple[Path, Path]:
    return write_placements(*solved, tmp_path)


def test_csv_has_one_row_per_placement(written: tuple[Path, Path]) -> None:
    """The CSV lists each placement, sorted by organisation then role, with rounded numbers."""
    csv_path, _ = written
    assert csv_path.name == "placements.csv"
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == HEADER
    by_column = [dict(zip(HEADER, row, strict=True)) for row in rows]
    assert [(row["organisation_id"], row["role_id"]) for row in by_column] == [
        ("O1", "R9"),
        ("O2", "R0"),
    ]
    local, moved = by_column
    assert local | {"score": ""} == {
        "candidate_id": "C1",
        "role_id": "R9",
        "role_title": "Director of Finance",
        "organisation_id": "O1",
        "organisation_name": "Organisation O1",
        "region": "R1",
        "package_id": "none",
        "package_cost": "0",
        "relocation": "false",
        "distance_km": "0.0",
        "score": "",
    }
    assert (moved["candidate_id"], moved["package_id"], moved["package_cost"]) == (
        "C2",
        "relo",
        "4000",
    )
    assert (moved["relocation"], moved["distance_km"], moved["score"]) == ("true", "100.0", "20.00")


def test_xlsx_has_the_same_rows(written: tuple[Path, Path]) -> None:
    """The workbook opens with openpyxl and holds the CSV's rows (an empty title is an empty
    cell), with a bold frozen header."""
    csv_path, xlsx_path = written
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        csv_table = list(csv.reader(handle))
    sheet = openpyxl.load_workbook(xlsx_path).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    xlsx_table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert xlsx_table[0] == HEADER
    assert len(xlsx_table) == len(csv_table)
    for xlsx_row, csv_row in zip(xlsx_table[1:], csv_table[1:], strict=True):
        texts = ["" if value is None else value for value in xlsx_row[:7]]
        assert [*texts, xlsx_row[7]] == [*csv_row[:7], int(csv_row[7])]
        assert xlsx_row[8] == (csv_row[8] == "true")
        assert xlsx_row[9:] == [float(csv_row[9]), float(csv_row[10])]


def test_no_demographics(written: tuple[Path, Path]) -> None:
    """Placements name people by id only: no demographic column or value."""
    text = written[0].read_text(encoding="utf-8-sig")
    for word in ("sex", "female", "disabled", "ethnic"):
        assert word not in text
