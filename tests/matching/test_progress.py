"""solve(progress=...): stages, incumbents and bounds as a progress display sees them."""

import pytest

from matching.progress import Progress
from matching.solve import solve
from models.problem import Problem
from scenarios.generate import generate_problem


@pytest.fixture(scope="module")
def region():
    return generate_problem("xs", seed=2)


@pytest.mark.parametrize("backend", ["auto", "cpsat", "pulp"])
def test_progress_ends_at_the_solution(region, backend):
    seen: list[Progress] = []
    solution = solve(region, backend=backend, time_limit_s=20, progress=seen.append)
    assert seen[0].stage == "eligibility and scoring"
    assert [p.stage for p in seen[-2:]] == ["reporting and verifying", "done"]
    final = seen[-1]
    assert final.objective == pytest.approx(solution.objective, abs=1e-6)
    assert final.bound is not None and final.bound >= solution.objective - 1e-6


@pytest.mark.parametrize("backend", ["auto", "cpsat"])
def test_cp_sat_reports_incumbents_while_it_searches(region, backend):
    """Besides the result reported once the backend returns, the solver's callback reports."""
    seen: list[Progress] = []
    solve(region, backend=backend, time_limit_s=20, progress=seen.append)
    searching = [p for p in seen if p.stage == "searching" and p.objective is not None]
    assert len(searching) >= 2


def test_an_infeasible_solve_ends_with_its_status():
    two_in_one_role = [
        {"candidate_id": "C00001", "role_id": "R00001"},
        {"candidate_id": "C00002", "role_id": "R00001"},
    ]
    raw = generate_problem("xs", seed=2).model_dump(mode="json")
    problem = Problem.model_validate(raw | {"pinned": two_in_one_role})
    seen: list[Progress] = []
    solution = solve(problem, progress=seen.append)
    assert solution.status == "infeasible"
    assert seen[-1].stage == "done: infeasible"


def test_incumbents_improve_and_bounds_tighten(region):
    seen: list[Progress] = []
    solve(region, time_limit_s=20, progress=seen.append)
    objectives = [p.objective for p in seen if p.objective is not None]
    bounds = [p.bound for p in seen if p.bound is not None]
    assert objectives == sorted(objectives)
    assert bounds == sorted(bounds, reverse=True)
    assert all(p.gap is None or p.gap >= 0 for p in seen)
    assert [p.elapsed_s for p in seen] == sorted(p.elapsed_s for p in seen)


def test_flow_reports_its_exact_optimum():
    problem = generate_problem("xs", seed=2, variant="pure")
    seen: list[Progress] = []
    solution = solve(problem, backend="flow", progress=seen.append)
    assert seen[-1].objective == pytest.approx(solution.objective)
    assert seen[-1].gap == 0
