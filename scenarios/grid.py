"""Sweep grids: `--vary policy.budget=0:2000000:11` axes, their product, and applying a point."""

import itertools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

_SELECTOR = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<id>[^\]]+)\])?$")


class GridError(ValueError):
    """A --vary option that cannot be read or applied."""


@dataclass(frozen=True)
class Axis:
    """One varied setting: a path into the Problem and the values it takes."""

    path: str
    values: tuple[Any, ...]


def _scalar(text: str) -> Any:
    """A number if it reads as one (base 10), true/false/null, else the text itself.

    YAML's older rules would read `1:30` as 90 and `010` as 8: not what a person means.
    """
    text = text.strip()
    if not text:
        raise GridError("an empty value")
    for parse in (int, float):
        try:
            return parse(text)
        except ValueError:
            pass
    return {"true": True, "false": False, "null": None}.get(text.lower(), text)


def _range_values(start: Any, stop: Any, count: Any, option: str) -> tuple[Any, ...]:
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, stop))
    if not numeric or not isinstance(count, int) or count < 1:
        raise GridError("START:STOP:COUNT needs two numbers and a count >= 1")
    points = np.linspace(start, stop, count)
    if isinstance(start, int) and isinstance(stop, int):
        return tuple(int(round(p)) for p in points)
    return tuple(float(p) for p in points)


def parse_axis(option: str) -> Axis:
    """`PATH=START:STOP:COUNT` (evenly spaced) or `PATH=V1,V2,...`; repeated values once."""
    path, sep, spec = option.partition("=")
    if not sep or not path.strip() or not spec.strip():
        raise GridError(f"--vary {option}: expected PATH=START:STOP:COUNT or PATH=V1,V2,...")
    try:
        if ":" in spec:
            parts = spec.split(":")
            if len(parts) != 3:
                raise GridError("a range is START:STOP:COUNT")
            values = _range_values(*(_scalar(p) for p in parts), option)
        else:
            values = tuple(_scalar(v) for v in spec.split(","))
    except GridError as exc:
        raise GridError(f"--vary {option}: {exc}") from None
    for segment in path.strip().split("."):
        if not _SELECTOR.match(segment):
            raise GridError(f"--vary {option}: '{segment}' is not a field or field[id]")
    return Axis(path.strip(), tuple(dict.fromkeys(values)))


def points(axes: list[Axis]) -> list[dict[str, Any]]:
    """Every combination of the axes' values, the last axis varying fastest."""
    return [
        dict(zip((a.path for a in axes), combo, strict=True))
        for combo in itertools.product(*(a.values for a in axes))
    ]


def _child(node: Any, segment: str, path: str) -> Any:
    match = _SELECTOR.match(segment)
    assert match is not None
    key, record_id = match["key"], match["id"]
    if not isinstance(node, dict):
        raise GridError(f"{path}: '{key}' is inside a value, not a record")
    if record_id is None:
        return node.setdefault(key, {})
    for record in node.get(key, []):
        if isinstance(record, dict) and record.get("id") == record_id:
            return record
    raise GridError(f"{path}: no record '{record_id}' in {key}")


def set_path(raw: dict[str, Any], path: str, value: Any) -> None:
    """Set `policy.weights.cost` or `roles[R1].must_fill` in raw Problem data."""
    *parents, last = path.split(".")
    node: Any = raw
    for segment in parents:
        node = _child(node, segment, path)
    if "[" in last:
        raise GridError(f"{path}: the last part must be a field name")
    if not isinstance(node, dict):
        raise GridError(f"{path}: cannot set a field inside a value")
    node[last] = value


def point_label(point: dict[str, Any]) -> str:
    """A short label for a grid point, e.g. `budget=500000 diversity_mode=targets`."""
    return " ".join(f"{path.rsplit('.', 1)[-1]}={value}" for path, value in point.items())
