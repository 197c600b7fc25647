"""POST /v1/explain and POST /v1/recommend: answers from the solver processes, the sync
limits, refusals naming what they refuse, and the OpenAPI document."""

from typing import Any

import pytest

from api.routes import sync
from models.explanation import Explanation, Recommendation
from tests.api.conftest import Service, Tenant, assert_error, example_problem
from tests.factories import make_candidate, make_problem, make_role


def _ranked_problem() -> dict[str, Any]:
    """Four candidates for R1 with fits 40, 30, 20 and 5, and a second role any of them
    takes for 10: merit puts C1 in R1 and one of the others in R2."""
    problem = make_problem(
        [make_role("R1"), make_role("R2")],
        [make_candidate(f"C{i}") for i in range(1, 5)],
        scores={("C1", "R1"): 40, ("C2", "R1"): 30, ("C3", "R1"): 20, ("C4", "R1"): 5},
        time_limit_s=5,
    )
    return problem.model_dump(mode="json")


def _solved(service: Service, tenant: Tenant, problem: dict[str, Any]) -> dict[str, Any]:
    response = service.client.post("/v1/solve", json=problem, headers=tenant.user)
    assert response.status_code == 200, response.text
    return response.json()


def test_explain_gives_the_runner_up_of_a_placement(service: Service, tenant: Tenant):
    """In the example C1 holds R1; C2 is the only other candidate for it, who then leaves
    R2 empty (C1 is not skilled enough for R2)."""
    problem = example_problem()
    body = {"problem": problem, "solution": _solved(service, tenant, problem), "role_ids": ["R1"]}

    response = service.client.post("/v1/explain", json=body, headers=tenant.user)

    assert response.status_code == 200, response.text
    explanation = Explanation.model_validate_json(response.text)
    [placed] = explanation.placements
    assert (placed.placement.candidate_id, placed.placement.role_id) == ("C1", "R1")
    runner_up = placed.runner_up
    assert runner_up is not None
    assert (runner_up.candidate_id, runner_up.role_id) == ("C2", "R1")
    assert runner_up.objective_change < 0
    assert runner_up.objective == pytest.approx(explanation.objective + runner_up.objective_change)
    assert [(c.role_id, c.before, c.after) for c in runner_up.changes] == [("R2", "C2", None)]
    assert explanation.unfilled == [] and explanation.candidates == []


def test_explain_of_an_infeasible_solution_relaxes_the_problems_own_conflict(
    service: Service, tenant: Tenant
):
    """The posted conflict is not taken on trust: the answer relaxes the one the problem has
    (C3 is pinned to R1, whose band C3 cannot take)."""
    problem = example_problem()
    problem["pinned"] = [{"candidate_id": "C3", "role_id": "R1"}]
    made_up = {"rule": "H2", "records": ["nobody"], "message": "made up"}
    body = {"problem": problem, "solution": {"status": "infeasible", "conflicts": [made_up]}}

    response = service.client.post("/v1/explain", json=body, headers=tenant.user)

    assert response.status_code == 200, response.text
    explanation = Explanation.model_validate_json(response.text)
    assert explanation.conflicts
    assert all(c.conflict.records[:2] == ["C3", "R1"] for c in explanation.conflicts)
    relaxation = explanation.conflicts[0].relaxations[0]
    assert relaxation.suggestion == "unpin C3 from R1"
    assert relaxation.status == "optimal" and relaxation.filled == 2


def test_explain_of_a_solution_that_breaks_the_rules_is_422_at_the_solution(
    service: Service, tenant: Tenant
):
    """C3 (band 9) placed in a VSM role breaks H8: the engine refuses, naming the rule."""
    problem = example_problem()
    solution = _solved(service, tenant, problem)
    solution["placements"][0]["candidate_id"] = "C3"

    response = service.client.post(
        "/v1/explain", json={"problem": problem, "solution": solution}, headers=tenant.user
    )

    error = assert_error(response, 422, "invalid")
    assert "does not hold" in error["message"] and "H8" in error["message"]
    assert error["details"][0]["path"] == "body.solution"


def test_recommend_ranks_the_top_candidates_by_objective(service: Service, tenant: Tenant):
    """Without a solution the problem is solved first; each candidate's objective is the best
    placement with them in R1."""
    body = {"problem": _ranked_problem(), "role_id": "R1", "top": 3}

    response = service.client.post("/v1/recommend", json=body, headers=tenant.user)

    assert response.status_code == 200, response.text
    recommendation = Recommendation.model_validate_json(response.text)
    assert recommendation.eligible == 4
    assert recommendation.objective == pytest.approx(50)
    ranked = [(a.candidate_id, a.objective) for a in recommendation.candidates]
    assert ranked == [("C1", 50), ("C2", 40), ("C3", 30)]
    assert all(a.role_id == "R1" and a.proven for a in recommendation.candidates)


def test_recommend_against_a_given_solution_measures_changes_from_it(
    service: Service, tenant: Tenant
):
    problem = _ranked_problem()
    body = {"problem": problem, "role_id": "R1", "top": 1}
    body["solution"] = _solved(service, tenant, problem)

    response = service.client.post("/v1/recommend", json=body, headers=tenant.user)

    assert response.status_code == 200, response.text
    [best] = Recommendation.model_validate_json(response.text).candidates
    assert (best.candidate_id, best.objective_change, best.changes) == ("C1", 0, [])


@pytest.mark.parametrize(
    ("path", "extra", "message"),
    [
        ("/v1/explain", {"role_ids": ["R1", "R9"]}, "role_ids: unknown role 'R9'"),
        ("/v1/explain", {"candidate_ids": ["C7"]}, "candidate_ids: unknown candidate 'C7'"),
        ("/v1/recommend", {"role_id": "R9"}, "role_id: unknown role 'R9'"),
    ],
)
def test_an_unknown_id_is_422_naming_it(
    service: Service, tenant: Tenant, path: str, extra: dict[str, Any], message: str
):
    body: dict[str, Any] = {"problem": example_problem()}
    if path == "/v1/explain":
        body["solution"] = {"status": "optimal"}

    response = service.client.post(path, json=body | extra, headers=tenant.user)

    error = assert_error(response, 422, "invalid")
    assert {"path": "body", "message": message} in error["details"]


def test_recommend_top_over_the_limit_is_422(service: Service, tenant: Tenant):
    body = {"problem": example_problem(), "role_id": "R1", "top": 51}

    response = service.client.post("/v1/recommend", json=body, headers=tenant.user)

    error = assert_error(response, 422, "invalid")
    assert error["details"][0]["path"] == "body.top"


def _minimal_bodies() -> list[tuple[str, dict[str, Any]]]:
    """A valid body for each route, on the example problem."""
    return [
        ("/v1/explain", {"problem": example_problem(), "solution": {"status": "optimal"}}),
        ("/v1/recommend", {"problem": example_problem(), "role_id": "R1"}),
    ]


@pytest.mark.parametrize(("path", "body"), _minimal_bodies())
def test_explain_and_recommend_need_the_submit_scope(
    service: Service, tenant: Tenant, path: str, body: dict[str, Any]
):
    without_key = service.client.post(path, json=body)
    read_only = service.client.post(path, json=body, headers=tenant.reader)

    assert_error(without_key, 401, "unauthorized")
    assert "'submit'" in assert_error(read_only, 403, "forbidden")["message"]


@pytest.mark.parametrize(("path", "body"), _minimal_bodies())
def test_a_problem_over_the_sync_size_limit_is_413(
    limited: Service, path: str, body: dict[str, Any]
):
    """The example's 3 x 2 pairs are over the limited service's 4; nothing points to jobs,
    which do not explain."""
    response = limited.client.post(path, json=body, headers=limited.tenant().user)

    error = assert_error(response, 413, "too_large")
    assert "3 candidates x 2 roles" in error["message"]
    assert "/v1/jobs" not in error["message"]


def test_explain_when_every_solver_is_busy_is_429_with_retry_after(
    limited: Service, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(sync, "SLOT_WAIT_S", 0.1)
    problem = make_problem([make_role("R1")], [make_candidate("C1")]).model_dump(mode="json")
    pool = limited.app.state.pool
    slot = pool.acquire(1.0)
    assert slot is not None
    try:
        response = limited.client.post(
            "/v1/recommend",
            json={"problem": problem, "role_id": "R1"},
            headers=limited.tenant().user,
        )
    finally:
        pool.release(slot)

    assert_error(response, 429, "too_many_requests")
    assert int(response.headers["Retry-After"]) > 0


def test_the_openapi_document_lists_both_routes_and_their_examples_work(
    service: Service, tenant: Tenant
):
    """Each route has a summary and an example body, which the service answers: the
    explain example's runner-up for R1 is C2, and C1 and C2 are the candidates for R1."""
    document = service.client.get("/openapi.json").json()

    answers = {}
    for path in ("/v1/explain", "/v1/recommend"):
        operation = document["paths"][path]["post"]
        assert operation["summary"]
        assert {"413", "422", "429"} <= set(operation["responses"])
        [example] = operation["requestBody"]["content"]["application/json"]["examples"].values()
        response = service.client.post(path, json=example["value"], headers=tenant.user)
        assert response.status_code == 200, response.text
        answers[path] = response.text

    explanation = Explanation.model_validate_json(answers["/v1/explain"])
    runner_up = explanation.placements[0].runner_up
    assert runner_up is not None and runner_up.candidate_id == "C2"
    recommendation = Recommendation.model_validate_json(answers["/v1/recommend"])
    assert [a.candidate_id for a in recommendation.candidates] == ["C1", "C2"]
