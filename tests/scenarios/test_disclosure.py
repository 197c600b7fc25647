"""Side-by-side aggregates: no difference between shown columns singles out a few people."""

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.console import EXIT_OK
from scenarios.disclosure import showable

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
runner = CliRunner()


def _people(*ids: int) -> frozenset[str]:
    return frozenset(f"C{i}" for i in ids)


def test_identical_and_far_apart_groups_are_shown():
    base = _people(*range(20))
    far = _people(*range(5, 25))  # five out, five in
    assert showable([base, base, far], threshold=5) == [True, True, True]


def test_a_group_a_few_people_away_is_withheld():
    base = _people(*range(20))
    one_dropped = _people(*range(1, 20))
    assert showable([base, one_dropped], threshold=5) == [True, False]


def test_both_sides_of_a_difference_must_be_large():
    base = _people(*range(20))
    five_in_one_out = _people(*range(1, 20), *range(100, 105))
    assert showable([base, five_in_one_out], threshold=5) == [True, False]


def test_withheld_groups_are_not_compared_against():
    """A withheld column does not block later ones: only shown columns can be subtracted."""
    base = _people(*range(20))
    near = _people(*range(1, 20))
    five_more = _people(*range(20), *range(100, 105))  # one from `near`, five from `base`
    assert showable([base, near, five_more], threshold=5) == [True, False, True]


def test_compare_withholds_a_variant_that_drops_one_candidate(tmp_path):
    scenario = tmp_path / "drop.yaml"
    scenario.write_text(
        yaml.safe_dump(
            {
                "name": "drop one",
                "data": {"problem": str(EXAMPLES / "region_s.json")},
                "variants": {"d1": {"drop_candidates": ["C00049"]}},
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(scenario), "--jobs", "2", "--out", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    base, dropped = json.loads((out / "comparison.json").read_text())["columns"]
    assert base["measures"]["female (placed / pool)"] != "suppressed"
    assert dropped["measures"]["female (placed / pool)"] == "suppressed"
    assert "representation withheld in d1" in " ".join(result.output.split())
