"""POST /v1/validate: errors naming record and field, and data-quality warnings."""

from tests.api.conftest import Service, Tenant, assert_error, example_problem
from tests.factories import make_candidate, make_problem, make_role


def test_a_valid_problem_warns_of_a_role_no_candidate_is_eligible_for(
    service: Service, tenant: Tenant
):
    problem = make_problem(
        [make_role("R1"), make_role("R2", required_skills={"clinical": 5})],
        [make_candidate("C1"), make_candidate("C2")],
    ).model_dump(mode="json")

    response = service.client.post("/v1/validate", json=problem, headers=tenant.submitter)

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["valid"] is True and report["errors"] == []
    warning = next(w for w in report["warnings"] if w["code"] == "role_without_candidates")
    assert warning["path"].endswith("roles[R2]")
    assert "R2" in warning["message"]
    assert not any("R1" in w["path"] for w in report["warnings"])


def test_an_invalid_problem_lists_every_error_by_record_id_and_field(
    service: Service, tenant: Tenant
):
    """Validation is a report (200), not a failed request."""
    problem = example_problem()
    problem["candidates"][0]["home"]["lat"] = 123
    problem["candidates"][1]["shoe_size"] = 9

    response = service.client.post("/v1/validate", json=problem, headers=tenant.submitter)

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["valid"] is False and report["warnings"] == []
    assert {"path": "body.candidates[C1].home.lat", "message": "must be between -90 and 90"} in (
        report["errors"]
    )
    assert {"path": "body.candidates[C2].shoe_size", "message": "unknown field"} in (
        report["errors"]
    )


def test_validate_a_clean_problem_has_no_errors_and_only_expected_warnings(
    service: Service, tenant: Tenant
):
    """The example's band 9 candidate C3 fits neither VSM role; nothing else is amiss."""
    response = service.client.post("/v1/validate", json=example_problem(), headers=tenant.user)

    report = response.json()
    assert report["valid"] is True and report["errors"] == []
    assert [(w["path"], w["code"]) for w in report["warnings"]] == [
        ("candidates[C3]", "candidate_without_roles")
    ]


def test_validate_needs_a_key_with_the_submit_scope(service: Service, tenant: Tenant):
    without_key = service.client.post("/v1/validate", json=example_problem())
    read_only = service.client.post("/v1/validate", json=example_problem(), headers=tenant.reader)

    assert_error(without_key, 401, "unauthorized")
    assert_error(read_only, 403, "forbidden")


def test_validate_of_a_body_that_is_not_an_object_is_422(service: Service, tenant: Tenant):
    response = service.client.post("/v1/validate", json=[1, 2], headers=tenant.user)

    assert_error(response, 422, "invalid")
