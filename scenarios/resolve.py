"""Turn a scenario (and one of its variants) into the Problem that is solved."""

import copy
from collections.abc import Iterable
from typing import Any

from models.loading import InputError, parse_model, read_json
from models.problem import Problem
from scenarios.scenario import BASE, DataSource, Edits, Scenario

PAIR_COLLECTIONS = ("pinned", "forbidden", "scores")


def load_data(data: DataSource) -> dict[str, Any]:
    """The round's records as raw Problem data, before any edits."""
    if data.problem is not None:
        raw = read_json(data.problem)
        if not isinstance(raw, dict):
            raise InputError(str(data.problem), ["a Problem is a JSON object"])
        return raw
    if data.tables is not None:
        from scenarios.tables import read_tables

        return read_tables(data.tables)
    assert data.generate is not None
    from scenarios.generate import generate_problem

    spec = data.generate
    problem = generate_problem(spec.size, seed=spec.seed, variant=spec.variant)
    return problem.model_dump(mode="json", exclude_defaults=True)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Nested keys merge; any other value replaces what was there."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _drop(
    raw: dict[str, Any], collection: str, pair_key: str, ids: list[str], where: str
) -> list[str]:
    """Remove records and every pair that names them; unknown ids are errors."""
    known = {record.get("id") for record in raw.get(collection, [])}
    errors = [
        f"{where}.drop_{collection}[{i}]: unknown {collection[:-1]} '{record_id}'"
        for i, record_id in enumerate(ids)
        if record_id not in known
    ]
    dropped = set(ids)
    raw[collection] = [r for r in raw.get(collection, []) if r.get("id") not in dropped]
    for pairs in PAIR_COLLECTIONS:
        raw[pairs] = [p for p in raw.get(pairs, []) if p.get(pair_key) not in dropped]
    return errors


def _pair_dicts(pairs: Iterable[Any]) -> list[dict[str, Any]]:
    return [pair.model_dump(mode="json", exclude_none=True) for pair in pairs]


def apply_edits(raw: dict[str, Any], edits: Edits, where: str) -> dict[str, Any]:
    """The raw problem with one scenario's or variant's edits made.

    Raises:
        InputError: naming the edit (e.g. `variants.v1.drop_roles[0]`) that cannot be made.
    """
    edited = copy.deepcopy(raw)
    errors = _drop(edited, "candidates", "candidate_id", edits.drop_candidates, where)
    errors += _drop(edited, "roles", "role_id", edits.drop_roles, where)
    edited["candidates"] = edited.get("candidates", []) + copy.deepcopy(edits.add_candidates)
    edited["roles"] = edited.get("roles", []) + copy.deepcopy(edits.add_roles)
    edited["pinned"] = edited.get("pinned", []) + _pair_dicts(edits.pinned)
    edited["forbidden"] = edited.get("forbidden", []) + _pair_dicts(edits.forbidden)
    edited["policy"] = merge(edited.get("policy", {}), edits.policy)
    if errors:
        raise InputError(where, errors)
    return edited


def variant_names(scenario: Scenario) -> list[str]:
    """`base` first, then the variants in file order."""
    return [BASE, *scenario.variants]


def resolve_raw(scenario: Scenario, variant: str = BASE) -> dict[str, Any]:
    """Raw Problem data of one variant: data, then scenario edits, then the variant's."""
    if variant != BASE and variant not in scenario.variants:
        known = ", ".join(variant_names(scenario))
        raise InputError(scenario.name, [f"unknown variant '{variant}' (known: {known})"])
    raw = apply_edits(load_data(scenario.data), scenario, "scenario")
    if variant != BASE:
        raw = apply_edits(raw, scenario.variants[variant], f"variants.{variant}")
    return raw


def to_problem(raw: dict[str, Any], source: str) -> Problem:
    """Validate the resolved data; errors name the record and field."""
    return parse_model(Problem, raw, source)


def resolve(scenario: Scenario, variant: str = BASE) -> Problem:
    """The Problem one variant of the scenario solves."""
    source = scenario.name if variant == BASE else f"{scenario.name} [{variant}]"
    return to_problem(resolve_raw(scenario, variant), source)
