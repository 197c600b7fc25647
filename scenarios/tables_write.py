"""Write a Problem's records, and a Solution's placements, as spreadsheet tables.

The tables are the exact inverse of `read_tables`: reading them back gives the same records.
Each table is its own file (`roles.csv` or `roles.xlsx`), so one mapping of table names to
files serves both formats.
"""

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, get_args

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from models.problem import Problem
from models.solution import Solution
from scenarios.tables_columns import (
    PARTS_OF_ORGANISATION,
    TABLES,
    Cell,
    Column,
    Table,
    family_keys,
    value_at,
)

Format = Literal["csv", "xlsx"]
PLACEMENT_COLUMNS = (
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
)
#: Decimal places of the placement columns that are rounded for reading.
PLACEMENT_DECIMALS = {"distance_km": 1, "score": 2}
MIN_COLUMN_WIDTH = 10
#: How openpyxl writes a float into a workbook (openpyxl.compat.strings.safe_string).
XLSX_FLOAT_FORMAT = "%.16g"

#: A record as a JSON-style dict, with the id of the organisation it belongs to, if a part.
Entry = tuple[str | None, dict[str, Any]]


def write_tables(problem: Problem, directory: Path, fmt: Format) -> dict[str, Path]:
    """Write every table of the problem's records to `directory`, one file per table.

    Policy, pinned and forbidden pairs and external scores are not part of the tables.

    Returns:
        Table name to the file written, the mapping `read_tables` takes.

    Raises:
        ValueError: for a format other than csv or xlsx.
    """
    if fmt not in get_args(Format):
        raise ValueError(f"unknown table format '{fmt}'; use csv or xlsx")
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, entries in _entries(problem).items():
        header, rows = _grid(TABLES[name], entries)
        path = directory / f"{name}.{fmt}"
        if fmt == "csv":
            _write_csv(path, header, rows)
        else:
            _write_xlsx(path, name, header, rows)
        written[name] = path
    return written


def write_placements(problem: Problem, solution: Solution, directory: Path) -> tuple[Path, Path]:
    """Write the placements as `placements.csv` and `placements.xlsx`, for spreadsheet readers.

    Rows are sorted by organisation then role; no demographics are written.

    Returns:
        The CSV path and the XLSX path.
    """
    directory.mkdir(parents=True, exist_ok=True)
    rows = _placement_rows(problem, solution)
    csv_path = directory / "placements.csv"
    xlsx_path = directory / "placements.xlsx"
    _write_csv(csv_path, PLACEMENT_COLUMNS, [_fixed_decimals(row) for row in rows])
    formats = {name: "0." + "0" * places for name, places in PLACEMENT_DECIMALS.items()}
    _write_xlsx(xlsx_path, "placements", PLACEMENT_COLUMNS, rows, formats)
    return csv_path, xlsx_path


def _entries(problem: Problem) -> dict[str, list[Entry]]:
    """Each table's records as JSON-style dicts, in the order the tables are read."""
    parts = set(PARTS_OF_ORGANISATION.values())
    entries: dict[str, list[Entry]] = {
        "organisations": [
            (None, org.model_dump(mode="json", exclude=parts)) for org in problem.organisations
        ]
    }
    for table, field_name in PARTS_OF_ORGANISATION.items():
        entries[table] = [
            (org.id, part.model_dump(mode="json"))
            for org in problem.organisations
            for part in getattr(org, field_name)
        ]
    for table, records in (
        ("roles", problem.roles),
        ("candidates", problem.candidates),
        ("packages", problem.packages),
    ):
        entries[table] = [(None, record.model_dump(mode="json")) for record in records]
    return entries


def _grid(table: Table, entries: list[Entry]) -> tuple[list[str], list[list[Cell]]]:
    """Header and rows: the fixed columns, then each family's keys over all records, sorted."""
    records = [record for _, record in entries]
    columns = [
        *table.fixed_columns,
        *(family.column(key) for family in table.families for key in family_keys(family, records)),
    ]
    rows = [
        [_cell(table, column, parent, record) for column in columns] for parent, record in entries
    ]
    return [column.name for column in columns], rows


def _cell(table: Table, column: Column, parent: str | None, record: dict[str, Any]) -> Cell:
    if column is table.parent:
        return parent
    value = value_at(record, column.path)
    return None if value is None else column.render(value)


def _placement_rows(problem: Problem, solution: Solution) -> list[list[Cell]]:
    """One row per placement in PLACEMENT_COLUMNS order, sorted by organisation then role."""
    roles = {role.id: role for role in problem.roles}
    organisations = {org.id: org for org in problem.organisations}
    packages = {package.id: package for package in problem.effective_packages}
    rows: list[list[Cell]] = []
    for placement in solution.placements:
        role = roles[placement.role_id]
        org = organisations[role.organisation_id]
        rows.append(
            [
                placement.candidate_id,
                role.id,
                role.title,
                org.id,
                org.name,
                org.region,
                placement.package_id,
                packages[placement.package_id].cost,
                placement.relocation,
                round(placement.distance_km, PLACEMENT_DECIMALS["distance_km"]),
                round(placement.score, PLACEMENT_DECIMALS["score"]),
            ]
        )
    by_column = PLACEMENT_COLUMNS.index
    rows.sort(key=lambda row: (row[by_column("organisation_id")], row[by_column("role_id")]))
    return rows


def _fixed_decimals(row: Sequence[Cell]) -> list[Cell]:
    """Rounded columns keep their trailing zeros in CSV text (12.50, not 12.5)."""
    return [
        f"{value:.{PLACEMENT_DECIMALS[name]}f}" if name in PLACEMENT_DECIMALS else value
        for name, value in zip(PLACEMENT_COLUMNS, row, strict=True)
    ]


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """UTF-8 with a byte order mark, so Excel opens names with accents correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([_csv_text(cell) for cell in row] for row in rows)


def _csv_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def _write_xlsx(
    path: Path,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    number_formats: Mapping[str, str] | None = None,
) -> None:
    """One sheet with a bold, frozen header; text is stored as text, never as a formula."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    formats = [(number_formats or {}).get(name) for name in header]
    for position, name in enumerate(header, start=1):
        sheet.cell(row=1, column=position, value=name).font = Font(bold=True)
        width = max(MIN_COLUMN_WIDTH, len(name) + 2)
        sheet.column_dimensions[get_column_letter(position)].width = width
    for number, row in enumerate(rows, start=2):
        for position, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=position, value=_workbook_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if formats[position - 1]:
                cell.number_format = formats[position - 1]
    sheet.freeze_panes = "A2"
    workbook.save(path)


def _workbook_value(value: Cell) -> Cell:
    """openpyxl stores 16 significant digits; a float that needs 17 goes in as exact text."""
    if isinstance(value, float) and float(XLSX_FLOAT_FORMAT % value) != value:
        return repr(value)
    return value
