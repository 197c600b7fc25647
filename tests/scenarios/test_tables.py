"""Spreadsheet tables: lossless round trips in CSV and XLSX, and errors naming file, row, column."""

import csv
import re
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import openpyxl
import pytest
from pydantic import BaseModel

from models.common import ATTRIBUTES, Demographics, Location
from models.loading import InputError
from models.organisation import BoardMember, Organisation
from models.problem import Problem
from scenarios.generate import generate_problem
from scenarios.tables import read_tables, write_tables
from scenarios.tables_columns import PARTS_OF_ORGANISATION, TABLES
from tests.factories import (
    make_candidate,
    make_member,
    make_org,
    make_package,
    make_problem,
    make_role,
    requirement,
)

RECORDS = ("organisations", "roles", "candidates", "packages")
FORMATS = ("csv", "xlsx")
Format = Literal["csv", "xlsx"]


@cache
def generated(size: str) -> Problem:
    """Generated problems are cached: both formats read the same one."""
    return generate_problem(size, seed=3)


def small_problem() -> Problem:
    """Every kind of field: parts of organisations, lists, dicts, defaults and their absence."""
    orgs = [
        make_org(
            "O1",
            segment=4,
            challenged=True,
            rural_or_coastal=True,
            community={"female": 0.52, "ethnic_minority": 0.21},
            board=[
                make_member(
                    "M1",
                    skills={"finance": 4, "governance": 0},
                    demographics=Demographics(sex="female", ethnic_minority="prefer_not_to_say"),
                ),
                BoardMember(skills={"clinical": 3}),
            ],
            board_requirements=[requirement("finance", 3, 2), requirement("clinical", 2)],
        ),
        make_org("O2", km=40.0, type="icb", name='Trust, with "quotes"; and =sums'),
    ]
    roles = [
        make_role(
            "R1",
            "O1",
            title="Chief Finance Officer",
            desired_skills={"finance": 1.5, "digital": 2},
            difficult_to_recruit=True,
            must_fill=True,
            allowed_packages=["none", "relo"],
        ),
        make_role("R2", "O2", kind="ned", band="NED", board_level=False, allowed_packages=[]),
        make_role("R3", "O2", kind="manager", band=None, required_skills={}),
    ]
    candidates = [
        make_candidate(
            "C1",
            demographics=Demographics(sex="male", ethnic_minority=True, disabled=False),
        ),
        make_candidate(
            "C2",
            kinds=["ned", "chair"],
            band=None,
            current_organisation_id="O1",
            conflicts=["O1", "O2"],
            accredited=True,
            max_roles=3,
            current_roles=1,
            max_commute_km=12.5,
            willing_to_relocate=True,
            skills={},
        ),
        make_candidate("C3", demographics=Demographics(disabled="prefer_not_to_say")),
        *(make_candidate(f"C{n}", home=Location(lat=52.0 + n / 7, lon=-1.1)) for n in range(4, 9)),
    ]
    packages = [
        make_package("none"),
        make_package("relo", 5000, relocation_support=True, challenged_only=True),
    ]
    return make_problem(roles, candidates, orgs=orgs, packages=packages, default_score=None)


def read_problem(files: dict[str, Path]) -> Problem:
    """The tables validate into a Problem once a policy is added."""
    return Problem.model_validate({**read_tables(files), "policy": {}})


def assert_same_records(read: Problem, original: Problem) -> None:
    for name in RECORDS:
        assert getattr(read, name) == getattr(original, name), name


def errors_of(files: dict[str, Path]) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_tables(files)
    return caught.value.errors


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def write_csv_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def set_cell(path: Path, row: int, column: str, value: Any) -> None:
    """Set one cell (spreadsheet row number, header is row 1), adding the column if new."""
    if path.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path)
        sheet = workbook.active
        header = [cell.value for cell in sheet[1]]
        position = header.index(column) + 1 if column in header else len(header) + 1
        sheet.cell(row=1, column=position, value=column)
        sheet.cell(row=row, column=position, value=value)
        workbook.save(path)
        return
    rows = csv_rows(path)
    if column not in rows[0]:
        for line in rows:
            line.append("")
        rows[0][-1] = column
    rows[row - 1][rows[0].index(column)] = value
    write_csv_rows(path, rows)


def drop_column(path: Path, column: str) -> None:
    rows = csv_rows(path)
    position = rows[0].index(column)
    write_csv_rows(path, [line[:position] + line[position + 1 :] for line in rows])


@pytest.fixture
def small_csv(tmp_path: Path) -> dict[str, Path]:
    return write_tables(small_problem(), tmp_path, "csv")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("size", ["xs", "s"])
def test_round_trip_generated(tmp_path: Path, size: str, fmt: Format) -> None:
    """A generated problem written as tables reads back to equal records."""
    problem = generated(size)
    assert_same_records(read_problem(write_tables(problem, tmp_path, fmt)), problem)


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_small(tmp_path: Path, fmt: Format) -> None:
    """Board members, requirements, demographics, empty and absent lists all survive."""
    problem = small_problem()
    files = write_tables(problem, tmp_path, fmt)
    assert set(files) == set(TABLES)
    assert_same_records(read_problem(files), problem)


def nested_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The record model a field holds (unwrapping `X | None`), if it holds one."""
    annotation = model.model_fields[name].annotation
    for option in (annotation, *get_args(annotation)):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None


def test_layout_covers_every_field() -> None:
    """Every field of every record has a column or a table of its own: nothing is dropped."""
    for table in TABLES.values():
        paths = {column.path for column in table.columns}
        paths |= {(family.field,) for family in table.families}
        covered = {path[0] for path in paths}
        if table.model is Organisation:
            covered |= set(PARTS_OF_ORGANISATION.values())
        assert covered == set(table.model.model_fields), table.name
        for name in {path[0] for path in paths if len(path) > 1}:
            nested = nested_model(table.model, name)
            keys = set(nested.model_fields) if nested else set(ATTRIBUTES)
            assert {(name, key) for key in keys} <= paths, (table.name, name)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown table format 'xls'"):
        write_tables(small_problem(), tmp_path, "xls")  # type: ignore[arg-type]


def test_written_files_are_spreadsheet_friendly(tmp_path: Path) -> None:
    """Skill columns are sorted, lists are ;-separated, the xlsx header is bold and frozen."""
    files = write_tables(small_problem(), tmp_path, "csv")
    header, c1, c2 = csv_rows(files["candidates"])[:3]
    skills = [name for name in header if name.startswith("skill:")]
    assert skills == sorted(skills) == ["skill:finance", "skill:leadership"]
    assert c1[header.index("sex")] == "male"
    assert c2[header.index("conflicts")] == "O1;O2"
    assert c2[header.index("kinds")] == "ned;chair"
    assert files["candidates"].read_bytes().startswith(b"\xef\xbb\xbf")
    xlsx = write_tables(small_problem(), tmp_path / "x", "xlsx")["organisations"]
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.cell(row=3, column=2).value.startswith("Trust")


def test_hand_written_csv(tmp_path: Path) -> None:
    """Blank cells take defaults, booleans take yes/no in any case, BOM or not."""
    (tmp_path / "organisations.csv").write_text(
        "id,name,type,region,lat,lon,challenged\nO1,A,Acute,R1,52.5,-1.5,\nO2,B,icb,R1,52,-1,YES\n"
    )
    (tmp_path / "roles.csv").write_text(
        "\ufeffid,organisation_id,kind,band,req:finance,want:digital,allowed_packages\n"
        "R1,O1,executive,vsm,3,0.5,\nR2,O2,NED,,,,;\n",
        encoding="utf-8",
    )
    (tmp_path / "candidates.csv").write_text(
        "id,kinds,home_lat,home_lon,region,fit_and_proper,skill:finance,sex\n"
        "C1,executive; ned,52,-1,R1,1,4,\nC2,manager,52,-1,R1,No,,Prefer_not_to_say\n"
    )
    names = ("organisations", "roles", "candidates")
    problem = read_problem({name: tmp_path / f"{name}.csv" for name in names})
    o1, o2 = problem.organisations
    assert (o1.challenged, o2.challenged, o1.segment) == (None, True, 2)
    r1, r2 = problem.roles
    assert (r1.band, r1.required_skills, r1.desired_skills) == (
        "VSM",
        {"finance": 3},
        {"digital": 0.5},
    )
    assert (r1.allowed_packages, r2.allowed_packages, r2.kind) == (None, [], "ned")
    c1, c2 = problem.candidates
    assert c1.kinds == ["executive", "ned"] and c1.fit_and_proper and not c2.fit_and_proper
    assert (c1.skills, c2.skills, c1.demographics) == ({"finance": 4}, {}, None)
    assert c2.demographics == Demographics(sex="prefer_not_to_say")
    assert problem.packages == []


def test_workbook_sheet_named_like_the_table(tmp_path: Path) -> None:
    """One workbook can hold every table, each on a sheet named after it."""
    files = write_tables(small_problem(), tmp_path, "xlsx")
    combined = openpyxl.Workbook()
    combined.active.title = "notes"
    for name, path in files.items():
        source = openpyxl.load_workbook(path).active
        target = combined.create_sheet(name)
        for row in source.iter_rows(values_only=True):
            target.append(row)
    book = tmp_path / "all.xlsx"
    combined.save(book)
    assert_same_records(read_problem(dict.fromkeys(files, book)), small_problem())


def test_missing_required_column(small_csv: dict[str, Path]) -> None:
    """A missing required column is named once, not once per row."""
    drop_column(small_csv["organisations"], "region")
    assert errors_of(small_csv) == ["organisations.csv: missing required column 'region'"]


def test_unknown_column(small_csv: dict[str, Path]) -> None:
    """An unknown column is an error, with the nearest known name."""
    set_cell(small_csv["organisations"], 2, "regoin", "R1")
    (error,) = errors_of(small_csv)
    assert error.startswith("organisations.csv row 1, column regoin: unknown column")
    assert error.endswith("did you mean 'region'?")


def test_unknown_organisation_in_xlsx(tmp_path: Path) -> None:
    """A reference to no organisation names the workbook, row and column."""
    files = write_tables(small_problem(), tmp_path, "xlsx")
    set_cell(files["roles"], 3, "organisation_id", "RXX")
    assert errors_of(files) == [
        "roles.xlsx row 3, column organisation_id: unknown organisation 'RXX'"
    ]


def test_text_in_a_number_column(small_csv: dict[str, Path]) -> None:
    set_cell(small_csv["candidates"], 7, "home_lat", "abc")
    assert errors_of(small_csv) == ["candidates.csv row 7, column home_lat: 'abc' is not a number"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("max_roles", "0", "must be at least 1"),
        ("current_roles", "-1", "must be at least 0"),
        ("home_lon", "200", "must be between -180 and 180"),
        ("skill:finance", "6", "must be at most 5"),
        ("kinds", "executive;boss", "'boss' is not one of executive, ned, chair, manager"),
        ("max_roles", "1.5", "'1.5' is not a whole number"),
    ],
)
def test_out_of_range_values(
    small_csv: dict[str, Path], column: str, value: str, message: str
) -> None:
    """Range errors from the record's model are mapped back to the column."""
    set_cell(small_csv["candidates"], 4, column, value)
    assert errors_of(small_csv) == [f"candidates.csv row 4, column {column}: {message}"]


def test_bad_boolean(small_csv: dict[str, Path]) -> None:
    set_cell(small_csv["roles"], 2, "must_fill", "maybe")
    assert errors_of(small_csv) == [
        "roles.csv row 2, column must_fill: 'maybe' is not true or false (yes/no and 1/0 also work)"
    ]


def test_duplicate_id_names_both_rows(small_csv: dict[str, Path]) -> None:
    set_cell(small_csv["candidates"], 5, "id", "C1")
    assert errors_of(small_csv) == [
        "candidates.csv row 5, column id: duplicate id 'C1' (also row 2)"
    ]


def test_demographic_values_are_never_echoed(small_csv: dict[str, Path]) -> None:
    """A bad demographic cell says what is expected without repeating what was written."""
    set_cell(small_csv["candidates"], 3, "sex", "Secret-Value")
    set_cell(small_csv["board_members"], 2, "disabled", "Secret-Value")
    errors = errors_of(small_csv)
    assert errors == [
        "board_members.csv row 2, column disabled: not true, false or prefer_not_to_say",
        "candidates.csv row 3, column sex: not one of female, male, other, prefer_not_to_say",
    ]
    assert not any("Secret" in line for line in errors)


def test_every_error_of_every_file_together(small_csv: dict[str, Path]) -> None:
    """All errors come at once, file by file in table order, row by row."""
    set_cell(small_csv["organisations"], 3, "segment", "9")
    set_cell(small_csv["board_requirements"], 3, "organisation_id", "O9")
    set_cell(small_csv["roles"], 2, "kind", "")
    set_cell(small_csv["roles"], 4, "allowed_packages", "none;gold")
    set_cell(small_csv["candidates"], 3, "conflicts", "O1;OX")
    set_cell(small_csv["candidates"], 2, "band", "10")
    set_cell(small_csv["packages"], 2, "cost", "-5")
    assert errors_of(small_csv) == [
        "organisations.csv row 3, column segment: must be at most 4",
        "board_requirements.csv row 3, column organisation_id: unknown organisation 'O9'",
        "roles.csv row 2, column kind: required, but the cell is empty",
        "roles.csv row 4, column allowed_packages: unknown package 'gold'",
        "candidates.csv row 2, column band: '10' is not one of 8a, 8b, 8c, 8d, 9, VSM, NED",
        "candidates.csv row 3, column conflicts: unknown organisation 'OX'",
        "packages.csv row 2, column cost: must be at least 0",
    ]


def test_xlsx_cell_errors(tmp_path: Path) -> None:
    """Workbook cells are checked the same way, whatever type the workbook stored."""
    files = write_tables(small_problem(), tmp_path, "xlsx")
    set_cell(files["candidates"], 4, "max_commute_km", "far")
    set_cell(files["candidates"], 5, "willing_to_relocate", 7)
    set_cell(files["packages"], 3, "cost", 12.5)
    assert errors_of(files) == [
        "candidates.xlsx row 4, column max_commute_km: 'far' is not a number",
        "candidates.xlsx row 5, column willing_to_relocate: '7' is not true or false "
        "(yes/no and 1/0 also work)",
        "packages.xlsx row 3, column cost: '12.5' is not a whole number",
    ]


def test_value_under_no_header(small_csv: dict[str, Path]) -> None:
    rows = csv_rows(small_csv["packages"])
    rows[1].append("stray")
    write_csv_rows(small_csv["packages"], rows)
    assert errors_of(small_csv) == ["packages.csv row 2, column F: a value under no header"]


def test_unreadable_files(tmp_path: Path) -> None:
    """Missing tables and files, and files that are not spreadsheets, are errors, not crashes."""
    (tmp_path / "roles.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "candidates.json").write_text("{}")
    (tmp_path / "packages.csv").write_bytes(b"id,cost\n\xff\xfe,1\n")
    (tmp_path / "folder.csv").mkdir()
    errors = errors_of(
        {
            "roles": tmp_path / "roles.xlsx",
            "candidates": tmp_path / "candidates.json",
            "packages": tmp_path / "packages.csv",
            "people": tmp_path / "people.csv",
            "board_members": tmp_path / "nowhere.csv",
            "board_requirements": tmp_path / "folder.csv",
        }
    )
    assert errors[0].startswith("unknown table 'people'")
    assert errors[1] == "missing required table 'organisations'"
    assert errors[2] == f"{tmp_path / 'nowhere.csv'}: no such file"
    assert errors[3] == f"{tmp_path / 'folder.csv'}: is a directory, not a file"
    assert errors[4].startswith("roles.xlsx: cannot read workbook: ")
    assert errors[5] == "candidates.json: unsupported file type '.json'; save it as .csv or .xlsx"
    assert errors[6] == "packages.csv row 2: not UTF-8 text; save it as 'CSV UTF-8'"
    assert len(errors) == 7


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one file inside a workbook's zip, as a damaged or hand-made file would have it."""
    with zipfile.ZipFile(path) as source:
        contents = {info.filename: source.read(info) for info in source.infolist()}
    contents[member] = change(contents[member])
    with zipfile.ZipFile(path, "w") as target:
        for name, data in contents.items():
            target.writestr(name, data)


def set_sheet_xml(path: Path, pattern: str, replacement: str) -> None:
    """Replace XML of the first sheet, e.g. a cell with the formula and value Excel would save."""

    def change(data: bytes) -> bytes:
        text, count = re.subn(pattern, replacement, data.decode())
        assert count == 1, pattern
        return text.encode()

    rewrite_member(path, "xl/worksheets/sheet1.xml", change)


def cell_xml(path: Path, ref: str, xml: str) -> None:
    set_sheet_xml(path, rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml[:-200]),
        lambda path: rewrite_member(path, "xl/workbook.xml", lambda xml: xml[:50]),
        lambda path: rewrite_member(path, "xl/styles.xml", lambda xml: b"<styleSheet"),
        lambda path: path.write_bytes(path.read_bytes()[:2000]),
        lambda path: path.write_bytes(b""),
    ],
    ids=["truncated sheet", "truncated workbook part", "bad styles", "truncated zip", "empty"],
)
def test_damaged_workbook(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    """Damage found on opening or while reading rows is one line naming the file, not a crash."""
    files = write_tables(small_problem(), tmp_path, "xlsx")
    damage(files["roles"])
    (error,) = errors_of(files)
    assert error.startswith("roles.xlsx: cannot read workbook: ")


def roles_csv(tmp_path: Path, content: bytes) -> dict[str, Path]:
    files = write_tables(small_problem(), tmp_path, "csv")
    files["roles"].write_bytes(content)
    return files


HEADER = b"id,organisation_id,kind,title\n"


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "roles.csv: empty, no header row"),
        (b"\xef\xbb\xbf", "roles.csv: empty, no header row"),
        (b",,\n\n", "roles.csv: empty, no header row"),
        (HEADER[:-1] + b",ID\n", "roles.csv row 1, column id: column appears twice"),
        (HEADER[:-1] + b",req:x,REQ:x\n", "roles.csv row 1, column req:x: column appears twice"),
        (HEADER + b"R1,O1,ned,t,extra\n", "roles.csv row 2, column E: a value under no header"),
        (HEADER + b"R1,O1\n", "roles.csv row 2, column kind: required, but the cell is empty"),
        (
            HEADER + b"R1,O1,ned,Directeur\nR2,O1,ned,Caf\xe9\n",
            "roles.csv row 3: not UTF-8 text; save it as 'CSV UTF-8'",
        ),
        (
            "id,organisation_id,kind\nR1,O1,ned\n".encode("utf-16"),
            "roles.csv row 1: not UTF-8 text; save it as 'CSV UTF-8'",
        ),
        (
            HEADER + b"R1,O1,n\x00ed,t\n",
            "roles.csv row 2: contains a NUL character, so it is not CSV text; "
            "save it as 'CSV UTF-8'",
        ),
        (
            HEADER + b'R1,O1,ned,"' + b"x" * 200_000 + b'"\n',
            "roles.csv row 2: not a readable CSV file: field larger than field limit (131072)",
        ),
        (
            HEADER + b'R1,O1,ned,t\nR2,O1,ned,"open\nR3,O1,ned,t\n',
            "roles.csv row 3: not a readable CSV file: unexpected end of data",
        ),
    ],
    ids=[
        "empty",
        "byte order mark only",
        "blank rows only",
        "duplicate column",
        "duplicate prefixed column",
        "more cells than headers",
        "fewer cells than headers",
        "latin-1",
        "utf-16",
        "NUL byte",
        "field over the csv limit",
        "unclosed quote",
    ],
)
def test_malformed_csv(tmp_path: Path, content: bytes, error: str) -> None:
    """Each malformed CSV is one clear line naming the file and, where there is one, the row."""
    assert errors_of(roles_csv(tmp_path, content)) == [error]


def test_short_rows_and_header_only_are_read(tmp_path: Path) -> None:
    """A row may stop before its last optional cells; a header with no rows is an empty table."""
    files = roles_csv(tmp_path, HEADER + b"R1,O1,ned\n\nR2,O2,chair,\n")
    assert [role["id"] for role in read_tables(files)["roles"]] == ["R1", "R2"]
    files["roles"].write_bytes(HEADER)
    assert read_tables(files)["roles"] == []


def test_empty_or_header_only_sheet(tmp_path: Path) -> None:
    files = write_tables(small_problem(), tmp_path, "xlsx")
    openpyxl.Workbook().save(files["roles"])
    assert errors_of(files) == ["roles.xlsx: empty, no header row"]
    workbook = openpyxl.Workbook()
    workbook.active.append(["id", "organisation_id", "kind"])
    workbook.save(files["roles"])
    assert read_tables(files)["roles"] == []


def test_wrong_stored_sheet_size(tmp_path: Path) -> None:
    """A workbook claiming to be smaller than it is still reads whole."""
    files = write_tables(small_problem(), tmp_path, "xlsx")
    set_sheet_xml(files["roles"], r'<dimension ref="[^"]*" />', '<dimension ref="A1:B2" />')
    assert_same_records(read_problem(files), small_problem())


def test_formula_without_saved_value(tmp_path: Path) -> None:
    """A formula a script wrote and no spreadsheet program calculated is not a blank cell."""
    files = write_tables(small_problem(), tmp_path, "xlsx")
    set_cell(files["roles"], 2, "title", '=UPPER("cfo")')
    set_cell(files["roles"], 3, "must_fill", "=1=1")
    set_cell(files["roles"], 4, "kind", '="ned"')
    unsaved = (
        "formula without a saved value: open and save the workbook in a spreadsheet program, "
        "or enter the value"
    )
    assert errors_of(files) == [
        f"roles.xlsx row 2, column title: {unsaved}",
        f"roles.xlsx row 3, column must_fill: {unsaved}",
        f"roles.xlsx row 4, column kind: {unsaved}",
    ]
    workbook = openpyxl.load_workbook(files["packages"])
    workbook.active.cell(row=1, column=8, value='="cost"')
    workbook.save(files["packages"])
    assert errors_of(files)[-1] == f"packages.xlsx row 1, column H: {unsaved}"


def test_formula_with_saved_value(tmp_path: Path) -> None:
    """Saved results are read, an empty text result is blank, text that looks like one is text."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "organisation_id", "kind", "title", "must_fill"])
    sheet.append(["R1", "O1", "ned", "placeholder", "placeholder"])
    sheet.append(["R2", "O2", "executive", "placeholder"])
    sheet.append(["R3", "O2", "manager"])
    sheet["D4"] = "=not a formula"
    sheet["D4"].data_type = "s"
    files = write_tables(small_problem(), tmp_path, "xlsx")
    workbook.save(files["roles"])
    cell_xml(files["roles"], "D2", '<c r="D2" t="str"><f>UPPER("cfo")</f><v>CFO</v></c>')
    cell_xml(files["roles"], "E2", '<c r="E2" t="b"><f>1=1</f><v>1</v></c>')
    cell_xml(files["roles"], "D3", '<c r="D3" t="str"><f>IF(1,"","x")</f><v></v></c>')
    r1, r2, r3 = read_problem(files).roles
    assert (r1.title, r1.must_fill, r2.title, r3.title) == ("CFO", True, "", "=not a formula")


def test_error_value_in_a_cell(tmp_path: Path) -> None:
    """A cell showing #N/A or #DIV/0! says so instead of reading the code as a value."""
    files = write_tables(small_problem(), tmp_path, "xlsx")
    cell_xml(files["roles"], "B3", '<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    cell_xml(files["roles"], "A4", '<c r="A4" t="e"><v>#N/A</v></c>')
    assert errors_of(files) == [
        "roles.xlsx row 3, column organisation_id: the cell shows the error #DIV/0!: "
        "correct it or enter the value",
        "roles.xlsx row 4, column id: the cell shows the error #N/A: correct it or enter the value",
    ]
