"""Bad input gets one readable line per error, naming the record id and the field."""

import copy
import json
from typing import Any

import pytest

from models.loading import InputError, parse_model
from models.problem import Problem


def _valid() -> dict[str, Any]:
    return {
        "organisations": [
            {
                "id": "O1",
                "name": "A",
                "type": "acute",
                "region": "Y56",
                "location": {"lat": 51.5, "lon": -0.1},
            },
        ],
        "roles": [{"id": "R1", "organisation_id": "O1", "kind": "executive", "band": "VSM"}],
        "candidates": [
            {
                "id": "C17",
                "kinds": ["executive"],
                "home": {"lat": 51.5, "lon": -0.2},
                "region": "Y56",
                "band": "VSM",
                "fit_and_proper": True,
            },
        ],
        "packages": [{"id": "none", "cost": 0}],
    }


def _errors(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse_model(Problem, data, "problem.json")
    return caught.value.errors


def test_valid_problem_parses():
    """The baseline used by the other tests is valid."""
    assert parse_model(Problem, _valid(), "problem.json").roles[0].id == "R1"


def test_latitude_out_of_range_names_candidate_and_field():
    """A latitude of 95 is reported against the candidate's id and field path."""
    data = _valid()
    data["candidates"][0]["home"]["lat"] = 95
    assert _errors(data) == ["candidates[C17].home.lat: must be between -90 and 90"]


def test_nan_coordinate_is_rejected():
    """NaN (accepted by Python's JSON reader) is not a coordinate."""
    data = json.loads(
        json.dumps(_valid()).replace('"lat": 51.5, "lon": -0.1', '"lat": NaN, "lon": -0.1')
    )
    assert _errors(data) == ["organisations[O1].location.lat: must be between -90 and 90"]


def test_unknown_field_is_an_error():
    """A misspelt key is not silently dropped."""
    data = _valid()
    data["roles"][0]["must_fil"] = True
    assert _errors(data) == ["roles[R1].must_fil: unknown field"]


def test_negative_budget_is_an_error():
    """A negative budget names policy.budget."""
    data = _valid()
    data["policy"] = {"budget": -1}
    (line,) = _errors(data)
    assert line.startswith("policy.budget: ")


def test_duplicate_ids_and_unknown_references_are_all_reported():
    """Cross-record checks report every problem at once."""
    data = _valid()
    data["roles"].append(copy.deepcopy(data["roles"][0]))
    data["roles"][1]["organisation_id"] = "OX"
    data["candidates"][0]["conflicts"] = ["O9"]
    data["pinned"] = [{"candidate_id": "C17", "role_id": "R9"}]
    errors = _errors(data)
    assert "roles[R1].id: duplicate id (used 2 times)" in errors
    assert "roles[R1].organisation_id: unknown organisation 'OX'" in errors
    assert "candidates[C17].conflicts: unknown organisation 'O9'" in errors
    assert "pinned[0].role_id: unknown role 'R9'" in errors


def test_pinned_and_forbidden_pair_is_an_error():
    """A pair cannot be both pinned and forbidden."""
    data = _valid()
    data["pinned"] = [{"candidate_id": "C17", "role_id": "R1"}]
    data["forbidden"] = [{"candidate_id": "C17", "role_id": "R1"}]
    assert _errors(data) == ["pinned[0]: pair (C17, R1) is also forbidden"]


def test_unknown_package_in_allowed_packages():
    """allowed_packages must name packages that exist."""
    data = _valid()
    data["roles"][0]["allowed_packages"] = ["gold"]
    assert _errors(data) == ["roles[R1].allowed_packages: unknown package 'gold'"]


def test_duplicate_scores_for_one_pair():
    """At most one external score per pair."""
    data = _valid()
    data["scores"] = [{"candidate_id": "C17", "role_id": "R1", "score": 3}] * 2
    assert _errors(data) == ["scores: pair (C17, R1) has 2 scores"]
