"""H5: within the commute limit, or willing to relocate with a relocation-support package."""

import pytest

from models.package import Package
from models.pairs import PairRef
from models.problem import Problem
from tests.factories import (
    HOME,
    haversine_km,
    make_candidate,
    make_org,
    make_package,
    make_problem,
    make_role,
    pin,
)
from tests.matching.rules.expect import placement, solve_infeasible, solve_optimal

NONE = make_package("none")
RELOCATION = make_package("reloc", 2000, relocation_support=True)


def _problem_at(
    km: float,
    *,
    packages: list[Package] | None = None,
    pinned: list[PairRef] | None = None,
    **candidate_fields: object,
) -> Problem:
    """One role at an organisation `km` north of the candidate's home (limit 60 km)."""
    return make_problem(
        [make_role("R1")],
        [make_candidate("C1", **candidate_fields)],
        orgs=[make_org("O1", km=km)],
        packages=packages,
        pinned=pinned,
    )


def test_h5_within_commute_placed():
    """A role within the commute limit is placed without relocation."""
    found = placement(solve_optimal(_problem_at(59.5)), "R1")
    assert found.relocation is False
    assert found.distance_km == pytest.approx(59.5, abs=1e-3)


def test_h5_beyond_commute_unwilling_never_placed():
    """A role just beyond the commute limit is not given to someone unwilling to relocate."""
    problem = _problem_at(60.5, packages=[NONE, RELOCATION])
    assert solve_optimal(problem).placements == []


def test_h5_relocation_uses_support_package():
    """Beyond the commute limit, a willing candidate is placed as a relocation with support."""
    problem = _problem_at(60.5, packages=[NONE, RELOCATION], willing_to_relocate=True)
    found = placement(solve_optimal(problem), "R1")
    assert found.relocation is True
    assert found.package_id == "reloc"


def test_h5_relocation_without_support_package_never_placed():
    """A willing candidate beyond the limit is not placed when no package gives support."""
    problem = _problem_at(100, willing_to_relocate=True)
    assert solve_optimal(problem).placements == []


def test_h5_longer_commute_limit_placed():
    """A candidate with a 120 km limit commutes 100 km without relocating."""
    problem = _problem_at(100, max_commute_km=120)
    assert placement(solve_optimal(problem), "R1").relocation is False


def test_h5_pinned_beyond_commute_infeasible():
    """Pinning an unwilling candidate beyond the commute limit is an H5 conflict."""
    problem = _problem_at(100, packages=[NONE, RELOCATION], pinned=[pin("C1", "R1")])
    solve_infeasible(problem, "H5", "C1", "R1")


def test_h5_pinned_relocation_without_support_infeasible():
    """Pinning a relocation with a package lacking support is an H5 conflict."""
    problem = _problem_at(
        100,
        packages=[NONE, RELOCATION],
        pinned=[pin("C1", "R1", "none")],
        willing_to_relocate=True,
    )
    solve_infeasible(problem, "H5", "C1", "R1")


def test_h5_exactly_at_commute_limit_is_within():
    """A role exactly at the commute limit is within it: no relocation needed."""
    org = make_org("O1", km=50)
    limit = haversine_km(HOME, org.location)
    problem = make_problem(
        [make_role("R1")], [make_candidate("C1", max_commute_km=limit)], orgs=[org]
    )
    assert placement(solve_optimal(problem), "R1").relocation is False
