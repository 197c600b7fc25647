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
    problem = json.loads((tmp_path / "out" / "problem.json").read_text())
    assert "R-WALSALL-DOF" in {r["id"] for r in problem["roles"]}
    assert "C00001" not in {c["id"] for c in problem["candidates"]}
    assert "C00001" not in {p["candidate_id"] for p in solution["placements"]}


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


def test_out_naming_a_file_is_refused_before_solving(tmp_path):
    taken = tmp_path / "afile"
    taken.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["run", str(_tiny_scenario(tmp_path)), "--out", str(taken)])
    assert result.exit_code == EXIT_INVALID
    assert "--out names a file" in result.output
    assert taken.read_text() == "mine"


def test_names_with_markup_are_printed_as_written(tmp_path):
    scenario = _tiny_scenario(tmp_path, name="Round [/b] :cross_mark: [v1]")
    result = runner.invoke(app, ["run", str(scenario), "--out", str(tmp_path / "out")])
    assert result.exit_code == EXIT_OK, result.output
    assert "Round [/b] :cross_mark: [v1]" in result.output


def test_personal_data_files_are_readable_by_their_owner_only(tmp_path):
    out = tmp_path / "out"
    runner.invoke(app, ["run", str(_tiny_scenario(tmp_path)), "--out", str(out)])
    assert (out / "problem.json").stat().st_mode & 0o777 == 0o600
    assert (out / "report.html").stat().st_mode & 0o077  # the report is for sharing


def test_a_rerun_leaves_no_stale_tie_break_audit(tmp_path):
    from models.solution import Solution, SolveStatus, TieBreak
    from scenarios.console import write_solution

    path = tmp_path / "solution.json"
    audit = TieBreak(
        role_id="R1",
        chosen_candidate_id="C1",
        merit_candidate_id="C2",
        attribute="female",
        chosen_merit=1.0,
        merit_choice_merit=1.0,
    )
    first = write_solution(path, Solution(status=SolveStatus.OPTIMAL, tie_breaks=[audit]))
    assert first[1].stat().st_mode & 0o777 == 0o600
    write_solution(path, Solution(status=SolveStatus.OPTIMAL))
    assert not first[1].exists()
