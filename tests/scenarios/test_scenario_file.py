"""Scenario files: data sources, edits, variants and the errors a bad file gets."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from models.loading import InputError
from scenarios.resolve import merge, resolve, resolve_raw, variant_names
from scenarios.scenario import load_scenario
from tests.factories import make_candidate, make_org, make_problem, make_role, pin

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"


def _problem_file(folder: Path) -> Path:
    problem = make_problem(
        orgs=[make_org("O1")],
        roles=[make_role("R1"), make_role("R2")],
        candidates=[make_candidate("C1"), make_candidate("C2")],
        pinned=[pin("C1", "R1")],
    )
    path = folder / "round.json"
    path.write_text(problem.model_dump_json(exclude_defaults=True), encoding="utf-8")
    return path


def _scenario(folder: Path, **fields: Any) -> Path:
    _problem_file(folder)
    data = {"name": "Test round", "data": {"problem": "round.json"}} | fields
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_problem_path_is_relative_to_the_scenario_file(tmp_path):
    scenario = load_scenario(_scenario(tmp_path))
    assert scenario.data.problem == tmp_path / "round.json"
    assert [r.id for r in resolve(scenario).roles] == ["R1", "R2"]


def test_policy_overrides_merge_nested_keys(tmp_path):
    path = _scenario(
        tmp_path,
        policy={"budget": 1000, "weights": {"cost": 3}},
        variants={"rich": {"policy": {"budget": None, "weights": {"relocation": 7}}}},
    )
    scenario = load_scenario(path)
    base, rich = resolve(scenario), resolve(scenario, "rich")
    assert base.policy.budget == 1000 and base.policy.weights.cost == 3
    assert rich.policy.budget is None
    assert rich.policy.weights.cost == 3 and rich.policy.weights.relocation == 7


def test_variant_drops_and_adds_records(tmp_path):
    extra_role = make_role("R9").model_dump(mode="json")
    extra_candidate = make_candidate("C9").model_dump(mode="json")
    path = _scenario(
        tmp_path,
        variants={
            "what_if": {
                "drop_candidates": ["C1"],
                "drop_roles": ["R2"],
                "add_roles": [extra_role],
                "add_candidates": [extra_candidate],
                "forbidden": [{"candidate_id": "C2", "role_id": "R9"}],
            }
        },
    )
    problem = resolve(load_scenario(path), "what_if")
    assert [c.id for c in problem.candidates] == ["C2", "C9"]
    assert [r.id for r in problem.roles] == ["R1", "R9"]
    assert problem.pinned == []  # the pin named the dropped candidate
    assert {(s.candidate_id, s.role_id) for s in problem.scores} == {("C2", "R1")}
    assert [(f.candidate_id, f.role_id) for f in problem.forbidden] == [("C2", "R9")]


def test_variant_names_list_base_first(tmp_path):
    path = _scenario(tmp_path, variants={"b": {}, "a": {}})
    assert variant_names(load_scenario(path)) == ["base", "b", "a"]


def test_unknown_ids_in_edits_are_named(tmp_path):
    path = _scenario(tmp_path, variants={"v": {"drop_candidates": ["C1", "NOPE"]}})
    with pytest.raises(InputError) as caught:
        resolve(load_scenario(path), "v")
    assert caught.value.errors == ["variants.v.drop_candidates[1]: unknown candidate 'NOPE'"]


def test_unknown_variant_lists_the_known_ones(tmp_path):
    scenario = load_scenario(_scenario(tmp_path, variants={"v": {}}))
    with pytest.raises(InputError) as caught:
        resolve_raw(scenario, "w")
    assert caught.value.errors == ["unknown variant 'w' (known: base, v)"]


def test_added_record_errors_name_the_record_and_field(tmp_path):
    bad_role = make_role("R9").model_dump(mode="json") | {"organisation_id": "NOWHERE"}
    path = _scenario(tmp_path, variants={"v": {"add_roles": [bad_role]}})
    with pytest.raises(InputError) as caught:
        resolve(load_scenario(path), "v")
    assert "roles[R9].organisation_id: unknown organisation 'NOWHERE'" in caught.value.errors


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"data": {}}, "give exactly one of problem, tables or generate"),
        ({"data": {"problem": "a.json", "generate": {"size": "xs"}}}, "exactly one"),
        ({"variants": {"base": {}}}, "'base' is reserved"),
        ({"polcy": {}}, "polcy: unknown field"),
        ({"variants": {"v": {"policy": "cheap"}}}, "variants.v.policy"),
    ],
)
def test_bad_scenario_files_are_explained(tmp_path, fields, expected):
    with pytest.raises(InputError) as caught:
        load_scenario(_scenario(tmp_path, **fields))
    assert any(expected in line for line in caught.value.errors), caught.value.errors


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ndata: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.errors[0].startswith("line ")


def test_generated_data_is_reproducible(tmp_path):
    path = tmp_path / "gen.yaml"
    path.write_text(
        yaml.safe_dump({"name": "g", "data": {"generate": {"size": "xs", "seed": 4}}}),
        encoding="utf-8",
    )
    first, second = (resolve(load_scenario(path)) for _ in range(2))
    assert first == second and len(first.roles) == 10


def test_merge_replaces_lists_and_scalars():
    assert merge({"a": {"b": 1, "c": [1]}, "d": 1}, {"a": {"c": [2]}, "d": None}) == {
        "a": {"b": 1, "c": [2]},
        "d": None,
    }


@pytest.mark.parametrize(
    "name", ["midlands_placement_round", "ned_board_round", "national_stress_round"]
)
def test_bundled_examples_resolve_every_variant(name):
    scenario = load_scenario(EXAMPLES / f"{name}.yaml")
    assert scenario.description and scenario.variants
    for variant in variant_names(scenario):
        problem = resolve(scenario, variant)
        assert problem.roles and problem.candidates
        assert variant == "base" or scenario.variants[variant].description


@pytest.mark.parametrize("name", ["../escape", "a/b", ".hidden", "with space"])
def test_variant_names_must_be_plain(tmp_path, name):
    with pytest.raises(InputError) as caught:
        load_scenario(_scenario(tmp_path, variants={name: {}}))
    assert any("use letters, digits" in line for line in caught.value.errors)
