"""Sweep grids: parsing --vary, the product of axes, and setting a point in the data."""

import pytest

from scenarios.grid import GridError, parse_axis, point_label, points, set_path


def test_range_of_integers_stays_integer():
    axis = parse_axis("policy.budget=0:2000000:11")
    assert axis.path == "policy.budget"
    assert axis.values == tuple(range(0, 2_000_001, 200_000))
    assert all(isinstance(v, int) for v in axis.values)


def test_range_of_floats_and_lists():
    assert parse_axis("policy.merit_tolerance=0:0.1:3").values == (0.0, 0.05, 0.1)
    assert parse_axis("policy.diversity_mode=tie_break,targets").values == ("tie_break", "targets")
    assert parse_axis("roles[R1].must_fill=true,false").values == (True, False)


@pytest.mark.parametrize(
    "option",
    [
        "policy.budget",
        "=1,2",
        "policy.budget=",
        "policy.budget=a:b:3",
        "policy.budget=0:1:0",
        "policy..budget=1",
        "policy.budget=1:30",
        "policy.budget=1,,2",
    ],
)
def test_bad_options_are_refused(option):
    with pytest.raises(GridError):
        parse_axis(option)


def test_values_read_as_a_person_means_them():
    assert parse_axis("policy.seed=010,7").values == (10, 7)
    assert parse_axis("roles[R1].title=no,yes").values == ("no", "yes")
    assert parse_axis("policy.budget=null,5").values == (None, 5)
    assert parse_axis("policy.budget=0:1:3").values == (0, 1)  # rounding repeats are dropped


def test_points_are_the_product_last_axis_fastest():
    grid = points([parse_axis("policy.budget=1,2"), parse_axis("policy.seed=5,6")])
    assert grid == [
        {"policy.budget": 1, "policy.seed": 5},
        {"policy.budget": 1, "policy.seed": 6},
        {"policy.budget": 2, "policy.seed": 5},
        {"policy.budget": 2, "policy.seed": 6},
    ]
    assert point_label(grid[1]) == "budget=1 seed=6"


def test_set_path_creates_nested_fields_and_selects_records():
    raw = {"policy": {}, "roles": [{"id": "R1"}, {"id": "R2"}]}
    set_path(raw, "policy.weights.cost", 2.5)
    set_path(raw, "roles[R2].must_fill", True)
    assert raw["policy"] == {"weights": {"cost": 2.5}}
    assert raw["roles"][1] == {"id": "R2", "must_fill": True}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("roles[R9].must_fill", "no record 'R9' in roles"),
        ("policy.budget.x", "inside a value"),
        ("roles[R1]", "last part must be a field"),
    ],
)
def test_set_path_errors_name_the_path(path, message):
    raw = {"policy": {"budget": 5}, "roles": [{"id": "R1"}]}
    with pytest.raises(GridError, match=message):
        set_path(raw, path, 1)
