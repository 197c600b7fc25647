"""Benchmark: explanations of a whole solution, against re-solving each question from scratch.

For each generated size and variant (seed 1; `tie_break` is the full variant in the default
diversity mode): solve, then time `explain` of everything (each
placement's runner-up, each empty role's best fill) and `recommend` for a few roles. The peer
is the obvious method: edit the problem (forbid the placed pair, make the role must-fill) and
solve it again; it is timed on a sample of placements, whose objectives must agree. Medians
of several runs; one JSON record per run.

    python -m benchmarks.explain_sizes --sizes xs s --repeats 3
"""

import argparse
import statistics
import time

from benchmarks.records import new_record, write_record
from matching.explain import explain
from matching.recommend import recommend
from matching.solve import solve
from models.problem import Problem
from models.solution import Solution
from scenarios.generate import generate_problem

SEED = 1
#: Placements re-solved from scratch by the peer method, and roles recommended for.
PEER_SAMPLE = 8
RECOMMEND_ROLES = 3
TOLERANCE = 1e-3


def _timed(run):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _resolve_from_scratch(problem: Problem, candidate_id: str, role_id: str) -> Solution:
    """The peer: the runner-up question as a whole new problem, measured as explanations
    measure it (in targets mode, merit alone: soft targets off, hard targets kept)."""
    raw = problem.model_dump(mode="json")
    if problem.policy.diversity_mode == "targets" and problem.policy.diversity_targets:
        raw["policy"]["weights"]["diversity"] = 0.0
    raw["forbidden"] = [
        *raw.get("forbidden", []),
        {"candidate_id": candidate_id, "role_id": role_id},
    ]
    for role in raw["roles"]:
        if role["id"] == role_id:
            role["must_fill"] = True
    return solve(Problem.model_validate(raw))


def _problem(size: str, variant: str) -> Problem:
    """The generated variant; `tie_break` is the full one in the default diversity mode, as
    for real appointments (the generator's full variant plans in targets mode)."""
    if variant != "tie_break":
        return generate_problem(size, seed=SEED, variant=variant)
    raw = generate_problem(size, seed=SEED, variant="full").model_dump(mode="json")
    raw["policy"]["diversity_mode"] = "tie_break"
    return Problem.model_validate(raw)


def run_case(size: str, variant: str, repeats: int) -> dict[str, object]:
    """Median figures for one size and variant."""
    problem = _problem(size, variant)
    solution = solve(problem)
    runs = [_timed(lambda: explain(problem, solution)) for _ in range(repeats)]
    explanation = runs[0][1]
    questions = len(explanation.placements) + sum(u.eligible > 0 for u in explanation.unfilled)
    explain_s = statistics.median(t for t, _ in runs)
    roles = [p.role_id for p in solution.placements[:RECOMMEND_ROLES]]
    recommend_s = [
        statistics.median(
            _timed(lambda r=r: recommend(problem, r, top=3, solution=solution))[0]
            for _ in range(repeats)
        )
        for r in roles
    ]
    peer_times, agree = [], 0
    sample = [p for p in explanation.placements if p.runner_up is not None][:PEER_SAMPLE]
    for item in sample:
        seconds, again = _timed(
            lambda item=item: _resolve_from_scratch(
                problem, item.placement.candidate_id, item.placement.role_id
            )
        )
        peer_times.append(seconds)
        assert item.runner_up is not None and again.objective is not None
        agree += abs(again.objective - item.runner_up.objective) <= TOLERANCE
    per_question = explain_s / max(1, questions)
    peer = statistics.median(peer_times) if peer_times else None
    return {
        "size": size,
        "variant": variant,
        "pairs": solution.solver.eligible_pairs if solution.solver else None,
        "placements": len(explanation.placements),
        "unfilled": len(explanation.unfilled),
        "questions": questions,
        "explain_all_s_median": round(explain_s, 3),
        "per_question_s": round(per_question, 4),
        "unproven": sum(
            1 for p in explanation.placements if p.runner_up is not None and not p.runner_up.proven
        ),
        "recommend_top3_s_median": [round(s, 3) for s in recommend_s],
        "peer_resolve_s_median": None if peer is None else round(peer, 3),
        "peer_over_what_if": None if peer is None else round(peer / per_question, 1),
        "peer_agrees": f"{agree}/{len(sample)}",
    }


def main() -> None:
    """Run the cases, print a line each and write a JSON record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["xs", "s"])
    parser.add_argument("--variants", nargs="+", default=["pure", "full", "tie_break"])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        for variant in args.variants:
            row = run_case(size, variant, args.repeats)
            rows.append(row)
            print(
                f"{size} {variant}: {row['questions']} questions, explain all "
                f"{row['explain_all_s_median']} s ({row['per_question_s']} s each); "
                f"recommend top 3 {row['recommend_top3_s_median']} s; re-solving from "
                f"scratch {row['peer_resolve_s_median']} s a question "
                f"({row['peer_over_what_if']}x), agrees {row['peer_agrees']}",
                flush=True,
            )
    record = new_record("explain_sizes", seed=SEED, repeats=args.repeats, rows=rows)
    out = write_record(record)
    print(f"written {out}")


if __name__ == "__main__":
    main()
