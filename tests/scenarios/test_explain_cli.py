"""placement explain and placement recommend: readable text, JSON that reads back into the
contract, owner-only files, errors that name the record, and an infeasible problem's
relaxations."""

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matching.solve import solve
from models.explanation import Explanation, Recommendation
from models.problem import Problem
from models.solution import Solution
from scenarios.cli import app
from scenarios.console import EXIT_INFEASIBLE, EXIT_INVALID, EXIT_OK
from scenarios.generate import generate_problem

runner = CliRunner()

#: In the xs problem of seed 1, R00004 is filled and has four eligible candidates; R00003
#: has none.
CONTESTED_ROLE = "R00004"
HOPELESS_ROLE = "R00003"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Solution]:
    """A small generated problem with the side rules in play in the default tie_break mode
    (in targets mode explanations measure merit alone), its solution, and both files."""
    folder = tmp_path_factory.mktemp("explain")
    raw = generate_problem("xs", seed=1, variant="full").model_dump(mode="json")
    raw["policy"]["diversity_mode"] = "tie_break"
    problem = Problem.model_validate(raw)
    solution = solve(problem)
    assert solution.status == "optimal"
    problem_path = _write(folder / "problem.json", problem.model_dump_json())
    return problem_path, _write(folder / "solution.json", solution.model_dump_json()), solution


def _explanation(*args: str) -> Explanation:
    result = runner.invoke(app, ["explain", *args, "--json"])
    assert result.exit_code == EXIT_OK, result.output
    return Explanation.model_validate_json(result.stdout)


def test_explain_text_names_the_runner_up_and_its_cost(solved):
    """The text shows the runner-up of the role asked about with its objective change, as
    the JSON gives them."""
    problem, solution, answer = solved
    role = answer.placements[0].role_id
    [placed] = _explanation(str(problem), str(solution), "--role", role).placements
    runner_up = placed.runner_up
    assert runner_up is not None

    result = runner.invoke(app, ["explain", str(problem), str(solution), "--role", role])

    assert result.exit_code == EXIT_OK, result.output
    text = " ".join(result.stdout.split())
    assert f"runner-up: {runner_up.candidate_id} in {role}" in text
    assert f"({runner_up.objective_change:+,.3f})" in text
    assert f"{placed.placement.candidate_id} in {role}" in text


def test_explain_json_covers_the_roles_and_candidates_asked_about(solved, tmp_path):
    """Only the placement, empty role and candidate named are explained; --out writes the
    same JSON readable by its owner only."""
    problem, solution, answer = solved
    placed = answer.placements[0]
    out = tmp_path / "explanation.json"

    result = runner.invoke(
        app,
        ["explain", str(problem), str(solution), "--json", "--out", str(out)]
        + ["--role", placed.role_id, "--role", HOPELESS_ROLE, "--role", HOPELESS_ROLE]
        + ["--candidate", placed.candidate_id],
    )

    assert result.exit_code == EXIT_OK, result.output
    explanation = Explanation.model_validate_json(result.stdout)
    assert [p.placement.role_id for p in explanation.placements] == [placed.role_id]
    [empty] = explanation.unfilled
    assert (empty.role_id, empty.code, empty.eligible) == (
        HOPELESS_ROLE,
        "no_eligible_candidate",
        0,
    )
    assert sum(empty.excluded.values()) == len(
        Problem.model_validate_json(problem.read_text()).candidates
    )
    [candidate] = explanation.candidates
    assert candidate.candidate_id == placed.candidate_id
    assert [p.placement.role_id for p in candidate.placements] == [placed.role_id]
    assert Explanation.model_validate_json(out.read_text()) == explanation
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_recommend_json_ranks_top_k_by_objective(solved):
    """The best of K candidates is the solution's own holder at the optimum; the rest
    follow in descending objective, each in the role asked about."""
    problem, solution, answer = solved
    holder = next(p.candidate_id for p in answer.placements if p.role_id == CONTESTED_ROLE)

    result = runner.invoke(
        app,
        ["recommend", str(problem), "--role", CONTESTED_ROLE, "--top", "3"]
        + ["--solution", str(solution), "--json"],
    )

    assert result.exit_code == EXIT_OK, result.output
    recommendation = Recommendation.model_validate_json(result.stdout)
    assert recommendation.eligible >= 3
    ranked = recommendation.candidates
    assert len(ranked) == 3
    assert len({a.candidate_id for a in ranked}) == 3
    assert all(a.role_id == CONTESTED_ROLE for a in ranked)
    objectives = [a.objective for a in ranked]
    assert objectives == sorted(objectives, reverse=True)
    assert ranked[0].candidate_id == holder
    assert ranked[0].objective == pytest.approx(answer.objective, abs=1e-3)
    assert all(a.objective_change < 0 for a in ranked[1:])


def test_recommend_text_is_a_ranked_table(solved):
    """Without --solution the problem is solved first; the table lists the candidates."""
    problem, _, answer = solved
    result = runner.invoke(app, ["recommend", str(problem), "--role", CONTESTED_ROLE])

    assert result.exit_code == EXIT_OK, result.output
    assert f"Best candidates for {CONTESTED_ROLE}" in result.stdout
    holder = next(p.candidate_id for p in answer.placements if p.role_id == CONTESTED_ROLE)
    rows = [line.split("│") for line in result.stdout.splitlines() if line.startswith("│")]
    ranks = {cells[1].strip(): cells[2].strip() for cells in rows}
    assert ranks["1"] == holder
    assert set(ranks) == {"1", "2", "3", "4"}  # the default top 5, of four eligible
    assert f"1. {holder}: no other role changes" in result.stdout


@pytest.mark.parametrize("command", ["explain", "recommend"])
def test_an_unknown_role_exits_2_naming_it(solved, command):
    problem, solution, _ = solved
    args = [str(problem), str(solution)] if command == "explain" else [str(problem)]

    result = runner.invoke(app, [command, *args, "--role", "R-NOWHERE"])

    assert result.exit_code == EXIT_INVALID
    assert f"cannot {command}: unknown role 'R-NOWHERE'" in result.output
    assert "Traceback" not in result.output


def test_an_invalid_solution_file_exits_2_naming_the_field(solved, tmp_path):
    problem, _, _ = solved
    bad = _write(tmp_path / "bad.json", json.dumps({"status": "optimal", "placements": [{}]}))

    result = runner.invoke(app, ["explain", str(problem), str(bad)])

    assert result.exit_code == EXIT_INVALID
    assert "placements[0].candidate_id: Field required" in result.output
    assert "Traceback" not in result.output


def test_explain_of_an_infeasible_problem_lists_conflicts_and_relaxations(solved, tmp_path):
    """A must-fill role nobody is eligible for: the conflict names H1 and the role, and
    letting the role stay empty gives back the original optimum."""
    problem_path, _, answer = solved
    raw = json.loads(problem_path.read_text())
    role = next(r for r in raw["roles"] if r["id"] == HOPELESS_ROLE)
    role["must_fill"] = True
    problem = _write(tmp_path / "problem.json", json.dumps(raw))
    solution = tmp_path / "solution.json"
    solved_now = runner.invoke(app, ["solve", str(problem), "-o", str(solution)])
    assert solved_now.exit_code == EXIT_INFEASIBLE, solved_now.output

    text = runner.invoke(app, ["explain", str(problem), str(solution)])
    explanation = _explanation(str(problem), str(solution))

    assert text.exit_code == EXIT_OK, text.output
    [conflict] = explanation.conflicts
    assert (conflict.conflict.rule, conflict.conflict.records) == ("H1", [HOPELESS_ROLE])
    [relaxation] = conflict.relaxations
    assert relaxation.suggestion == f"let role {HOPELESS_ROLE} stay empty (must_fill: false)"
    assert relaxation.status == "optimal"
    assert relaxation.objective == pytest.approx(answer.objective)
    flat = " ".join(text.stdout.split())
    assert f"conflict H1 {HOPELESS_ROLE}" in flat
    assert f"1. {relaxation.suggestion}: optimal" in flat
