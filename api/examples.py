"""A small problem and its solution for the OpenAPI document's examples: two trusts, two
roles, three people."""

EXAMPLE_PROBLEM = {
    "organisations": [
        {
            "id": "RBK",
            "name": "Walsall Healthcare NHS Trust",
            "type": "acute",
            "region": "Midlands",
            "location": {"lat": 52.581, "lon": -1.991},
            "segment": 4,
        },
        {
            "id": "RNA",
            "name": "The Dudley Group NHS Foundation Trust",
            "type": "acute",
            "region": "Midlands",
            "location": {"lat": 52.502, "lon": -2.122},
        },
    ],
    "roles": [
        {
            "id": "R1",
            "organisation_id": "RBK",
            "kind": "executive",
            "title": "Director of Finance",
            "band": "VSM",
            "required_skills": {"finance": 4},
            "difficult_to_recruit": True,
        },
        {
            "id": "R2",
            "organisation_id": "RNA",
            "kind": "executive",
            "title": "Chief Operating Officer",
            "band": "VSM",
            "required_skills": {"operations": 4},
        },
    ],
    "candidates": [
        {
            "id": "C1",
            "kinds": ["executive"],
            "home": {"lat": 52.59, "lon": -2.0},
            "region": "Midlands",
            "band": "VSM",
            "skills": {"finance": 5, "operations": 3},
            "fit_and_proper": True,
        },
        {
            "id": "C2",
            "kinds": ["executive"],
            "home": {"lat": 52.48, "lon": -1.9},
            "region": "Midlands",
            "band": "VSM",
            "skills": {"finance": 4, "operations": 4},
            "fit_and_proper": True,
        },
        {
            "id": "C3",
            "kinds": ["executive"],
            "home": {"lat": 52.51, "lon": -2.1},
            "region": "Midlands",
            "band": "9",
            "skills": {"operations": 5},
            "fit_and_proper": True,
        },
    ],
    "policy": {"time_limit_s": 5},
}

#: The example problem's optimal solution as `POST /v1/solve` returns it: its placements, with
#: their score breakdowns shortened.
EXAMPLE_SOLUTION = {
    "status": "optimal",
    "objective": 70.36,
    "placements": [
        {
            "candidate_id": "C1",
            "role_id": "R1",
            "package_id": "none",
            "score": 22.0,
            "breakdown": {"term_fit": 22.0, "term_distance": -0.117, "value": 61.883},
            "relocation": False,
            "distance_km": 1.171,
        },
        {
            "candidate_id": "C2",
            "role_id": "R2",
            "package_id": "none",
            "score": 10.0,
            "breakdown": {"term_fit": 10.0, "term_distance": -1.523, "value": 8.477},
            "relocation": False,
            "distance_km": 15.228,
        },
    ],
}
