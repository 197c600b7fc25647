"""The spreadsheet layout of a Problem: its tables, their columns and how a cell converts.

One table per record type, one row per record. Flat columns map to nested fields (`home_lat` is
`home.lat`) and prefixed columns to dictionaries (`skill:finance` is `skills["finance"]`), so a
spreadsheet needs no JSON in a cell. Board members and board requirements get tables of their
own, linked by `organisation_id`. `scenarios/TABLES.md` documents the layout for users.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel

from models.candidate import Candidate
from models.common import Band, Demographics, OrganisationType, RoleKind
from models.organisation import BoardMember, BoardRequirement, Organisation
from models.package import Package
from models.role import Role

#: A cell as read: text from a CSV file; text, number or boolean from a workbook; None if empty.
Cell = str | int | float | bool | None
Parser = Callable[[Cell], Any]
Renderer = Callable[[Any], Any]

LIST_SEPARATOR = ";"
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
PREFER_NOT_TO_SAY = "prefer_not_to_say"


class CellError(ValueError):
    """A cell that does not hold what its column expects.

    `expected` completes "is not ...", and `value` is the offending text, which the reader leaves
    out of its message for demographic columns.
    """

    def __init__(self, value: str, expected: str) -> None:
        super().__init__(expected)
        self.value = value
        self.expected = expected


def is_blank(cell: Cell) -> bool:
    """An empty cell means the field is absent, so its default applies."""
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(cell: Cell) -> str:
    """A cell as text; a workbook stores a typed `9` or `2024` as a float, which reads as `9.0`."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_text(cell: Cell) -> str:
    """Text, without surrounding spaces."""
    return cell_text(cell)


def parse_integer(cell: Cell) -> int:
    """A whole number; `3.0` is accepted, as workbooks store numbers as floats."""
    text = cell_text(cell)
    if isinstance(cell, bool):
        raise CellError(text, "a whole number")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise CellError(text, "a whole number") from None
    if not number.is_integer():
        raise CellError(text, "a whole number")
    return int(number)


def parse_number(cell: Cell) -> float:
    """A finite number."""
    text = cell_text(cell)
    if isinstance(cell, bool):
        raise CellError(text, "a number")
    try:
        number = float(text)
    except ValueError:
        raise CellError(text, "a number") from None
    if not math.isfinite(number):
        raise CellError(text, "a number")
    return number


def parse_boolean(cell: Cell) -> bool:
    """true/false, yes/no or 1/0 in any case, or a workbook's own TRUE/FALSE."""
    if isinstance(cell, bool):
        return cell
    text = cell_text(cell)
    word = text.casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(text, "true or false (yes/no and 1/0 also work)")


def parse_flag_or_undisclosed(cell: Cell) -> bool | str:
    """A demographic flag: a boolean, or prefer_not_to_say."""
    text = cell_text(cell)
    if text.casefold() == PREFER_NOT_TO_SAY:
        return PREFER_NOT_TO_SAY
    try:
        return parse_boolean(cell)
    except CellError:
        raise CellError(text, f"true, false or {PREFER_NOT_TO_SAY}") from None


def choice(values: Iterable[str]) -> Parser:
    """One of `values`, in any case; returns the value as the model spells it."""
    canonical = {str(value).casefold(): str(value) for value in values}
    expected = "one of " + ", ".join(canonical.values())

    def parse(cell: Cell) -> str:
        text = cell_text(cell)
        try:
            return canonical[text.casefold()]
        except KeyError:
            raise CellError(text, expected) from None

    return parse


def list_of(item: Parser) -> Parser:
    """A semicolon-separated list; a cell holding only `;` is an empty list."""

    def parse(cell: Cell) -> list[Any]:
        parts = cell_text(cell).split(LIST_SEPARATOR)
        return [item(part) for part in parts if part.strip()]

    return parse


def same(value: Any) -> Any:
    """Scalars go into a cell as they are."""
    return value


def render_list(values: list[str]) -> Cell:
    """An empty list is the default where this renderer is used, so it stays blank."""
    return LIST_SEPARATOR.join(values) or None


def render_list_keeping_empty(values: list[str]) -> Cell:
    """Where blank means 'no list' (all allowed), an empty list is written as a lone `;`."""
    return LIST_SEPARATOR.join(values) or LIST_SEPARATOR


@dataclass(frozen=True)
class Column:
    """One fixed column: where its value goes in the record and how it converts."""

    name: str
    path: tuple[str, ...]
    parse: Parser
    render: Renderer = same
    required: bool = False
    sensitive: bool = False


@dataclass(frozen=True)
class Family:
    """Columns named `<prefix><key>` that fill one dictionary field, e.g. `skill:<name>`."""

    prefix: str
    field: str
    parse: Parser

    def column(self, key: str) -> Column:
        """The column for one key of the dictionary."""
        return Column(name=f"{self.prefix}{key}", path=(self.field, key), parse=self.parse)


@dataclass(frozen=True)
class Table:
    """One spreadsheet: the record model its rows validate against and its columns.

    `parent` is the column naming the organisation a row belongs to, for tables of parts of an
    organisation; `references` pairs a column with the table whose ids it must name.
    """

    name: str
    model: type[BaseModel]
    columns: tuple[Column, ...]
    families: tuple[Family, ...] = ()
    required: bool = False
    unique_ids: bool = False
    parent: Column | None = None
    references: tuple[tuple[str, str], ...] = ()
    noun: str = ""

    @property
    def fixed_columns(self) -> tuple[Column, ...]:
        """The parent column, if any, then the record's own fixed columns."""
        return (self.parent, *self.columns) if self.parent else self.columns


def is_required(model: type[BaseModel], path: tuple[str, ...]) -> bool:
    """A column is required when every field on its path has no default."""
    info = model.model_fields[path[0]]
    if not info.is_required():
        return False
    nested = info.annotation
    if len(path) == 1:
        return True
    assert isinstance(nested, type) and issubclass(nested, BaseModel)
    return is_required(nested, path[1:])


def columns(model: type[BaseModel], *specs: tuple[str, str, Parser] | Column) -> tuple[Column, ...]:
    """Columns from `(name, "dotted.path", parser)` specs, marked required as the model says."""
    built: list[Column] = []
    for spec in specs:
        if isinstance(spec, Column):
            built.append(spec)
            continue
        name, dotted, parse = spec
        path = tuple(dotted.split("."))
        built.append(Column(name, path, parse, required=is_required(model, path)))
    return tuple(built)


def _list_column(name: str, parse: Parser, render: Renderer, model: type[BaseModel]) -> Column:
    return Column(name, (name,), list_of(parse), render, required=is_required(model, (name,)))


SEXES: tuple[str, ...] = get_args(get_args(Demographics.model_fields["sex"].annotation)[0])
DEMOGRAPHIC_COLUMNS = (
    Column("sex", ("demographics", "sex"), choice(SEXES), sensitive=True),
    Column(
        "ethnic_minority",
        ("demographics", "ethnic_minority"),
        parse_flag_or_undisclosed,
        sensitive=True,
    ),
    Column("disabled", ("demographics", "disabled"), parse_flag_or_undisclosed, sensitive=True),
)
SKILLS = Family("skill:", "skills", parse_integer)
ORGANISATION_ID = Column("organisation_id", ("organisation_id",), parse_text, required=True)

ORGANISATIONS = Table(
    name="organisations",
    model=Organisation,
    columns=columns(
        Organisation,
        ("id", "id", parse_text),
        ("name", "name", parse_text),
        ("type", "type", choice(OrganisationType)),
        ("region", "region", parse_text),
        ("lat", "location.lat", parse_number),
        ("lon", "location.lon", parse_number),
        ("segment", "segment", parse_integer),
        ("challenged", "challenged", parse_boolean),
        ("rural_or_coastal", "rural_or_coastal", parse_boolean),
        ("community_female", "community.female", parse_number),
        ("community_ethnic_minority", "community.ethnic_minority", parse_number),
        ("community_disabled", "community.disabled", parse_number),
    ),
    required=True,
    unique_ids=True,
    noun="organisation",
)
BOARD_MEMBERS = Table(
    name="board_members",
    model=BoardMember,
    columns=(*columns(BoardMember, ("id", "id", parse_text)), *DEMOGRAPHIC_COLUMNS),
    families=(SKILLS,),
    parent=ORGANISATION_ID,
    references=(("organisation_id", "organisations"),),
)
BOARD_REQUIREMENTS = Table(
    name="board_requirements",
    model=BoardRequirement,
    columns=columns(
        BoardRequirement,
        ("skill", "skill", parse_text),
        ("level", "level", parse_integer),
        ("min_members", "min_members", parse_integer),
    ),
    parent=ORGANISATION_ID,
    references=(("organisation_id", "organisations"),),
)
ROLES = Table(
    name="roles",
    model=Role,
    columns=columns(
        Role,
        ("id", "id", parse_text),
        ("organisation_id", "organisation_id", parse_text),
        ("kind", "kind", choice(RoleKind)),
        ("title", "title", parse_text),
        ("band", "band", choice(Band)),
        ("board_level", "board_level", parse_boolean),
        ("difficult_to_recruit", "difficult_to_recruit", parse_boolean),
        ("must_fill", "must_fill", parse_boolean),
        _list_column("allowed_packages", parse_text, render_list_keeping_empty, Role),
    ),
    families=(
        Family("req:", "required_skills", parse_integer),
        Family("want:", "desired_skills", parse_number),
    ),
    required=True,
    unique_ids=True,
    references=(("organisation_id", "organisations"), ("allowed_packages", "packages")),
    noun="role",
)
CANDIDATES = Table(
    name="candidates",
    model=Candidate,
    columns=columns(
        Candidate,
        ("id", "id", parse_text),
        _list_column("kinds", choice(RoleKind), render_list, Candidate),
        ("home_lat", "home.lat", parse_number),
        ("home_lon", "home.lon", parse_number),
        ("region", "region", parse_text),
        ("current_organisation_id", "current_organisation_id", parse_text),
        ("band", "band", choice(Band)),
        ("accredited", "accredited", parse_boolean),
        ("fit_and_proper", "fit_and_proper", parse_boolean),
        ("max_roles", "max_roles", parse_integer),
        ("current_roles", "current_roles", parse_integer),
        ("max_commute_km", "max_commute_km", parse_number),
        ("willing_to_relocate", "willing_to_relocate", parse_boolean),
        _list_column("conflicts", parse_text, render_list, Candidate),
        *DEMOGRAPHIC_COLUMNS,
    ),
    families=(SKILLS,),
    required=True,
    unique_ids=True,
    references=(
        ("current_organisation_id", "organisations"),
        ("conflicts", "organisations"),
    ),
    noun="candidate",
)
PACKAGES = Table(
    name="packages",
    model=Package,
    columns=columns(
        Package,
        ("id", "id", parse_text),
        ("name", "name", parse_text),
        ("cost", "cost", parse_integer),
        ("relocation_support", "relocation_support", parse_boolean),
        ("challenged_only", "challenged_only", parse_boolean),
    ),
    unique_ids=True,
    noun="package",
)

#: Every table, in the order they are read, written and reported.
TABLES: dict[str, Table] = {
    table.name: table
    for table in (ORGANISATIONS, BOARD_MEMBERS, BOARD_REQUIREMENTS, ROLES, CANDIDATES, PACKAGES)
}

#: Tables whose rows are parts of an organisation, and the organisation field they fill.
PARTS_OF_ORGANISATION = {"board_members": "board", "board_requirements": "board_requirements"}


def value_at(record: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at `path` in a nested record dict; None where any step is absent."""
    node: Any = record
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def put_at(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set the value at `path`, creating the nested dicts on the way."""
    node = record
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def family_keys(family: Family, records: Iterable[dict[str, Any]]) -> list[str]:
    """The keys any record has in the family's dictionary, sorted: the columns to write."""
    keys: set[str] = set()
    for record in records:
        keys.update(record.get(family.field) or {})
    return sorted(keys)
