"""The scenario file: where a round's data comes from, its policy, and named what-if variants."""

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, NonNegativeInt, model_validator

from models.common import Record
from models.loading import InputError, parse_model
from models.pairs import PairRef

VARIANT_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")
TableName = Literal[
    "organisations", "roles", "candidates", "board_members", "board_requirements", "packages"
]
BASE = "base"


class GeneratedData(Record):
    """A problem drawn by the built-in generator on the real NHS organisations."""

    size: Literal["xs", "s", "m", "l", "xl"] = Field(description="Problem size.")
    seed: NonNegativeInt = Field(default=0, description="Random seed.")
    variant: Literal["full", "pure"] = Field(default="full", description="full or pure.")


class DataSource(Record):
    """Exactly one of: a Problem JSON, spreadsheet tables, or a generated problem."""

    problem: Path | None = Field(default=None, description="A Problem JSON file.")
    tables: dict[TableName, Path] | None = Field(
        default=None, description="CSV or XLSX tables by name (see scenarios/TABLES.md)."
    )
    generate: GeneratedData | None = Field(default=None, description="A generated problem.")

    @model_validator(mode="after")
    def validate_one_source(self) -> "DataSource":
        """A scenario names its data once, so there is no doubt about what was solved."""
        given = [name for name in ("problem", "tables", "generate") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("give exactly one of problem, tables or generate")
        return self


class Edits(Record):
    """Changes a scenario or a variant makes to the data and policy it starts from."""

    policy: dict[str, Any] = Field(
        default_factory=dict, description="Policy fields to override (nested keys merge)."
    )
    drop_candidates: list[str] = Field(default_factory=list, description="Candidate ids.")
    drop_roles: list[str] = Field(default_factory=list, description="Role ids.")
    add_candidates: list[dict[str, Any]] = Field(
        default_factory=list, description="Candidate records to add."
    )
    add_roles: list[dict[str, Any]] = Field(default_factory=list, description="Roles to add.")
    pinned: list[PairRef] = Field(default_factory=list, description="Pairs to pin (H10).")
    forbidden: list[PairRef] = Field(default_factory=list, description="Pairs to forbid.")


class Variant(Edits):
    """A named what-if applied on top of the scenario."""

    description: str = Field(default="", description="The question this variant answers.")


class Scenario(Edits):
    """A placement or board round: data, policy, pinned and forbidden pairs, variants."""

    name: str = Field(description="Scenario name, shown in reports.")
    description: str = Field(default="", description="The question the scenario answers.")
    data: DataSource = Field(description="Where the round's records come from.")
    variants: dict[str, Variant] = Field(default_factory=dict, description="Named what-ifs.")

    @model_validator(mode="after")
    def validate_variant_names(self) -> "Scenario":
        """`base` names the scenario itself; names become folder names, so they stay plain."""
        errors = [
            f"variants.{name}: use letters, digits, '_', '-' and '.', not starting with '.'"
            for name in self.variants
            if not VARIANT_NAME.fullmatch(name)
        ]
        if BASE in self.variants:
            errors.append(f"variants: '{BASE}' is reserved for the scenario itself")
        if errors:
            raise ValueError("\n".join(errors))
        return self


def load_scenario(path: Path) -> Scenario:
    """Read a scenario YAML; data paths are taken relative to the file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), [f"cannot read file: {exc.strerror}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark else ""
        raise InputError(str(path), [f"{where}invalid YAML: {exc}"]) from None
    if not isinstance(raw, dict):
        raise InputError(str(path), ["a scenario is a mapping with name, data and policy"])
    scenario = parse_model(Scenario, raw, str(path))
    return scenario.model_copy(update={"data": _relative_to(scenario.data, path.parent)})


def _relative_to(data: DataSource, folder: Path) -> DataSource:
    def resolve(p: Path) -> Path:
        return p if p.is_absolute() else folder / p

    tables = None if data.tables is None else {k: resolve(v) for k, v in data.tables.items()}
    problem = None if data.problem is None else resolve(data.problem)
    return data.model_copy(update={"problem": problem, "tables": tables})
