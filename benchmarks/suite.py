"""The benchmark suite: generated problems by size, each method run in its own process.

A run in its own process has its own peak memory (the process's maximum resident set), can
be ended when it overruns its time limit, as a user would end it, and is held to a memory
cap, so that a peer which needs more than the machine has fails alone.
"""

import json
import multiprocessing
import queue
import resource
import statistics
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.methods import METHODS
from matching.prepare import prepare
from matching.solve import relative_gap
from models.loading import load_model
from models.pairs import PairScore
from models.problem import Problem
from scenarios.generate import generate_problem

SEED = 1
#: Time limit per size, seconds: the targets issue 6 sets for m, l and xl.
TIME_LIMITS = {"xs": 10.0, "s": 10.0, "m": 30.0, "l": 60.0, "xl": 120.0}
#: A run still going this long after its limit is ended and reported as overran.
OVERRUN_GRACE_S = 60.0
#: Address space a run may take: half the 24 GiB machine the targets are set for.
MEMORY_CAP_BYTES = 12 * 2**30
#: Share of eligible pairs an external talent system scores in the scored variant.
SCORED_SHARE = 0.3
MAX_EXTERNAL_SCORE = 100
VARIANTS = ("pure", "full", "scored")


def scored_problem(size: str) -> Problem:
    """The pure problem with an external score on a random share of its eligible pairs, and
    only those pairs allowed (`scored_pairs_only`): a talent system's shortlist."""
    problem = generate_problem(size, seed=SEED, variant="pure")
    ctx, _ = prepare(problem)
    rng = np.random.default_rng(SEED)
    picked = np.flatnonzero(rng.random(ctx.pairs.size) < SCORED_SHARE)
    scores = rng.integers(0, MAX_EXTERNAL_SCORE + 1, picked.size)
    cands, roles = problem.candidates, problem.roles
    entries = [
        PairScore(
            candidate_id=cands[ctx.pairs.cand[k]].id,
            role_id=roles[ctx.pairs.role[k]].id,
            score=int(score),
        )
        for k, score in zip(picked, scores, strict=True)
    ]
    policy = problem.policy.model_copy(update={"scored_pairs_only": True})
    return problem.model_copy(update={"scores": entries, "policy": policy})


def problem_of(size: str, variant: str) -> Problem:
    """One problem of the suite."""
    if variant == "scored":
        return scored_problem(size)
    return generate_problem(size, seed=SEED, variant=variant)


def _child(method: str, path: str, time_limit_s: float, replies: Any) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP_BYTES, MEMORY_CAP_BYTES))
    problem = load_model(Problem, Path(path))
    try:
        run: dict[str, Any] = asdict(METHODS[method](problem, time_limit_s))
    except MemoryError:
        run = {"status": "out of memory"}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    replies.put((run, peak_mb))


def run_isolated(method: str, path: Path, time_limit_s: float) -> dict[str, Any]:
    """One method on one problem file in a fresh process: its Run and peak memory.

    A process that dies without answering (a solver's C++ code aborting when memory runs
    out) is reported as such, as is one still going OVERRUN_GRACE_S past its limit.
    """
    context = multiprocessing.get_context("spawn")
    replies = context.Queue()
    process = context.Process(target=_child, args=(method, str(path), time_limit_s, replies))
    started = time.perf_counter()
    process.start()
    while True:
        try:
            run, peak_mb = replies.get(timeout=1.0)
            break
        except queue.Empty:
            if not process.is_alive() and replies.empty():
                process.join()
                return {"status": f"died (exit code {process.exitcode})"}
            if time.perf_counter() - started > time_limit_s + OVERRUN_GRACE_S:
                process.kill()
                process.join()
                return {"status": "overran", "wall_s": time.perf_counter() - started}
    process.join()
    return run | {"peak_mb": round(peak_mb, 1)}


def _all_verified(done: list[dict[str, Any]]) -> bool | None:
    """Whether `verify` accepted every placement the runs gave; None if they gave none."""
    checked = [r["verified"] for r in done if r.get("verified") is not None]
    return all(checked) if checked else None


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the times, the worst objective, the largest memory, every status."""
    done = [r for r in runs if "build_s" in r]
    objectives = [r["objective"] for r in done if r.get("objective") is not None]
    bounds = [r["bound"] for r in done if r.get("bound") is not None]
    return {
        "statuses": [r["status"] for r in runs],
        "build_s": statistics.median(r["build_s"] for r in done) if done else None,
        "solve_s": statistics.median(r["solve_s"] for r in done) if done else None,
        "total_s": statistics.median(r["build_s"] + r["solve_s"] for r in done) if done else None,
        "objective": min(objectives) if len(objectives) == len(runs) and objectives else None,
        "bound": min(bounds) if bounds else None,
        "peak_mb": max((r["peak_mb"] for r in done), default=None),
        "verified": _all_verified(done),
    }


def run_suite(
    sizes: list[str], methods: list[str], repeats: int, variants: list[str], log: Any = print
) -> list[dict[str, Any]]:
    """Every method on every problem, `repeats` times each; one row per problem."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            limit = TIME_LIMITS[size]
            for variant in variants:
                problem = problem_of(size, variant)
                path = Path(folder) / f"{size}_{variant}.json"
                path.write_text(problem.model_dump_json(exclude_defaults=True))
                ctx, _ = prepare(problem)
                row: dict[str, Any] = {
                    "size": size,
                    "variant": variant,
                    "candidates": len(problem.candidates),
                    "roles": len(problem.roles),
                    "eligible_pairs": ctx.pairs.size,
                    "time_limit_s": limit,
                    "repeats": repeats,
                    "methods": {},
                }
                del ctx
                for method in methods:
                    if method == "flow" and variant == "full":
                        continue
                    runs = [run_isolated(method, path, limit) for _ in range(repeats)]
                    row["methods"][method] = _summary(runs)
                    log(f"{size} {variant} {method}: {json.dumps(row['methods'][method])}")
                rows.append(derive(row))
    return rows


def derive(row: dict[str, Any]) -> dict[str, Any]:
    """Ratios: each objective to the best bound any method proved, each time to the exact
    flow's on capacities-only problems."""
    methods = row["methods"]
    bounds = [m["bound"] for m in methods.values() if m["bound"] is not None]
    best_bound = min(bounds) if bounds else None
    flow = methods.get("flow", {}).get("total_s")
    for m in methods.values():
        objective, total = m["objective"], m["total_s"]
        m["gap_to_best_bound"] = None if objective is None else relative_gap(objective, best_bound)
        m["time_over_flow"] = None if not flow or total is None else round(total / flow, 2)
    row["best_bound"] = best_bound
    return row
