"""A small problem for the OpenAPI document's examples: two trusts, two roles, three people."""

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
