"""`placement compare` and `placement sweep`: columns, changes, grids, plots and executors."""

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.console import EXIT_INVALID, EXIT_NO_SOLUTION, EXIT_OK
from scenarios.executors import SolveFailed, SolveTask, run_local

runner = CliRunner()


@pytest.fixture
def scenario(tmp_path) -> Path:
    data = {
        "name": "small round",
        "data": {"generate": {"size": "xs", "seed": 2}},
        "variants": {
            "rich": {"description": "no budget limit", "policy": {"budget": None}},
            "poor": {"description": "no incentive money", "policy": {"budget": 0}},
            "smaller_pool": {"drop_candidates": ["C00001", "C00002", "C00003"]},
        },
    }
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_compare_shows_every_variant_and_the_changes(scenario, tmp_path):
    out = tmp_path / "cmp"
    result = runner.invoke(
        app, ["compare", str(scenario), "--jobs", "2", "--out", str(out)], terminal_width=200
    )
    assert result.exit_code == EXIT_OK, result.output
    record = json.loads((out / "comparison.json").read_text())
    labels = [c["label"] for c in record["columns"]]
    assert labels == ["base", "rich", "poor", "smaller_pool"]
    assert all(c["measures"]["status"] in ("optimal", "feasible") for c in record["columns"])
    assert set(record["changes"]) == {"rich", "poor", "smaller_pool"}
    dropped = {"C00001", "C00002", "C00003"}
    assert not dropped & {change["after"] for change in record["changes"]["smaller_pool"]}
    assert "fill rate, challenged" in record["columns"][0]["measures"]
    assert "Comparison" in result.output


def test_compare_named_variants_start_from_the_base(scenario, tmp_path):
    result = runner.invoke(app, ["compare", str(scenario), "poor", "--jobs", "1"])
    assert result.exit_code == EXIT_OK, result.output
    assert "differ from base" in result.output


def test_compare_several_files(scenario, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(scenario.read_text().replace("seed: 2", "seed: 3"), encoding="utf-8")
    result = runner.invoke(app, ["compare", str(scenario), str(other)], terminal_width=200)
    assert result.exit_code == EXIT_OK, result.output
    assert "differ from small:base" in " ".join(result.output.split())


def test_compare_unknown_variant_exits_2(scenario):
    result = runner.invoke(app, ["compare", str(scenario), "nope"])
    assert result.exit_code == EXIT_INVALID
    assert "unknown variant 'nope'" in result.output


def test_sweep_writes_table_and_plots(scenario, tmp_path):
    out = tmp_path / "sweep"
    result = runner.invoke(
        app,
        ["sweep", str(scenario), "--vary", "policy.budget=0:30000:4", "--out", str(out)],
        terminal_width=200,
    )
    assert result.exit_code == EXIT_OK, result.output
    rows = json.loads((out / "sweep.json").read_text())
    assert [row["policy.budget"] for row in rows] == [0, 10000, 20000, 30000]
    assert all(row["spend"] <= row["policy.budget"] for row in rows)
    fills = [row["fill_rate"] for row in rows]
    assert fills == sorted(fills), "more budget never fills fewer roles at the optimum"
    assert (out / "sweep.csv").read_text().count("\n") == len(rows) + 1
    assert (out / "fill_and_fit.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep_plots_merit_against_representation(tmp_path):
    """Points far apart show representation; the plot puts merit against it."""
    midlands = (
        Path(__file__).resolve().parents[2] / "scenarios/examples/midlands_placement_round.yaml"
    )
    out = tmp_path / "modes"
    args = ["sweep", str(midlands), "--vary", "policy.diversity_mode=tie_break,targets"]
    result = runner.invoke(app, [*args, "--jobs", "2", "--out", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    rows = json.loads((out / "sweep.json").read_text())
    assert rows[0]["share_female"] is not None
    assert (out / "merit_representation.png").read_bytes()[:4] == b"\x89PNG"


def test_sweep_bad_vary_exits_2(scenario):
    result = runner.invoke(app, ["sweep", str(scenario), "--vary", "roles[R404].must_fill=true"])
    assert result.exit_code == EXIT_INVALID
    assert "no record 'R404' in roles" in result.output


def _sweep(scenario: Path, out: Path, *options: str) -> list[dict]:
    args = ["sweep", str(scenario), "--vary", "policy.budget=0:30000:4", "--out", str(out)]
    result = runner.invoke(app, [*args, *options])
    assert result.exit_code == EXIT_OK, result.output
    answers = []
    for path in sorted((out / "solutions").glob("*.json")):
        solution = json.loads(path.read_text())
        del solution["solver"]["wall_time_s"], solution["solver"]["stages"]
        answers.append(solution)
    return answers


@pytest.mark.slow
def test_ray_executor_gives_the_local_results(scenario, tmp_path):
    local = _sweep(scenario, tmp_path / "local", "--jobs", "2")
    on_ray = _sweep(scenario, tmp_path / "ray", "--executor", "ray")
    assert len(local) == 4
    assert on_ray == local


def test_a_failing_solve_is_named_not_a_stack_trace():
    broken = [SolveTask("budget=1", "{}")]
    with pytest.raises(SolveFailed, match="budget=1: ValidationError"):
        run_local(broken, 1, lambda i, s: None)


def test_compare_refuses_a_column_listed_twice(scenario):
    result = runner.invoke(app, ["compare", str(scenario), str(scenario)])
    assert result.exit_code == EXIT_INVALID
    assert "listed twice" in result.output


def test_a_smaller_sweep_into_the_same_folder_leaves_nothing_stale(scenario, tmp_path):
    out = tmp_path / "sw"
    for spec in ("policy.budget=0,8000,16000", "policy.budget=0,8000"):
        result = runner.invoke(app, ["sweep", str(scenario), "--vary", spec, "--out", str(out)])
        assert result.exit_code == EXIT_OK, result.output
    assert sorted(p.name for p in (out / "solutions").iterdir()) == ["000.json", "001.json"]


def test_batch_failure_exits_4_naming_the_point(scenario, monkeypatch):
    def broken(tasks, jobs, on_done):
        raise SolveFailed(tasks[0].label, RuntimeError("boom"))

    monkeypatch.setattr("scenarios.batch.run_local", broken)
    result = runner.invoke(app, ["sweep", str(scenario), "--vary", "policy.budget=7"])
    assert result.exit_code == EXIT_NO_SOLUTION
    assert "solve failed budget=7: RuntimeError: boom" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_unreachable_ray_cluster_is_explained(scenario):
    args = ["sweep", str(scenario), "--vary", "policy.budget=0,8000", "--executor", "ray"]
    result = runner.invoke(app, [*args, "--ray-address", "127.0.0.1:1"])
    assert result.exit_code == EXIT_INVALID
    assert "nothing answers at '127.0.0.1:1'" in " ".join(result.output.split())


def test_sweep_says_which_plots_it_could_not_draw(scenario, tmp_path):
    args = ["sweep", str(scenario), "--vary", "policy.diversity_mode=tie_break,targets"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "modes")])
    assert result.exit_code == EXIT_OK, result.output
    assert "no fill_and_fit.png: the first --vary setting is not a number" in result.output
    assert not (tmp_path / "modes" / "fill_and_fit.png").exists()
