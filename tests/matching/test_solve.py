"""solve(): statuses, backends, KPIs, suppression and the no-echo rule for demographics."""

import json
from collections import Counter

import pytest
from hypothesis import assume, given

from matching.errors import AssignmentError
from matching.solve import solve
from matching.verify import verify
from models.policy import Weights
from models.problem import Problem
from models.solution import Representation, Solution
from tests.factories import (
    make_candidate,
    make_member,
    make_org,
    make_package,
    make_problem,
    make_role,
    pin,
    requirement,
    target,
)
from tests.strategies import problems

TIME_LIMIT_S = 5.0
#: Rates are reported to four decimal places.
RATE_ROUNDING = 5e-5
UNFILLED_CODES = {
    "no_eligible_candidate",
    "not_worth_filling",
    "budget",
    "outcompeted",
    "constraints",
}
PERSONAL_KEYS = {"sex", "ethnic_minority", "disabled"}
PERSONAL_VALUES = ("female", "male", "prefer_not_to_say")


def _solved(problem: Problem, **kwargs: object) -> Solution:
    """Solve; the answer must be usable and pass verify."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S, **kwargs)
    assert solution.status in ("optimal", "feasible"), solution.conflicts
    assert verify(problem, solution) == []
    return solution


def _keys(node: object) -> set[str]:
    """Every mapping key anywhere in parsed JSON."""
    if isinstance(node, dict):
        return set(node).union(*(_keys(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_keys(v) for v in node))
    return set()


def _women(n: int, threshold: int) -> Problem:
    """`n` women for `n` executive roles, in targets mode so representation is reported."""
    roles = [make_role(f"R{i}") for i in range(n)]
    people = [make_candidate(f"C{i}", demographics={"sex": "female"}) for i in range(n)]
    return make_problem(
        roles,
        people,
        diversity_mode="targets",
        diversity_targets=[target("female", 0.0, hard=False)],
        disclosure_threshold=threshold,
    )


def _female_all(solution: Solution) -> Representation:
    (entry,) = [
        e
        for e in solution.kpis.representation
        if e.attribute == "female" and e.scope == "all" and e.unit == "all"
    ]
    return entry


def _solved_or_skipped(problem: Problem) -> Solution:
    """Solve; only usable answers go on (infeasible ones are checked elsewhere)."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S)
    assert solution.status in ("optimal", "feasible", "infeasible")
    assume(solution.status != "infeasible")
    return solution


@given(problems())
def test_kpis_agree_with_placements(problem):
    """Fill rate, spend, budget and relocations agree with the placements."""
    solution = _solved_or_skipped(problem)
    kpis = solution.kpis
    costs = {p.id: p.cost for p in problem.effective_packages}
    assert {p.package_id for p in solution.placements} <= set(costs)
    assert kpis.roles == len(problem.roles)
    assert kpis.filled == len({p.role_id for p in solution.placements})
    assert kpis.fill_rate == pytest.approx(kpis.filled / kpis.roles, abs=RATE_ROUNDING)
    assert kpis.spend == sum(costs[p.package_id] for p in solution.placements)
    assert kpis.budget == problem.policy.budget
    assert kpis.budget is None or kpis.spend <= kpis.budget
    assert kpis.relocations == sum(p.relocation for p in solution.placements)


@given(problems())
def test_unfilled_roles_and_drawn_counts_agree(problem):
    """Every empty role is listed with a known code and a reason; drawn counts are people."""
    solution = _solved_or_skipped(problem)
    placed_roles = {p.role_id for p in solution.placements}
    assert {u.role_id for u in solution.unfilled} == {r.id for r in problem.roles} - placed_roles
    assert all(u.code in UNFILLED_CODES and u.reason.strip() for u in solution.unfilled)
    source = {c.id: c.current_organisation_id for c in problem.candidates}
    drawn = Counter(source[c] for c in {p.candidate_id for p in solution.placements})
    drawn.pop(None, None)
    assert solution.kpis.drawn_per_organisation == dict(drawn)


def _small(count: int, threshold: int) -> bool:
    """A count below the threshold, zero included: none or all with it discloses everyone."""
    return count < threshold


@given(problems())
def test_small_counts_are_suppressed(problem):
    """Representation counts below the disclosure threshold are never shown."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S)
    assume(solution.kpis is not None)
    threshold = problem.policy.disclosure_threshold
    for entry in solution.kpis.representation:
        shown = (entry.placed, entry.with_attribute, entry.share)
        if entry.suppressed:
            assert shown == (None, None, None), entry
        else:
            assert entry.placed >= threshold, entry
            assert not _small(entry.with_attribute, threshold), entry
            assert not _small(entry.placed - entry.with_attribute, threshold), entry


@given(problems())
def test_solution_never_echoes_demographics(problem):
    """No personal demographic key or value appears in placements or outside tie_breaks."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S)
    dumped = json.loads(solution.model_dump_json(exclude={"tie_breaks"}))
    assert not _keys(dumped) & PERSONAL_KEYS
    placements = json.dumps(dumped["placements"])
    assert not [value for value in PERSONAL_VALUES if value in placements]


def test_small_group_representation_suppressed():
    """Four women placed under a threshold of five are reported only as suppressed."""
    entry = _female_all(_solved(_women(4, threshold=5)))
    assert entry.suppressed
    assert (entry.placed, entry.with_attribute, entry.share) == (None, None, None)


def test_all_alike_group_representation_suppressed():
    """Six women and no men: 100% would tell the sex of each named placement."""
    entry = _female_all(_solved(_women(6, threshold=5)))
    assert entry.suppressed


def test_large_mixed_group_representation_shown():
    """Six women and six men placed under a threshold of five are reported in full."""
    problem = _women(6, threshold=5)
    men = [make_candidate(f"M{i}", demographics={"sex": "male"}) for i in range(6)]
    roles = [make_role(f"S{i}") for i in range(6)]
    problem = problem.model_copy(
        update={
            "candidates": problem.candidates + men,
            "roles": problem.roles + roles,
            "scores": [],
        }
    )
    entry = _female_all(_solved(Problem.model_validate(problem.model_dump())))
    assert not entry.suppressed
    assert (entry.placed, entry.with_attribute, entry.share) == (12, 6, 0.5)


def test_targets_mode_says_so_in_notices():
    """A solution made in targets mode carries a notice; one in tie_break mode does not."""
    targets = _solved(_women(1, threshold=5))
    tie_break = _solved(make_problem([make_role("R1")], [make_candidate()]))
    assert targets.notices
    assert not tie_break.notices


def test_fill_rate_counts_empty_roles():
    """Two of three roles filled gives a fill rate of 2/3 and one unfilled reason."""
    roles = [make_role("R1"), make_role("R2"), make_role("R3", kind="ned", band=None)]
    people = [make_candidate("C1"), make_candidate("C2", kinds=["executive"])]
    solution = _solved(make_problem(roles, people, scores={("C1", "R3"): 1}))
    assert solution.kpis.fill_rate == pytest.approx(2 / 3, abs=RATE_ROUNDING)
    assert [u.role_id for u in solution.unfilled] == ["R3"]


def test_spend_within_budget_reported():
    """Spend is the sum of the chosen packages' costs and stays within the budget."""
    role = make_role("R1", allowed_packages=["bonus"])
    packages = [make_package("none"), make_package("bonus", 3000)]
    solution = _solved(make_problem([role], [make_candidate()], packages=packages, budget=4000))
    assert (solution.kpis.spend, solution.kpis.budget) == (3000, 4000)


def test_flow_backend_reports_optimal():
    """A problem without side constraints solved by the flow path is reported optimal."""
    problem = make_problem([make_role("R1"), make_role("R2")], [make_candidate("C1")])
    solution = _solved(problem, backend="flow")
    assert solution.status == "optimal"
    assert solution.solver.backend == "flow"
    assert solution.objective == 10


def test_named_backends_are_used():
    """The cpsat and pulp backends report themselves in the solver statistics."""
    problem = make_problem([make_role("R1")], [make_candidate("C1")])
    for backend in ("cpsat", "pulp"):
        solution = _solved(problem, backend=backend, workers=1)
        assert solution.solver.backend == backend
        assert solution.objective == 10


def _side_constrained() -> dict[str, Problem]:
    """One problem per kind of side constraint the flow backend refuses."""
    roles = [make_role("R1")]
    people = [make_candidate("C1", current_organisation_id="O1", demographics={"sex": "male"})]
    board = make_org("O1", board=[make_member(skills={"finance": 5})])
    return {
        "budget": make_problem(roles, people, budget=1000),
        "max_drawn": make_problem(roles, people, max_drawn_per_organisation=1),
        "targets": make_problem(
            roles, people, diversity_mode="targets", diversity_targets=[target("female", 0.0)]
        ),
        "board_requirements": make_problem(
            roles,
            people,
            orgs=[board.model_copy(update={"board_requirements": [requirement("finance", 3)]})],
        ),
        "tie_break_with_tolerance": make_problem(
            roles,
            [make_candidate("C1", demographics={"sex": "female"})],
            weights=Weights(),
            merit_tolerance=0.1,
        ),
    }


@pytest.mark.parametrize("kind", sorted(_side_constrained()))
def test_flow_refuses_side_constraints(kind):
    """The flow backend raises AssignmentError on a side-constrained problem."""
    with pytest.raises(AssignmentError):
        solve(_side_constrained()[kind], backend="flow", time_limit_s=TIME_LIMIT_S)


def test_flow_runs_exact_tie_break_without_tolerance():
    """With merit_tolerance 0 the flow solves the tie-break stage itself, as cpsat does."""
    people = [
        make_candidate("C1", demographics={"sex": "male"}),
        make_candidate("C2", demographics={"sex": "female"}),
    ]
    problem = make_problem([make_role("R1")], people, weights=Weights(diversity=10))
    by_flow = _solved(problem, backend="flow")
    by_cpsat = _solved(problem, backend="cpsat")
    assert by_flow.solver.backend == "flow"
    assert by_flow.objective == pytest.approx(by_cpsat.objective)
    assert [p.candidate_id for p in by_flow.placements] == ["C2"]
    assert [p.candidate_id for p in by_cpsat.placements] == ["C2"]


@pytest.mark.parametrize("kind", sorted(_side_constrained()))
def test_auto_solves_side_constraints(kind):
    """The auto backend solves each side-constrained problem the flow path refuses."""
    solution = _solved(_side_constrained()[kind])
    assert solution.status == "optimal"
    assert [(p.candidate_id, p.role_id) for p in solution.placements] == [("C1", "R1")]


@pytest.mark.parametrize("kind", sorted(_side_constrained()))
def test_side_constrained_problem_without_eligible_pairs(kind):
    """A side-constrained problem in which no pair is eligible solves to no placements."""
    problem = _side_constrained()[kind]
    nobody = problem.model_copy(update={"forbidden": [pin("C1", "R1")]})
    solution = _solved(nobody)
    assert solution.placements == []
    assert solution.objective == 0


def _crowded(n: int) -> Problem:
    """`n` candidates for `n` roles at five organisations, with budget and draw limit."""
    orgs = [make_org(f"O{i}", km=10 * i) for i in range(5)]
    roles = [make_role(f"R{i}", f"O{i % 5}") for i in range(n)]
    people = [
        make_candidate(f"C{i}", current_organisation_id=f"O{i % 5}", willing_to_relocate=True)
        for i in range(n)
    ]
    scores = {(f"C{i}", f"R{j}"): (7 * i + 11 * j) % 23 for i in range(n) for j in range(n)}
    packages = [make_package("none"), make_package("move", 1500, relocation_support=True)]
    return make_problem(
        roles,
        people,
        orgs=orgs,
        packages=packages,
        scores=scores,
        budget=6000,
        max_drawn_per_organisation=5,
    )


def test_short_time_limit_returns_a_status():
    """A very short time limit gives a status (and a valid answer if any), never an error."""
    problem = _crowded(30)
    solution = solve(problem, time_limit_s=0.05)
    assert solution.status in ("optimal", "feasible", "timeout_no_solution")
    if solution.status != "timeout_no_solution":
        assert verify(problem, solution) == []


def test_unknown_backend_raises():
    """An unknown backend name is refused with AssignmentError."""
    problem = make_problem([make_role("R1")], [make_candidate()])
    with pytest.raises(AssignmentError):
        solve(problem, backend="gurobi", time_limit_s=TIME_LIMIT_S)


def test_infeasible_is_a_result_not_an_exception():
    """An impossible must_fill role gives status infeasible with conflicts, not an exception."""
    role = make_role("R1", must_fill=True, required_skills={"digital": 5})
    solution = solve(make_problem([role], [make_candidate()]), time_limit_s=TIME_LIMIT_S)
    assert solution.status == "infeasible"
    assert solution.conflicts
    assert solution.placements == []
