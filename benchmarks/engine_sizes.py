"""Benchmark: `placement solve` on generated sizes against the exact min-cost flow.

For each size: the full variant (every rule in play) solved by the CLI as a user would run
it (wall time, status, gap), and the pure variant (capacities only) solved by the engine end
to end and by the min-cost flow alone. Medians of several runs; one JSON record per run.

    python -m benchmarks.engine_sizes --sizes s m l --repeats 3
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.records import new_record, write_record
from matching.arrays import build_arrays
from matching.backends.flow import solve_flow
from matching.context import ModelContext
from matching.eligibility import eligible_pairs
from matching.scoring import score_pairs
from matching.solve import solve
from scenarios.generate import generate_problem

SEED = 1


def _cli_solve(problem_path: Path, solution_path: Path) -> dict[str, object]:
    """Run `placement solve` as a user would; wall time includes start-up and loading."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "scenarios.cli",
            "solve",
            str(problem_path),
            "-o",
            str(solution_path),
        ],
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - started
    solution = json.loads(solution_path.read_text())
    return {
        "wall_s": wall,
        "status": solution["status"],
        "gap": solution["gap"],
        "objective": solution["objective"],
        "solve_s": solution["solver"]["wall_time_s"],
    }


def _flow_alone(problem_path: Path) -> dict[str, float]:
    """Time the min-cost flow alone on prepared pairs, and the engine end to end."""
    from models.loading import load_model
    from models.problem import Problem

    problem = load_model(Problem, problem_path)
    arrays = build_arrays(problem)
    pairs = eligible_pairs(arrays)
    ctx = ModelContext(arrays, pairs, score_pairs(arrays, pairs), ())
    started = time.perf_counter()
    result = solve_flow(ctx)
    flow_s = time.perf_counter() - started
    started = time.perf_counter()
    solution = solve(problem)
    engine_s = time.perf_counter() - started
    assert solution.objective is not None and result.objective is not None
    return {
        "flow_s": flow_s,
        "engine_s": engine_s,
        "pairs": pairs.size,
        "same_objective": abs(solution.objective * 1000 - result.objective) < 1,
    }


def run_size(size: str, repeats: int, folder: Path) -> dict[str, object]:
    """Median figures for one size."""
    full, pure = folder / f"{size}_full.json", folder / f"{size}_pure.json"
    for variant, path in (("full", full), ("pure", pure)):
        problem = generate_problem(size, seed=SEED, variant=variant)
        path.write_text(problem.model_dump_json(exclude_defaults=True))
    cli = [_cli_solve(full, folder / f"{size}_full.solution.json") for _ in range(repeats)]
    flows = [_flow_alone(pure) for _ in range(repeats)]
    return {
        "size": size,
        "full": {
            "wall_s_median": statistics.median(r["wall_s"] for r in cli),
            "solve_s_median": statistics.median(r["solve_s"] for r in cli),
            "statuses": [r["status"] for r in cli],
            "gaps": [r["gap"] for r in cli],
        },
        "pure": {
            "pairs": flows[0]["pairs"],
            "flow_s_median": statistics.median(r["flow_s"] for r in flows),
            "engine_s_median": statistics.median(r["engine_s"] for r in flows),
            "engine_matches_flow": all(r["same_objective"] for r in flows),
        },
    }


def main() -> None:
    """Run the sizes, print a table and write a JSON record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["s", "m", "l"])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            rows.append(run_size(size, args.repeats, Path(tmp)))
            row = rows[-1]
            print(
                f"{size}: full {row['full']['wall_s_median']:.1f} s wall "
                f"({row['full']['solve_s_median']:.1f} s solve) {row['full']['statuses']} "
                f"gaps {row['full']['gaps']}; pure {row['pure']['pairs']} pairs, flow "
                f"{row['pure']['flow_s_median']:.2f} s, engine "
                f"{row['pure']['engine_s_median']:.2f} s",
                flush=True,
            )
    record = new_record("engine_sizes", seed=SEED, repeats=args.repeats, rows=rows)
    out = write_record(record)
    print(f"written {out}")


if __name__ == "__main__":
    main()
