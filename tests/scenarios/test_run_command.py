"""`placement run`: every output written, the solution re-checks, bad input is explained."""

import csv
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.console import EXIT_INFEASIBLE, EXIT_INVALID, EXIT_OK

EXAMPLES = Path(__file__).resolve().parents[2] / "scenarios" / "examples"
OUTPUTS = ("problem.json", "solution.json", "placements.csv", "placements.xlsx", "report.html")

runner = CliRunner()


def _run_and_verify(scenario: Path, out: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["run", str(scenario), "--out", str(out), *extra])
    assert result.exit_code == EXIT_OK, result.output
    for name in OUTPUTS:
        assert (out / name).stat().st_size > 0, name
    checked = runner.invoke(app, ["verify", str(out / "problem.json"), str(out / "solution.json")])
    assert checked.exit_code == EXIT_OK, checked.output
    solution = json.loads((out / "solution.json").read_text())
    with (out / "placements.csv").open(newline="") as handle:
        assert len(list(csv.DictReader(handle))) == len(solution["placements"])
    assert "report: file://" in result.output
    return solution


def test_midlands_placement_round(tmp_path):
    solution = _run_and_verify(EXAMPLES / "midlands_placement_round.yaml", tmp_path / "out")
    assert solution["status"] == "optimal"
    assert solution["kpis"]["spend"] <= solution["kpis"]["budget"]


def test_midlands_variant(tmp_path):
    solution = _run_and_verify(
        EXAMPLES / "midlands_placement_round.yaml",
        tmp_path / "out",
        "--variant",
        "finance_director_walsall",
    )
    assert any(p["role_id"] == "R-WALSALL-DOF" for p in solution["placements"]) or any(
        u["role_id"] == "R-WALSALL-DOF" for u in solution["unfilled"]
    )


def test_ned_board_round(tmp_path):
    solution = _run_and_verify(EXAMPLES / "ned_board_round.yaml", tmp_path / "out")
    assert solution["status"] == "optimal"


@pytest.mark.slow
def test_national_stress_round(tmp_path):
    solution = _run_and_verify(EXAMPLES / "national_stress_round.yaml", tmp_path / "out")
    assert solution["status"] in ("optimal", "feasible")


def _tiny_scenario(folder: Path, **fields) -> Path:
    data = {"name": "tiny", "data": {"generate": {"size": "xs", "seed": 2}}} | fields
    path = folder / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_infeasible_variant_still_writes_its_report(tmp_path):
    two_in_one_role = [
        {"candidate_id": "C00001", "role_id": "R00001"},
        {"candidate_id": "C00002", "role_id": "R00001"},
    ]
    scenario = _tiny_scenario(tmp_path, variants={"impossible": {"pinned": two_in_one_role}})
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["run", str(scenario), "--variant", "impossible", "--out", str(out)]
    )
    assert result.exit_code == EXIT_INFEASIBLE, result.output
    assert json.loads((out / "solution.json").read_text())["conflicts"]
    assert 'id="conflicts"' in (out / "report.html").read_text()


def test_bad_scenario_exits_2_naming_the_field(tmp_path):
    scenario = _tiny_scenario(tmp_path, policy={"budget": -5})
    result = runner.invoke(app, ["run", str(scenario), "--out", str(tmp_path / "out")])
    assert result.exit_code == EXIT_INVALID
    assert "policy.budget" in result.output
    assert not (tmp_path / "out").exists()


def test_unknown_variant_exits_2(tmp_path):
    result = runner.invoke(app, ["run", str(_tiny_scenario(tmp_path)), "--variant", "nope"])
    assert result.exit_code == EXIT_INVALID
    assert "unknown variant 'nope'" in result.output
