"""Read a Problem's records from spreadsheet tables, CSV or XLSX.

Every error names the file, the spreadsheet row (the header is row 1) and the column, and all
errors of all files are reported together, so one round of fixes clears them. Values of
demographic columns never appear in a message.
"""

import csv
import difflib
import io
import re
from collections.abc import Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.cell.read_only import EmptyCell, ReadOnlyCell
from openpyxl.utils import get_column_letter
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
SAVE_AS_CSV = "save it as 'CSV UTF-8'"
NOT_TEXT = re.compile("[\x00\udc80-\udcff]")
UNDECODED = re.compile("[\udc80-\udcff]")

NumberedRow = tuple[int, tuple[Cell, ...]]


class Unreadable(str):
    """A workbook cell whose value cannot be used, holding the reason, so it is never parsed."""


UNSAVED_FORMULA = Unreadable(
    "formula without a saved value: open and save the workbook in a spreadsheet program, "
    "or enter the value"
)


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
    try:
        is_directory, is_file = path.is_dir(), path.is_file()
    except OSError as exc:
        raise SheetError(f"{path}: cannot read file: {exc.strerror}") from None
    if is_directory:
        raise SheetError(f"{path}: is a directory, not a file")
    if not is_file:
        raise SheetError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return Sheet(path.name, _csv_rows(path))
    if suffix == ".xlsx":
        return _xlsx_sheet(path, table)
    raise SheetError(f"{path.name}: unsupported file type '{suffix}'; save it as .csv or .xlsx")


def _csv_rows(path: Path) -> list[NumberedRow]:
    """CSV as UTF-8 with or without the byte order mark Excel writes.

    Bytes that are not UTF-8 are kept as escapes until the rows are split, so the message can
    name the row they are on. Quoting is strict: an unclosed quote would otherwise swallow every
    row after it into one cell.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    except OSError as exc:
        raise SheetError(f"{path.name}: cannot read file: {exc.strerror}") from None
    rows: list[NumberedRow] = []
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), strict=True):
            rows.append((len(rows) + 1, tuple(cells)))
    except csv.Error as exc:
        raise SheetError(
            f"{path.name} row {len(rows) + 1}: not a readable CSV file: {exc}"
        ) from None
    if NOT_TEXT.search(text):
        number, cells = next(row for row in rows if any(NOT_TEXT.search(cell) for cell in row[1]))
        if any(UNDECODED.search(cell) for cell in cells):
            raise SheetError(f"{path.name} row {number}: not UTF-8 text; {SAVE_AS_CSV}")
        nul = "contains a NUL character, so it is not CSV text"
        raise SheetError(f"{path.name} row {number}: {nul}; {SAVE_AS_CSV}")
    return rows


def _xlsx_sheet(path: Path, table: str) -> Sheet:
    """The sheet named like the table if there is one, else the first sheet.

    openpyxl raises whatever its zip and XML parsers raise on a damaged file, on opening or while
    the rows are read, so any exception from reading means the file is not a usable workbook.
    """
    try:
        return _workbook_sheet(path, table)
    except SheetError:
        raise
    except Exception as exc:
        reason = str(exc) or type(exc).__name__
        raise SheetError(f"{path.name}: cannot read workbook: {reason}") from None


def _workbook_sheet(path: Path, table: str) -> Sheet:
    """Read fast as plain values, formulas as their text; only formula cells need a second look.

    The stored sheet size is ignored: some programs write a wrong one, which would cut rows short.
    """
    with closing(openpyxl.load_workbook(path, read_only=True, data_only=False)) as workbook:
        if not workbook.worksheets:
            raise SheetError(f"{path.name}: the workbook has no worksheet")
        sheets = {sheet.title.casefold(): sheet for sheet in workbook.worksheets}
        sheet = sheets.get(table, workbook.worksheets[0])
        label = path.name if len(sheets) == 1 else f"{path.name} sheet '{sheet.title}'"
        sheet.reset_dimensions()
        rows = [
            (n, tuple(_workbook_cell(value) for value in values))
            for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    formulas = {
        (n, position)
        for n, cells in rows
        for position, cell in enumerate(cells)
        if isinstance(cell, str) and (cell.startswith("=") or cell in ERROR_CODES)
    }
    if formulas:
        rows = _with_saved_values(path, sheet.title, rows, formulas)
    return Sheet(label, rows)


def _with_saved_values(
    path: Path, title: str, rows: list[NumberedRow], formulas: set[tuple[int, int]]
) -> list[NumberedRow]:
    """Formula cells (and text that looks like one) as the spreadsheet program saved them."""
    saved: dict[tuple[int, int], Cell] = dict.fromkeys(formulas, UNSAVED_FORMULA)
    last = max(n for n, _ in formulas)
    with closing(openpyxl.load_workbook(path, read_only=True, data_only=True)) as workbook:
        sheet = workbook[title]
        sheet.reset_dimensions()
        for n, cells in enumerate(sheet.iter_rows(max_row=last), start=1):
            for position, cell in enumerate(cells):
                if (n, position) in formulas:
                    saved[n, position] = _saved_value(cell)
    return [
        (n, tuple(saved.get((n, position), cell) for position, cell in enumerate(cells)))
        for n, cells in rows
    ]


def _saved_value(cell: ReadOnlyCell | EmptyCell) -> Cell:
    """The value saved with a formula cell, or why there is none.

    A formula whose result is empty text is saved as an empty value typed as text; a formula never
    calculated (written by a script) has neither value nor type.
    """
    if cell.data_type == "e":
        return Unreadable(f"the cell shows the error {cell.value}: correct it or enter the value")
    if cell.value is None and cell.data_type != "str":
        return UNSAVED_FORMULA
    return _workbook_cell(cell.value)


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
    for position, cell in enumerate(header):
        if isinstance(cell, Unreadable):
            errors.append(f"{label} row {number}, column {get_column_letter(position + 1)}: {cell}")
            layout.append(None)
            continue
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
        name = get_column_letter(position + 1) if column is None else column.name
        if isinstance(cell, Unreadable):
            failed[name] = str(cell)
            continue
        if column is None:
            failed[name] = "a value under no header"
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
