"""The placement command: exit codes, error listings, written files."""

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.console import EXIT_INFEASIBLE, EXIT_INVALID, EXIT_OK, EXIT_VIOLATIONS

runner = CliRunner()


def _problem(**policy: Any) -> dict[str, Any]:
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
        "roles": [
            {
                "id": "R1",
                "organisation_id": "O1",
                "kind": "executive",
                "band": "VSM",
                "required_skills": {"finance": 3},
            },
        ],
        "candidates": [
            {
                "id": "C1",
                "kinds": ["executive"],
                "home": {"lat": 51.5, "lon": -0.2},
                "region": "Y56",
                "band": "VSM",
                "skills": {"finance": 4},
                "fit_and_proper": True,
                "demographics": {"sex": "female"},
            },
            {
                "id": "C2",
                "kinds": ["executive"],
                "home": {"lat": 51.5, "lon": -0.2},
                "region": "Y56",
                "band": "VSM",
                "skills": {"finance": 2},
                "fit_and_proper": True,
            },
        ],
        "policy": policy,
    }


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_solve_writes_a_solution_that_verifies(tmp_path):
    """solve exits 0, writes the solution, and verify accepts it."""
    problem = _write(tmp_path, "p.json", _problem())
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["solve", str(problem), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert json.loads(out.read_text())["placements"][0]["candidate_id"] == "C1"
    checked = runner.invoke(app, ["verify", str(problem), str(out)])
    assert checked.exit_code == EXIT_OK, checked.output


def test_solve_invalid_input_lists_errors(tmp_path):
    """Invalid input exits 2 and names record and field, without a traceback."""
    data = _problem()
    data["candidates"][0]["home"]["lat"] = 95
    result = runner.invoke(app, ["solve", str(_write(tmp_path, "p.json", data))])
    assert result.exit_code == EXIT_INVALID
    assert "candidates[C1].home.lat: must be between -90 and 90" in result.output
    assert "Traceback" not in result.output


def test_solve_infeasible_lists_conflicts(tmp_path):
    """A pinned pair that breaks H4 exits 3 naming the rule and records."""
    data = _problem()
    data["pinned"] = [{"candidate_id": "C2", "role_id": "R1"}]
    result = runner.invoke(app, ["solve", str(_write(tmp_path, "p.json", data))])
    assert result.exit_code == EXIT_INFEASIBLE
    assert "H4" in result.output and "C2" in result.output


def test_flow_backend_on_side_constraints_is_refused(tmp_path):
    """Asking the flow for a budgeted problem is an input error, not a crash."""
    problem = _write(tmp_path, "p.json", _problem(budget=1000))
    result = runner.invoke(app, ["solve", str(problem), "--backend", "flow"])
    assert result.exit_code == EXIT_INVALID
    assert "budget" in result.output


def test_verify_reports_one_line_per_violation(tmp_path):
    """A hand-made solution that breaks H4 and H1 exits 1 with a line for each."""
    problem = _write(tmp_path, "p.json", _problem())
    placement = {
        "candidate_id": "C2",
        "role_id": "R1",
        "package_id": "none",
        "score": 1,
        "breakdown": {},
        "relocation": False,
        "distance_km": 6.922,
    }
    solution = {"status": "feasible", "placements": [placement, placement | {"candidate_id": "C1"}]}
    result = runner.invoke(app, ["verify", str(problem), str(_write(tmp_path, "s.json", solution))])
    assert result.exit_code == EXIT_VIOLATIONS
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert any(line.startswith("H4") for line in lines)
    assert any(line.startswith("H1") for line in lines)


def test_schema_prints_the_problem_schema():
    """schema prints a JSON Schema with the contract's top-level fields."""
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == EXIT_OK
    schema = json.loads(result.output)
    assert {"organisations", "roles", "candidates", "policy"} <= set(schema["properties"])


def test_generate_writes_a_valid_problem(tmp_path):
    """generate writes a problem that solve accepts."""
    out = tmp_path / "xs.json"
    result = runner.invoke(app, ["generate", "--size", "xs", "--seed", "3", "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    solved = runner.invoke(app, ["solve", str(out), "--time-limit", "5"])
    assert solved.exit_code == EXIT_OK, solved.output
