"""What-if re-solves: the flow and the search agree, questions do not leak into each other,
and a placement's value is the objective solve() reports."""

import numpy as np
from hypothesis import assume, given

from matching.eligibility import keys_of
from matching.prepare import prepare
from matching.scoring import SCALE
from matching.solve import side_constraints, solve
from matching.whatif import Answer, Question, WhatIf
from models.problem import Problem
from tests.strategies import problems

TIME_LIMIT_S = 5.0
QUESTIONS = 4


def _setup(problem: Problem) -> tuple[WhatIf, np.ndarray, float]:
    solution = solve(problem, time_limit_s=TIME_LIMIT_S)
    assume(solution.status == "optimal")
    ctx, _ = prepare(problem)
    pairs = [(p.candidate_id, p.role_id) for p in solution.placements]
    chosen = np.isin(ctx.pairs.keys, keys_of(ctx.arrays, pairs) if pairs else [])
    whatif = WhatIf(
        ctx, side_rules=bool(side_constraints(problem)), time_limit_s=TIME_LIMIT_S, workers=1
    )
    assert solution.objective is not None
    return whatif, chosen, solution.objective


def _questions(whatif: WhatIf, chosen: np.ndarray) -> list[Question]:
    """Runner-up, fill, and pin questions about the first few pairs."""
    pairs = whatif.ctx.pairs
    asked = []
    for k in np.flatnonzero(chosen)[:QUESTIONS]:
        asked.append(Question(ban=(int(k),), fill=(int(pairs.role[k]),)))
    for k in np.flatnonzero(~chosen)[:QUESTIONS]:
        asked.append(Question(pin=(int(k),)))
        asked.append(Question(fill=(int(pairs.role[k]),)))
    return asked


def _same(a: Answer, b: Answer) -> bool:
    return a.status.is_ok == b.status.is_ok and a.objective == b.objective


@given(problems())
def test_value_of_the_solution_is_its_objective(problem: Problem) -> None:
    """The what-if objective and solve()'s share one scale, so changes are comparable."""
    whatif, chosen, objective = _setup(problem)
    assert abs(whatif.value_of(chosen) - round(objective * SCALE)) <= 1


@given(problems())
def test_flow_and_search_give_the_same_answers(problem: Problem) -> None:
    """On capacities-only problems the exact flow and the LP-guided search agree."""
    assume(not side_constraints(problem))
    flow, chosen, _ = _setup(problem)
    search = WhatIf(flow.ctx, side_rules=True, time_limit_s=TIME_LIMIT_S, workers=1)
    for question in _questions(flow, chosen):
        by_flow, by_search = flow.ask(question, chosen), search.ask(question, chosen)
        assert _same(by_flow, by_search), question
        if by_flow.status.is_ok:
            assert flow._honours(question, by_flow.chosen)
            assert search._honours(question, by_search.chosen)


@given(problems())
def test_questions_do_not_leak_into_each_other(problem: Problem) -> None:
    """The warm LP is restored after each question: asking again gives the same answer."""
    whatif, chosen, _ = _setup(problem)
    asked = _questions(whatif, chosen)
    first = [whatif.ask(q, chosen) for q in asked]
    again = [whatif.ask(q, chosen) for q in reversed(asked)]
    assert all(_same(a, b) for a, b in zip(first, reversed(again), strict=True))


@given(problems())
def test_no_answer_beats_the_optimum(problem: Problem) -> None:
    """Every question restricts the problem, so no answer is worth more than the optimum."""
    whatif, chosen, _ = _setup(problem)
    best = whatif.value_of(chosen)
    for question in _questions(whatif, chosen):
        answer = whatif.ask(question, chosen)
        if answer.status.is_ok:
            assert answer.objective is not None and answer.objective <= best
