"""Explanations checked against independent answers: re-solves of edited problems, brute
force on tiny problems, eligibility re-read from the rules, and verify on every placement an
explanation offers."""

import functools
import re
from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings

from matching.explain import explain
from matching.recommend import recommend
from matching.solve import solve
from matching.verify import verify
from models.explanation import Alternative, Relaxation
from models.policy import Weights
from models.problem import Problem
from models.solution import Solution
from scenarios.generate import generate_problem
from tests.factories import (
    make_candidate,
    make_org,
    make_package,
    make_problem,
    make_role,
    pin,
    requirement,
    target,
)
from tests.matching.explain_oracles import (
    BruteForce,
    Eligibility,
    Raw,
    alternative_pairs,
    close,
    edited,
    representation,
    tie_break_problems,
    tiny_problems,
)
from tests.strategies import problems

TIME_LIMIT_S = 30.0
WORKERS = 2
#: Placements sampled from each size-s problem.
S_SAMPLE = 8
BRUTE_EXAMPLES = 40
#: Small random problems with every eligibility rule in play, for the exclusion counts.
ELIGIBILITY_EXAMPLES = 40
RECOMMEND_TOP = 3

GENERATED = [("xs", "pure", 0), ("xs", "pure", 1), ("xs", "full", 0), ("xs", "full", 1)]


@functools.cache
def generated(size: str, variant: str, seed: int) -> tuple[Problem, Solution]:
    """A generated problem and its solution (solved once per test session)."""
    problem = generate_problem(size, seed, variant)
    solution = solve(problem, time_limit_s=TIME_LIMIT_S, workers=WORKERS)
    assert solution.status == "optimal"
    return problem, solution


def as_measured(problem: Problem) -> Problem:
    """The problem as explanations measure it: in diversity_mode targets, merit alone (soft
    target penalties off; hard targets still hold), so no number speaks of one person's
    demographics."""
    if problem.policy.diversity_mode != "targets" or not problem.policy.diversity_targets:
        return problem
    return edited(problem, change=lambda raw: raw["policy"]["weights"].update(diversity=0.0))


def measured_objective(problem: Problem, solution: Solution) -> float:
    """The solution's objective as explanations measure it."""
    if as_measured(problem) is problem:
        return solution.objective
    pairs = [(p.candidate_id, p.role_id) for p in solution.placements]
    return resolved(edited(as_measured(problem), pin=pairs)).objective


def resolved(problem: Problem, backend: str = "auto") -> Solution:
    """An independent solve of an edited problem: optimal, verified, or infeasible."""
    solution = solve(problem, backend=backend, time_limit_s=TIME_LIMIT_S, workers=WORKERS)
    assert solution.status in ("optimal", "infeasible"), solution.status
    if solution.status == "optimal":
        assert verify(problem, solution) == []
    return solution


def sample(items: list, n: int) -> list:
    """`n` items spread evenly through the list (all of them if there are fewer)."""
    step = max(1, len(items) // n)
    return items[::step][:n]


def assert_alternative_holds(problem: Problem, solution: Solution, alt: Alternative) -> None:
    """The placement the Alternative describes (the solution with its changes), pinned whole,
    is feasible and worth exactly the Alternative's objective."""
    pairs = alternative_pairs(solution, alt)
    pinned = resolved(edited(problem, pin=pairs))
    assert pinned.status == "optimal", (alt, pinned.conflicts)
    assert sorted((p.candidate_id, p.role_id) for p in pinned.placements) == pairs
    assert close(pinned.objective, alt.objective), (pinned.objective, alt)


# --- 1. runner-up = independent re-solve with the pair forbidden and the role filled ------


#: Generated problems, how many placements to explain (None: all), and on how many of them
#: CP-SAT re-solves as well as the default backend (CP-SAT is slow on size-s side rules).
RUNNER_UP_CASES = [(key, None, None) for key in GENERATED] + [
    (("s", "pure", 0), S_SAMPLE, 3),
    (("s", "full", 0), 5, 0),
]


@pytest.mark.parametrize(("key", "how_many", "by_cpsat"), RUNNER_UP_CASES, ids=str)
def test_runner_up_matches_forbidden_pair_resolve(key, how_many, by_cpsat):
    """Each runner-up's objective is that of an independent re-solve with the placed pair
    forbidden and the role must-fill; its described placement is feasible and worth that
    much; no runner-up means that re-solve is infeasible."""
    problem, solution = generated(*key)
    roles = [p.role_id for p in solution.placements]
    if how_many is not None:
        roles = sample(roles, how_many)
    explanation = explain(problem, solution, role_ids=roles, workers=WORKERS)
    base = measured_objective(problem, solution)
    assert close(explanation.objective, base)
    assert sorted(e.placement.role_id for e in explanation.placements) == sorted(roles)
    for i, entry in enumerate(explanation.placements):
        placed = (entry.placement.candidate_id, entry.placement.role_id)
        restricted = edited(as_measured(problem), forbid=[placed], must_fill=[placed[1]])
        alt = entry.runner_up
        backends = ("auto", "cpsat") if by_cpsat is None or i < by_cpsat else ("auto",)
        for backend in backends:
            answer = resolved(restricted, backend)
            if alt is None:
                assert answer.status == "infeasible", (placed, backend, answer.objective)
                continue
            assert answer.status == "optimal", (placed, backend)
            expected = base + alt.objective_change
            assert close(answer.objective, expected), (placed, backend, answer.objective, alt)
            assert close(alt.objective, expected)
        if alt is not None:
            assert alt.role_id == placed[1] and alt.candidate_id != placed[0]
            assert alt.proven
            assert_alternative_holds(restricted, solution, alt)


@pytest.mark.slow
def test_runner_up_matches_cpsat_resolve_on_side_constrained_s():
    """On a side-constrained size-s problem, the CP-SAT backend agrees with one runner-up."""
    problem, solution = generated("s", "full", 0)
    placed = solution.placements[len(solution.placements) // 2]
    explanation = explain(problem, solution, role_ids=[placed.role_id], workers=WORKERS)
    (entry,) = explanation.placements
    assert entry.runner_up is not None
    restricted = edited(
        as_measured(problem),
        forbid=[(placed.candidate_id, placed.role_id)],
        must_fill=[placed.role_id],
    )
    answer = resolved(restricted, "cpsat")
    assert close(answer.objective, explanation.objective + entry.runner_up.objective_change)


# --- 2. brute force on tiny problems -----------------------------------------------------


def _check_placements(bf: BruteForce, problem: Problem, solution: Solution, explanation) -> None:
    """Runner-ups: the best assignment with someone else in the role; none if there is none."""
    pinned = {(p.candidate_id, p.role_id) for p in problem.pinned}
    for entry in explanation.placements:
        cand, role = entry.placement.candidate_id, entry.placement.role_id
        alt = entry.runner_up
        if (cand, role) in pinned:
            assert alt is None
            continue
        expected = bf.best(lambda a, r=role, c=cand: bf.holder(a, r) not in (None, c))
        if expected is None:
            assert alt is None, (cand, role, alt)
            continue
        assert alt is not None, (cand, role, expected)
        assert close(alt.objective, expected), (cand, role, alt, expected)
        assert close(alt.objective_change, expected - solution.objective)
        described = bf.assignment_of(alternative_pairs(solution, alt))
        assert bf.feasible(described) and bf.total(described) == expected, (alt, described)


def _check_unfilled(bf: BruteForce, solution: Solution, explanation) -> None:
    """Best fills: the best assignment with the role filled; none if there is none."""
    for entry in explanation.unfilled:
        expected = bf.best(lambda a, r=entry.role_id: bf.holder(a, r) is not None)
        if expected is None:
            assert entry.best_fill is None, entry
            continue
        assert entry.best_fill is not None, (entry, expected)
        assert close(entry.best_fill.objective, expected), (entry, expected)
        described = bf.assignment_of(alternative_pairs(solution, entry.best_fill))
        assert bf.feasible(described) and bf.total(described) == expected


def _check_candidates(bf: BruteForce, solution: Solution, explanation) -> None:
    """Best other roles: the best assignment with the candidate in a role they do not hold."""
    for entry in explanation.candidates:
        held = {p.role_id for p in solution.placements if p.candidate_id == entry.candidate_id}
        options = [
            bf.best(lambda a, r=role, c=entry.candidate_id: bf.holder(a, r) == c)
            for role in bf.role_ids
            if role not in held
        ]
        found = [value for value in options if value is not None]
        if not found:
            assert entry.best_other is None, entry
            continue
        assert entry.best_other is not None, (entry, found)
        assert close(entry.best_other.objective, max(found)), (entry, found)


def _check_recommend(bf: BruteForce, problem: Problem, solution: Solution) -> None:
    """Recommendations: the top two candidates by their best assignment in the role."""
    eligibility = Eligibility(problem)
    for role in bf.role_ids:
        rec = recommend(problem, role, top=2, solution=solution, workers=WORKERS)
        best = {
            c.id: bf.best(lambda a, r=role, c=c.id: bf.holder(a, r) == c)
            for c in problem.candidates
        }
        possible = {c: v for c, v in best.items() if v is not None}
        assert rec.eligible == len(eligibility.eligible_candidates(role))
        assert len(rec.candidates) == min(2, len(possible)), (role, rec, possible)
        objectives = [a.objective for a in rec.candidates]
        assert objectives == sorted(objectives, reverse=True)
        for alt in rec.candidates:
            assert close(alt.objective, possible[alt.candidate_id]), (role, alt, possible)
        listed = {a.candidate_id for a in rec.candidates}
        if rec.candidates:
            last = rec.candidates[-1].objective
            beaten = {c: v for c, v in possible.items() if c not in listed and v > last + 1e-3}
            assert not beaten, (role, rec, beaten)


@settings(max_examples=BRUTE_EXAMPLES)
@given(tiny_problems())
def test_explanations_match_brute_force(problem):
    """On tiny problems every runner-up, best fill, best other role and recommendation has
    the brute-force best objective of the assignments that honour it, judged by verify."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S, workers=WORKERS)
    bf = BruteForce(problem)
    optimum = bf.best()
    if optimum is None:
        assert solution.status == "infeasible"
        return
    assert solution.status == "optimal" and close(solution.objective, optimum)
    everyone = [c.id for c in problem.candidates]
    explanation = explain(
        problem, solution, role_ids=bf.role_ids, candidate_ids=everyone, workers=WORKERS
    )
    assert close(explanation.objective, optimum)
    _check_placements(bf, problem, solution, explanation)
    _check_unfilled(bf, solution, explanation)
    _check_candidates(bf, solution, explanation)
    _check_recommend(bf, problem, solution)


# --- 3. exclusion counts = eligibility re-read from the records ---------------------------


def _check_role_counts(eligibility: Eligibility, explanation, n_candidates: int) -> None:
    """Each unfilled role's eligible count, exclusions by first failing rule, and code."""
    for entry in explanation.unfilled:
        eligible, excluded = eligibility.role_counts(entry.role_id)
        assert entry.eligible == eligible, (entry.role_id, entry.eligible, eligible)
        assert entry.eligible + sum(entry.excluded.values()) == n_candidates, entry
        assert entry.excluded == excluded, (entry.role_id, entry.excluded, excluded)
        assert (entry.code == "no_eligible_candidate") == (eligible == 0), entry


def _check_candidate_counts(eligibility: Eligibility, explanation, n_roles: int) -> None:
    """Each candidate's eligible roles and exclusions by first failing rule."""
    for entry in explanation.candidates:
        eligible, excluded = eligibility.candidate_counts(entry.candidate_id)
        assert entry.eligible_roles == eligible, (entry.candidate_id, entry, eligible)
        assert entry.eligible_roles + sum(entry.excluded.values()) == n_roles, entry
        assert entry.excluded == excluded, (entry.candidate_id, entry.excluded, excluded)


@pytest.mark.parametrize("key", [*GENERATED, ("s", "pure", 0)], ids=str)
def test_exclusion_counts_of_every_role_match_the_rules(key):
    """With nothing placed every role is unfilled: each role's eligible count and exclusions
    by first failing rule equal those re-read from the records; so do each candidate's."""
    problem, _ = generated(*key)
    if key[1] == "full":
        # An empty placement must hold: no board requirements (H13) or must-fill roles (H1).
        problem = edited(problem, change=_nothing_required)
    empty = Solution(status="feasible", objective=0.0)
    assert verify(problem, empty) == []
    roles = [r.id for r in problem.roles]
    cands = [c.id for c in problem.candidates][:: 10 if key[0] == "s" else 3]
    explanation = explain(problem, empty, role_ids=roles, candidate_ids=cands, workers=WORKERS)
    assert len(explanation.unfilled) == len(roles)
    eligibility = Eligibility(problem)
    _check_role_counts(eligibility, explanation, len(problem.candidates))
    _check_candidate_counts(eligibility, explanation, len(roles))


def _nothing_required(raw: Raw) -> None:
    """No board requirements and no must-fill roles, so that an empty placement holds."""
    for org in raw["organisations"]:
        org["board_requirements"] = []
    for role in raw["roles"]:
        role["must_fill"] = False


@settings(max_examples=ELIGIBILITY_EXAMPLES)
@given(problems())
def test_exclusion_counts_match_the_rules_on_random_records(problem):
    """On random problems (conflicts, own boards, bands, packages, shortlists), each unfilled
    role's and each candidate's counts equal the rules re-read from the records."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S, workers=WORKERS)
    assume(solution.status.is_ok)
    roles, everyone = [r.id for r in problem.roles], [c.id for c in problem.candidates]
    explanation = explain(
        problem, solution, role_ids=roles, candidate_ids=everyone, workers=WORKERS
    )
    eligibility = Eligibility(problem)
    _check_role_counts(eligibility, explanation, len(problem.candidates))
    _check_candidate_counts(eligibility, explanation, len(roles))


# --- 4. best fill of an unfilled role = independent re-solve with it must-fill -----------


def _best_fill_cases() -> list[tuple[tuple[str, str, int], int]]:
    return [(key, 10) for key in GENERATED] + [(("s", "pure", 1), 6), (("s", "full", 0), 3)]


@pytest.mark.parametrize(("key", "how_many"), _best_fill_cases(), ids=str)
def test_best_fill_matches_must_fill_resolve(key, how_many):
    """Filling an unfilled role as best_fill says costs what an independent re-solve with the
    role must-fill finds; no best_fill means that re-solve is infeasible."""
    problem, solution = generated(*key)
    roles = sample([u.role_id for u in solution.unfilled], how_many)
    assert roles
    explanation = explain(problem, solution, role_ids=roles, workers=WORKERS)
    assert sorted(u.role_id for u in explanation.unfilled) == sorted(roles)
    base = measured_objective(problem, solution)
    for entry in explanation.unfilled:
        restricted = edited(as_measured(problem), must_fill=[entry.role_id])
        answer = resolved(restricted)
        if entry.best_fill is None:
            assert answer.status == "infeasible", (entry, answer.objective)
            continue
        assert answer.status == "optimal", entry
        expected = base + entry.best_fill.objective_change
        assert close(answer.objective, expected), (entry, answer.objective)
        assert entry.best_fill.role_id == entry.role_id and entry.best_fill.proven
        assert_alternative_holds(restricted, solution, entry.best_fill)


def test_best_fill_from_nothing_placed_matches_must_fill_resolve():
    """From an empty placement every role's best fill is the must-fill re-solve's optimum."""
    problem, _ = generated("xs", "pure", 0)
    empty = Solution(status="feasible", objective=0.0)
    explanation = explain(problem, empty, workers=WORKERS)
    for entry in explanation.unfilled:
        answer = resolved(edited(problem, must_fill=[entry.role_id]))
        if entry.best_fill is None:
            assert answer.status == "infeasible", entry
        else:
            assert close(answer.objective, entry.best_fill.objective_change), entry


# --- 5. recommend = each eligible candidate pinned and re-solved --------------------------


def _pinned_objectives(problem: Problem, role_id: str) -> dict[str, float]:
    """Each eligible candidate pinned in the role, re-solved: their objective, if feasible."""
    found = {}
    for cand in Eligibility(problem).eligible_candidates(role_id):
        answer = resolved(edited(as_measured(problem), pin=[(cand, role_id)]))
        if answer.status == "optimal":
            found[cand] = answer.objective
    return found


def _recommend_cases() -> list[tuple[tuple[str, str, int], int]]:
    return [(key, 4) for key in GENERATED] + [(("s", "pure", 0), 1)]


@pytest.mark.parametrize(("key", "how_many"), _recommend_cases(), ids=str)
def test_recommend_matches_pinning_every_eligible_candidate(key, how_many):
    """Recommended candidates are the best by the objective with each pinned in the role:
    their objectives equal independent pinned re-solves, best first, and no eligible
    candidate left out beats the last one listed."""
    problem, solution = generated(*key)
    eligibility = Eligibility(problem)
    roles = [r.id for r in problem.roles if eligibility.eligible_candidates(r.id)]
    for role_id in sample(roles, how_many):
        rec = recommend(problem, role_id, top=RECOMMEND_TOP, solution=solution, workers=WORKERS)
        pinned = _pinned_objectives(problem, role_id)
        assert rec.eligible == len(eligibility.eligible_candidates(role_id))
        base = measured_objective(problem, solution)
        assert close(rec.objective, base)
        assert len(rec.candidates) == min(RECOMMEND_TOP, len(pinned)), (role_id, rec, pinned)
        objectives = [a.objective for a in rec.candidates]
        assert objectives == sorted(objectives, reverse=True)
        for alt in rec.candidates:
            assert alt.role_id == role_id and alt.proven
            assert close(alt.objective, pinned[alt.candidate_id]), (alt, pinned)
            assert close(alt.objective_change, pinned[alt.candidate_id] - base)
        if rec.candidates:
            last = rec.candidates[-1].objective
            listed = {a.candidate_id for a in rec.candidates}
            beaten = {c: v for c, v in pinned.items() if c not in listed and v > last + 1e-3}
            assert not beaten, (role_id, rec.candidates, beaten)


# --- 6. relaxations of infeasible problems ------------------------------------------------

SUGGESTIONS: list[tuple[str, Callable[[Raw, re.Match[str]], None]]] = []


def suggestion(pattern: str):
    """Register how to make the change a suggestion of this form describes."""

    def register(apply: Callable[[Raw, re.Match[str]], None]):
        SUGGESTIONS.append((pattern, apply))
        return apply

    return register


def _amount(text: str) -> int:
    """Pounds as written in a suggestion ("6,000")."""
    return int(text.replace(",", ""))


@suggestion(r"let role (\S+) stay empty \(must_fill: false\)")
def _let_empty(raw: Raw, m: re.Match[str]) -> None:
    (role,) = [r for r in raw["roles"] if r["id"] == m[1]]
    role["must_fill"] = False


@suggestion(r"unpin (\S+) from (\S+)")
def _unpin(raw: Raw, m: re.Match[str]) -> None:
    before = len(raw["pinned"])
    raw["pinned"] = [p for p in raw["pinned"] if (p["candidate_id"], p["role_id"]) != (m[1], m[2])]
    assert len(raw["pinned"]) == before - 1


@suggestion(r"raise the budget from £([\d,]+) to £([\d,]+)")
def _raise_budget(raw: Raw, m: re.Match[str]) -> None:
    assert raw["policy"]["budget"] == _amount(m[1])
    raw["policy"]["budget"] = _amount(m[2])


@suggestion(r"raise max_drawn_per_organisation from (\d+) to (\d+)")
def _raise_drawn(raw: Raw, m: re.Match[str]) -> None:
    assert raw["policy"]["max_drawn_per_organisation"] == int(m[1])
    raw["policy"]["max_drawn_per_organisation"] = int(m[2])


@suggestion(r"lower (\S+)'s board requirement for (\S+) >= (\d+) from (\d+) to (\d+) member")
def _lower_requirement(raw: Raw, m: re.Match[str]) -> None:
    (org,) = [o for o in raw["organisations"] if o["id"] == m[1]]
    (req,) = [
        q
        for q in org["board_requirements"]
        if (q["skill"], q["level"], q["min_members"]) == (m[2], int(m[3]), int(m[4]))
    ]
    req["min_members"] = int(m[5])
    if req["min_members"] == 0:
        org["board_requirements"].remove(req)


@suggestion(r"add a vacancy at (\S+) like (\S+) \(as (\S+)\)")
def _add_vacancy(raw: Raw, m: re.Match[str]) -> None:
    (model,) = [r for r in raw["roles"] if r["id"] == m[2]]
    assert model["organisation_id"] == m[1]
    raw["roles"].append(model | {"id": m[3], "must_fill": False})


def apply_suggestion(problem: Problem, text: str) -> Problem:
    """The problem with the change a suggestion describes, made from its text alone."""
    for pattern, apply in SUGGESTIONS:
        m = re.fullmatch(pattern + r".*", text)
        if m:
            return edited(problem, change=lambda raw, apply=apply, m=m: apply(raw, m))
    raise AssertionError(f"unrecognised suggestion: {text!r}")


def _far_roles_problem(budget: int) -> Problem:
    """Two must-fill roles beyond every commute, whose relocations need a £3,000 package."""
    orgs = [make_org("O1"), make_org("O2", km=100), make_org("O3", km=120)]
    packages = [make_package("none"), make_package("move", 3000, relocation_support=True)]
    roles = [
        make_role("R1", "O2", must_fill=True),
        make_role("R2", "O3", must_fill=True),
        make_role("R3", "O1"),
    ]
    people = [
        make_candidate("C1", willing_to_relocate=True),
        make_candidate("C2", willing_to_relocate=True),
        make_candidate("C3"),
    ]
    return make_problem(roles, people, orgs=orgs, packages=packages, budget=budget)


def _board_problem(min_members: int, board_level: bool | None = None) -> Problem:
    """Two board roles at O1, whose board needs `min_members` members with finance >= 3."""
    orgs = [make_org("O1", board_requirements=[requirement("finance", 3, min_members)])]
    roles = [make_role(f"R{i}", board_level=board_level) for i in (1, 2)]
    return make_problem(roles, [make_candidate(f"C{i}") for i in range(3)], orgs=orgs)


def _drawn_problem(limit: int) -> Problem:
    """Three must-fill roles; every candidate comes from O9, and at most `limit` may be drawn."""
    roles = [make_role(f"R{i}", must_fill=True) for i in (1, 2, 3)]
    people = [make_candidate(f"C{i}", current_organisation_id="O9") for i in (1, 2, 3)]
    orgs = [make_org("O1"), make_org("O9", km=5)]
    return make_problem(roles, people, orgs=orgs, max_drawn_per_organisation=limit)


INFEASIBLE: dict[str, Problem] = {
    "no_eligible_candidate": make_problem(
        [make_role("R1", must_fill=True, required_skills={"leadership": 5}), make_role("R2")],
        [make_candidate("C1"), make_candidate("C2")],
    ),
    "board_requirement": _board_problem(3),
    "board_requirement_explicit_seats": _board_problem(3, board_level=True),
    "budget": _far_roles_problem(1000),
    "ineligible_pin": make_problem(
        [make_role("R1", required_skills={"leadership": 5}), make_role("R2")],
        [make_candidate("C1"), make_candidate("C2")],
        pinned=[pin("C1", "R1")],
    ),
    "drawn_per_organisation": _drawn_problem(1),
}


def _least(problem: Problem, relaxed: Problem, relaxation: Relaxation) -> None:
    """A numeric relaxation by one unit less than suggested leaves the problem infeasible."""
    text = relaxation.suggestion
    if text.startswith("raise the budget"):
        budget = relaxed.policy.budget - 1
        change = lambda raw: raw["policy"].update(budget=budget)  # noqa: E731
    elif text.startswith("raise max_drawn"):
        limit = relaxed.policy.max_drawn_per_organisation - 1
        change = lambda raw: raw["policy"].update(max_drawn_per_organisation=limit)  # noqa: E731
    elif text.startswith("lower"):
        lowered = int(re.search(r"to (\d+) member", text)[1])

        def change(raw: Raw) -> None:
            for org in raw["organisations"]:
                for req in org["board_requirements"]:
                    req["min_members"] = lowered + 1

    else:
        return
    assert resolved(edited(problem, change=change)).status == "infeasible", text


@pytest.mark.parametrize("kind", sorted(INFEASIBLE))
def test_relaxations_make_the_problem_feasible(kind):
    """Each relaxation, made from its suggestion's text, gives the status it reports; a
    feasible one's placements pass verify on the relaxed problem with the objective it
    reports; numeric ones are the least change that works; feasible ones come first."""
    problem = INFEASIBLE[kind]
    solution = resolved(problem)
    assert solution.status == "infeasible" and solution.conflicts
    explanation = explain(problem, solution, workers=WORKERS)
    assert len(explanation.conflicts) == len(solution.conflicts)
    relaxations = [r for c in explanation.conflicts for r in c.relaxations]
    assert any(r.status.is_ok for r in relaxations), explanation.conflicts
    for conflict in explanation.conflicts:
        ok = [r.status.is_ok for r in conflict.relaxations]
        assert ok == sorted(ok, reverse=True), conflict
        assert conflict.relaxations or conflict.note
        for relaxation in conflict.relaxations:
            relaxed = apply_suggestion(problem, relaxation.suggestion)
            mine = resolved(relaxed)
            assert mine.status.is_ok == relaxation.status.is_ok, relaxation
            if not relaxation.status.is_ok:
                assert relaxation.placements == []
                continue
            offered = Solution(
                status=relaxation.status,
                objective=relaxation.objective,
                placements=relaxation.placements,
            )
            assert verify(relaxed, offered) == [], relaxation
            assert verify(problem, offered) != [], relaxation
            assert relaxation.filled == len(relaxation.placements)
            assert close(mine.objective, relaxation.objective), (relaxation, mine.objective)
            _least(problem, relaxed, relaxation)


def test_budget_relaxation_names_the_least_budget():
    """Two must-fill relocations at £3,000 each under a £1,000 budget: raise it to £6,000."""
    explanation = explain(INFEASIBLE["budget"], resolved(INFEASIBLE["budget"]), workers=WORKERS)
    texts = [r.suggestion for c in explanation.conflicts for r in c.relaxations]
    assert "raise the budget from £1,000 to £6,000" in texts
    assert resolved(_far_roles_problem(5999)).status == "infeasible"
    assert resolved(_far_roles_problem(6000)).status == "optimal"


def test_board_requirement_relaxations_include_a_vacancy_at_default_board_roles():
    """A board needing 3 finance members with 2 seats at O1 gets both "lower ... to 2" and
    "add a vacancy", whether its roles are board-level by default (executive roles with
    board_level unset) or say so."""
    for kind in ("board_requirement_explicit_seats", "board_requirement"):
        problem = INFEASIBLE[kind]
        explanation = explain(problem, resolved(problem), workers=WORKERS)
        (board,) = [c for c in explanation.conflicts if c.conflict.rule == "H13"]
        texts = [r.suggestion for r in board.relaxations]
        assert any(t.startswith("add a vacancy at O1 like R1") for t in texts), (kind, texts)
        assert any(t.startswith("lower O1's board requirement") for t in texts), (kind, texts)


# --- 7. the diversity tie-break's audit records -------------------------------------------


def _pair_score(problem: Problem, cand_id: str | None, role_id: str) -> float:
    """The pair's `scores` entry (0 for an empty role)."""
    if cand_id is None:
        return 0.0
    (score,) = [
        s.score for s in problem.scores if (s.candidate_id, s.role_id) == (cand_id, role_id)
    ]
    return float(score)


@settings(max_examples=BRUTE_EXAMPLES)
@given(tie_break_problems())
def test_tie_break_records_reconstruct_an_equally_meritorious_choice(problem):
    """With merit_tolerance 0, undoing every tie_breaks record gives a feasible placement of
    the same merit (the merit stage's choice) and less representation; the records' merits
    are the pairs' scores and cancel out; the final placement has the most representation
    of all merit-optimal placements (brute force)."""
    solution = solve(problem, time_limit_s=TIME_LIMIT_S, workers=WORKERS)
    assume(solution.status.is_ok)
    bf = BruteForce(problem)
    optimum = bf.best()
    final = {p.role_id: p.candidate_id for p in solution.placements}
    assert close(solution.objective, optimum)
    merit_choice = dict(final)
    for record in solution.tie_breaks:
        assert record.chosen_candidate_id == final.get(record.role_id), record
        assert record.chosen_merit == _pair_score(
            problem, record.chosen_candidate_id, record.role_id
        )
        assert record.merit_choice_merit == _pair_score(
            problem, record.merit_candidate_id, record.role_id
        )
        merit_choice[record.role_id] = record.merit_candidate_id
    gained = sum(r.chosen_merit - r.merit_choice_merit for r in solution.tie_breaks)
    assert gained == 0, solution.tie_breaks
    undone = bf.assignment_of((c, r) for r, c in merit_choice.items() if c is not None)
    assert bf.feasible(undone) and bf.total(undone) == optimum, (undone, optimum)
    best_representation = max(
        representation(problem, a) for a in bf.ranked if bf.total(a) == optimum and bf.feasible(a)
    )
    assert representation(problem, final.values()) == best_representation
    if solution.tie_breaks:
        assert representation(problem, final.values()) > representation(
            problem, merit_choice.values()
        )


def test_tie_break_one_role_between_equals_is_recorded():
    """Two equally scored candidates for one role: the woman is placed, and any record of the
    choice names equal merits and the attribute."""
    people = [
        make_candidate("C1", demographics={"sex": "male"}),
        make_candidate("C2", demographics={"sex": "female"}),
    ]
    problem = make_problem([make_role("R1")], people, weights=Weights(diversity=10))
    for backend in ("auto", "cpsat", "pulp"):
        solution = resolved(problem, backend)
        assert [p.candidate_id for p in solution.placements] == ["C2"]
        for record in solution.tie_breaks:
            assert (record.chosen_candidate_id, record.merit_candidate_id) == ("C2", "C1")
            assert record.chosen_merit == record.merit_choice_merit
            assert record.attribute == "female"


# --- regressions, each on its smallest problem ---------------------------------------------


def test_candidate_exclusions_count_no_allowed_package_under_h9():
    """A candidate excluded only for want of an allowed package is counted under H9, not
    under the shortlist (scored_pairs_only is off)."""
    problem = make_problem(
        [make_role("R1")],
        [make_candidate("C1")],
        packages=[make_package("P0", challenged_only=True)],
    )
    solution = resolved(problem)
    explanation = explain(problem, solution, role_ids=["R1"], candidate_ids=["C1"], workers=WORKERS)
    (role,) = explanation.unfilled
    assert role.excluded == {"H9": 1}
    (cand,) = explanation.candidates
    assert cand.excluded == {"H9": 1}


def test_targets_mode_numbers_do_not_tell_who_counts_toward_a_target():
    """In targets mode two equally scored candidates, one woman and one man, for one role
    with a soft female target: the runner-up costs nothing on merit, so the explanation
    does not show which of them counts toward the target (the penalty is left out)."""
    people = [
        make_candidate("C1", demographics={"sex": "female"}),
        make_candidate("C2", demographics={"sex": "male"}),
    ]
    problem = make_problem(
        [make_role("R1")],
        people,
        weights=Weights(fit=1, diversity=10),
        diversity_mode="targets",
        diversity_targets=[target("female", 0.5, hard=False)],
        disclosure_threshold=1,
    )
    solution = resolved(problem)
    (placed,) = solution.placements
    explanation = explain(problem, solution, workers=WORKERS)
    (entry,) = explanation.placements
    assert entry.runner_up is not None and entry.runner_up.candidate_id != placed.candidate_id
    assert entry.runner_up.objective_change == 0
    assert "merit alone" in " ".join(explanation.notices)
    rec = recommend(problem, "R1", top=2, solution=solution, workers=WORKERS)
    assert [a.objective_change for a in rec.candidates] == [0, 0]


def test_a_pin_on_a_disallowed_package_is_not_relaxed_by_the_budget():
    """An H9 conflict on a pin (a package not allowed for the role) is resolved by unpinning,
    not by a budget raised by nothing."""
    problem = make_problem(
        [make_role("R1")],
        [make_candidate("C1")],
        packages=[make_package("P0", cost=500, challenged_only=True)],
        pinned=[pin("C1", "R1", "P0")],
        budget=1000,
    )
    solution = resolved(problem)
    assert solution.status == "infeasible"
    explanation = explain(problem, solution, workers=WORKERS)
    (conflict,) = explanation.conflicts
    assert [r.suggestion for r in conflict.relaxations] == ["unpin C1 from R1"]
    assert conflict.relaxations[0].status == "optimal"
