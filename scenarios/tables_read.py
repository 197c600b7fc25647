"""Read a Problem's records from spreadsheet tables, CSV or XLSX.

Every error names the file, the spreadsheet row (the header is row 1) and the column, and all
errors of all files are reported together, so one round of fixes clears them. Values of
demographic columns never appear in a message.
"""

import csv
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from models.loading import InputError
from models.package import NO_PACKAGE_ID
from scenarios.tables_columns import (
    PARTS_OF_ORGANISATION,
    TABLES,
    Cell,
    CellError,
    Column,
    Table,
    cell_text,
    is_blank,
    put_at,
)

SOURCE = "tables"
HEADER_ROW = 1
WORKBOOK_ERRORS = (OSError, BadZipFile, InvalidFileException, KeyError, ValueError)

NumberedRow = tuple[int, tuple[Cell, ...]]


@dataclass(frozen=True)
class Sheet:
    """The cells of one table as read, with the label its messages start with."""

    label: str
    rows: list[NumberedRow]


@dataclass
class Row:
    """One record row: its spreadsheet row number, parsed cells by column, and the record."""

    number: int
    values: dict[str, Any]
    record: dict[str, Any]


@dataclass
class Loaded:
    """What one table yielded: its rows if its header was usable, and its errors by row."""

    label: str
    rows: list[Row] | None
    errors: list[tuple[int, str]] = field(default_factory=list)


class SheetError(Exception):
    """A file that cannot be read as a table at all."""


def read_tables(files: Mapping[str, Path]) -> dict[str, Any]:
    """The organisations, roles, candidates and packages of a Problem, from one file per table.

    Args:
        files: Table name to a .csv or .xlsx file; organisations, roles and candidates are
            required, board_members, board_requirements and packages optional.

    Returns:
        The record lists as plain dicts, ready for `Problem.model_validate` with a policy.

    Raises:
        InputError: listing every problem found, each naming the file, row and column.
    """
    errors = _table_set_errors(files)
    loaded = {name: _load(TABLES[name], path) for name, path in files.items() if name in TABLES}
    for name, table in TABLES.items():
        if name in loaded:
            part = loaded[name]
            found = (
                part.errors + _duplicate_ids(table, part) + _reference_errors(table, part, loaded)
            )
            errors += [line for _, line in sorted(found, key=lambda error: error[0])]
    if errors:
        raise InputError(SOURCE, errors)
    return _assemble({name: part.rows or [] for name, part in loaded.items()})


def _table_set_errors(files: Mapping[str, Path]) -> list[str]:
    known = ", ".join(TABLES)
    unknown = [f"unknown table '{name}' (tables: {known})" for name in files if name not in TABLES]
    missing = [
        f"missing required table '{table.name}'"
        for table in TABLES.values()
        if table.required and table.name not in files
    ]
    return unknown + missing


def _load(table: Table, path: Path) -> Loaded:
    """Read one file and parse its rows, collecting every error instead of stopping."""
    try:
        sheet = _read_sheet(path, table.name)
    except SheetError as exc:
        return Loaded(path.name, None, [(0, str(exc))])
    header = _first_row(sheet)
    if header is None:
        return Loaded(sheet.label, None, [(0, f"{sheet.label}: empty, no header row")])
    header_number, header_cells = header
    layout, errors = _layout(table, sheet.label, header_number, header_cells)
    if errors:
        return Loaded(sheet.label, None, errors)
    rows: list[Row] = []
    for number, cells in sheet.rows:
        if number > header_number and not all(is_blank(cell) for cell in cells):
            row, row_errors = _parse_row(table, layout, sheet.label, number, cells)
            rows.append(row)
            errors += [(number, line) for line in row_errors]
    return Loaded(sheet.label, rows, errors)


def _read_sheet(path: Path, table: str) -> Sheet:
    if not path.is_file():
        raise SheetError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return Sheet(path.name, _csv_rows(path))
    if suffix == ".xlsx":
        return _xlsx_sheet(path, table)
    raise SheetError(f"{path.name}: unsupported file type '{suffix}'; save it as .csv or .xlsx")


def _csv_rows(path: Path) -> list[NumberedRow]:
    """CSV as UTF-8 with or without the byte order mark Excel writes."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [(n, tuple(cells)) for n, cells in enumerate(csv.reader(handle), start=1)]
    except OSError as exc:
        raise SheetError(f"{path.name}: cannot read file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SheetError(f"{path.name}: not UTF-8 text; save it as 'CSV UTF-8'") from None
    except csv.Error as exc:
        raise SheetError(f"{path.name}: not a readable CSV file: {exc}") from None


def _xlsx_sheet(path: Path, table: str) -> Sheet:
    """The sheet named like the table if there is one, else the first sheet."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except WORKBOOK_ERRORS as exc:
        raise SheetError(f"{path.name}: cannot open workbook: {exc}") from None
    try:
        if not workbook.worksheets:
            raise SheetError(f"{path.name}: the workbook has no worksheet")
        sheets = {sheet.title.casefold(): sheet for sheet in workbook.worksheets}
        sheet = sheets.get(table, workbook.worksheets[0])
        label = path.name if len(sheets) == 1 else f"{path.name} sheet '{sheet.title}'"
        rows = [
            (n, tuple(_workbook_cell(value) for value in values))
            for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    return Sheet(label, rows)


def _workbook_cell(value: Any) -> Cell:
    """Dates and times, which no column holds, become text so they are reported, not lost."""
    if isinstance(value, str | int | float | bool):
        return value
    return None if value is None else str(value)


def _first_row(sheet: Sheet) -> NumberedRow | None:
    return next((row for row in sheet.rows if not all(is_blank(c) for c in row[1])), None)


def _layout(
    table: Table, label: str, number: int, header: tuple[Cell, ...]
) -> tuple[list[Column | None], list[tuple[int, str]]]:
    """The column at each position (None where the header cell is empty), or header errors."""
    fixed = {column.name.casefold(): column for column in table.fixed_columns}
    layout: list[Column | None] = []
    errors: list[str] = []
    seen: set[str] = set()
    for cell in header:
        name = "" if is_blank(cell) else cell_text(cell)
        column = _header_column(table, fixed, name)
        if name and column is None:
            errors.append(
                f"{label} row {number}, column {name}: unknown column{_hint(table, name)}"
            )
        elif column is not None and column.name in seen:
            errors.append(f"{label} row {number}, column {column.name}: column appears twice")
        elif column is not None:
            seen.add(column.name)
        layout.append(column)
    errors += [
        f"{label}: missing required column '{column.name}'"
        for column in table.fixed_columns
        if column.required and column.name not in seen
    ]
    return layout, [(number, line) for line in errors]


def _header_column(table: Table, fixed: dict[str, Column], name: str) -> Column | None:
    if name.casefold() in fixed:
        return fixed[name.casefold()]
    for family in table.families:
        if name.casefold().startswith(family.prefix) and name[len(family.prefix) :].strip():
            return family.column(name[len(family.prefix) :].strip())
    return None


def _hint(table: Table, name: str) -> str:
    names = [column.name for column in table.fixed_columns]
    names += [f"{family.prefix}<name>" for family in table.families]
    close = difflib.get_close_matches(name, names, n=1)
    expected = f"; did you mean '{close[0]}'?" if close else ""
    return f" (columns: {', '.join(names)}){expected}"


def _parse_row(
    table: Table, layout: list[Column | None], label: str, number: int, cells: tuple[Cell, ...]
) -> tuple[Row, list[str]]:
    """Parse the cells of one row and validate the record it makes with the table's model."""
    values: dict[str, Any] = {}
    record: dict[str, Any] = {}
    failed: dict[str, str] = {}
    for position, cell in enumerate(cells):
        column = layout[position] if position < len(layout) else None
        if is_blank(cell):
            continue
        if column is None:
            failed[get_column_letter(position + 1)] = "a value under no header"
            continue
        try:
            values[column.name] = column.parse(cell)
        except CellError as exc:
            failed[column.name] = _cell_message(column, exc)
            continue
        if column is not table.parent:
            put_at(record, column.path, values[column.name])
    invalid = [
        (name, message)
        for name, message in _validation_errors(table, layout, record)
        if name not in failed
    ]
    errors = [
        f"{label} row {number}, column {name}: {message}"
        for name, message in [*failed.items(), *invalid]
    ]
    return Row(number, values, record), errors


def _cell_message(column: Column, exc: CellError) -> str:
    if column.sensitive:
        return f"not {exc.expected}"
    return f"'{exc.value}' is not {exc.expected}"


def _validation_errors(
    table: Table, layout: list[Column | None], record: dict[str, Any]
) -> Iterator[tuple[str, str]]:
    """Range and required-field errors of the record, each mapped back to its column."""
    try:
        table.model.model_validate(record)
    except ValidationError as exc:
        columns = [column for column in layout if column is not None]
        for error in exc.errors(include_url=False):
            for name in _columns_at(columns, tuple(error["loc"])):
                yield name, _validation_message(error)


def _columns_at(columns: list[Column], loc: tuple[str | int, ...]) -> list[str]:
    """The column a pydantic location points into, or every column under a missing parent."""
    inside = [c for c in columns if c.path == loc[: len(c.path)]]
    if inside:
        return [max(inside, key=lambda c: len(c.path)).name]
    below = [c.name for c in columns if c.path[: len(loc)] == loc]
    return below or [".".join(str(key) for key in loc)]


def _validation_message(error: ErrorDetails) -> str:
    """Pydantic's message in spreadsheet words; none of them repeats the value."""
    bounds = error.get("ctx", {})
    messages = {
        "missing": "required, but the cell is empty",
        "greater_than_equal": f"must be at least {bounds.get('ge')}",
        "less_than_equal": f"must be at most {bounds.get('le')}",
        "greater_than": _more_than(bounds.get("gt"), error["input"]),
        "less_than": f"must be less than {bounds.get('lt')}",
        "too_short": "must list at least one value",
    }
    return messages.get(error["type"], str(error["msg"]).removeprefix("Value error, "))


def _more_than(bound: Any, value: Any) -> str:
    """Whole numbers read better inclusive: `must be at least 1` rather than `more than 0`."""
    if isinstance(bound, int) and isinstance(value, int):
        return f"must be at least {bound + 1}"
    return f"must be more than {bound}"


def _duplicate_ids(table: Table, loaded: Loaded) -> list[tuple[int, str]]:
    if not table.unique_ids or loaded.rows is None:
        return []
    first: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    for row in loaded.rows:
        record_id = row.values.get("id")
        if record_id is None:
            continue
        if record_id in first:
            message = f"duplicate id '{record_id}' (also row {first[record_id]})"
            errors.append((row.number, f"{loaded.label} row {row.number}, column id: {message}"))
        else:
            first[record_id] = row.number
    return errors


def _reference_errors(
    table: Table, loaded: Loaded, tables: Mapping[str, Loaded]
) -> list[tuple[int, str]]:
    """Ids that name no record of the table they refer to (skipped if that table is unusable)."""
    errors: list[tuple[int, str]] = []
    for column, target in table.references:
        known = _known_ids(target, tables)
        if known is None or loaded.rows is None:
            continue
        for row in loaded.rows:
            value = row.values.get(column)
            for record_id in value if isinstance(value, list) else [value]:
                if record_id is not None and record_id not in known:
                    message = f"unknown {TABLES[target].noun} '{record_id}'"
                    line = f"{loaded.label} row {row.number}, column {column}: {message}"
                    errors.append((row.number, line))
    return errors


def _known_ids(name: str, tables: Mapping[str, Loaded]) -> set[str] | None:
    """Ids a reference may name; None (nothing checked) when a required table is unusable.

    With no packages at all, the implied free package is the one package there is.
    """
    loaded = tables.get(name)
    rows = loaded.rows if loaded is not None else []
    if rows is None or (loaded is None and TABLES[name].required):
        return None
    if name == "packages" and not rows:
        return {NO_PACKAGE_ID}
    return {row.values["id"] for row in rows if "id" in row.values}


def _assemble(rows: Mapping[str, list[Row]]) -> dict[str, Any]:
    """Attach board members and requirements to their organisations, in row order."""
    organisations = {row.values["id"]: row.record for row in rows["organisations"]}
    for table, field_name in PARTS_OF_ORGANISATION.items():
        for row in rows.get(table, []):
            parent = organisations[row.values["organisation_id"]]
            parent.setdefault(field_name, []).append(row.record)
    return {
        "organisations": list(organisations.values()),
        "roles": [row.record for row in rows["roles"]],
        "candidates": [row.record for row in rows["candidates"]],
        "packages": [row.record for row in rows.get("packages", [])],
    }
