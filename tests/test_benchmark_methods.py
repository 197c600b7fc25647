"""The benchmark's peer methods solve the same problems to the same optimum as the engine,
and every answer they give passes `verify`; greedy never beats the optimum."""

import pytest

from benchmarks.methods import METHODS
from benchmarks.suite import run_isolated
from matching.solve import solve
from scenarios.generate import generate_problem

TIME_LIMIT_S = 20.0
EXACT = ("engine", "cpsat", "cbc", "highs")


@pytest.mark.parametrize("variant", ["pure", "full"])
def test_exact_methods_agree_and_greedy_is_no_better(variant):
    problem = generate_problem("xs", seed=2, variant=variant)
    optimum = solve(problem, time_limit_s=TIME_LIMIT_S).objective
    runs = {name: method(problem, TIME_LIMIT_S) for name, method in METHODS.items()}
    for name in EXACT + (("flow",) if variant == "pure" else ()):
        assert runs[name].status == "optimal", name
        assert runs[name].objective == pytest.approx(optimum, abs=1e-3), name
        assert runs[name].bound == pytest.approx(optimum, abs=1e-3), name
        assert runs[name].verified is True, name
    assert runs["greedy"].objective is not None and runs["greedy"].objective <= optimum + 1e-3
    # Without side rules greedy's at-most checks are all the rules there are.
    if variant == "pure":
        assert runs["greedy"].verified is True
    if variant == "full":
        assert runs["flow"].status == "not_applicable"


def test_isolated_run_reports_its_outcome_and_memory(tmp_path):
    """A run in its own process, under the memory cap, answers with its Run and peak RSS."""
    path = tmp_path / "xs_pure.json"
    path.write_text(generate_problem("xs", seed=2, variant="pure").model_dump_json())
    run = run_isolated("flow", path, TIME_LIMIT_S)
    assert run["status"] == "optimal" and run["verified"] is True
    assert run["peak_mb"] > 0
