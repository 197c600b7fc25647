"""Load a Problem or Solution from JSON with errors that name the record and field."""

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)

_VALUE_ERROR_PREFIX = "Value error, "


class InputError(Exception):
    """Input that cannot be used; `errors` lists one readable line per problem."""

    def __init__(self, source: str, errors: list[str]) -> None:
        super().__init__(f"{source}: {len(errors)} error(s)")
        self.source = source
        self.errors = errors


def _record_label(container: Any, key: str | int) -> tuple[str, Any]:
    """Label one step of an error location, naming records by id where they have one."""
    if isinstance(key, int) and isinstance(container, list) and 0 <= key < len(container):
        item = container[key]
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"[{item['id']}]", item
        return f"[{key}]", item
    if isinstance(key, int):
        return f"[{key}]", None
    nested = container.get(key) if isinstance(container, dict) else None
    return f".{key}", nested


def location_path(raw: Any, loc: tuple[str | int, ...]) -> str:
    """Turn a pydantic location into `candidates[C17].home.lat` using the raw data."""
    parts: list[str] = []
    node = raw
    for key in loc:
        label, node = _record_label(node, key)
        parts.append(label)
    return "".join(parts).lstrip(".")


def describe_validation_error(exc: ValidationError, raw: Any) -> list[str]:
    """One line per error: `path: message`; cross-record errors already name their records."""
    lines: list[str] = []
    for error in exc.errors(include_url=False):
        message = str(error["msg"]).removeprefix(_VALUE_ERROR_PREFIX)
        path = location_path(raw, tuple(error["loc"]))
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        for line in message.split("\n"):
            lines.append(f"{path}: {line}" if path else line)
    return lines


def parse_model(model: type[ModelT], raw: Any, source: str) -> ModelT:
    """Validate raw data into `model`, raising InputError with readable lines."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InputError(source, describe_validation_error(exc, raw)) from None


def read_json(path: Path) -> Any:
    """Read a JSON file, raising InputError naming the line and column of a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), [f"cannot read file: {exc.strerror}"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            str(path), [f"line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}"]
        ) from None


def load_model(model: type[ModelT], path: Path) -> ModelT:
    """Read and validate a JSON file into `model`."""
    return parse_model(model, read_json(path), str(path))
