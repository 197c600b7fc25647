"""`python -m benchmarks`: the engine against exact and peer methods on generated problems.

    python -m benchmarks --sizes xs s m --repeats 3            # the quick set (make bench)
    python -m benchmarks --sizes xs s m l xl --repeats 3       # everything (make bench-full)
    python -m benchmarks --sizes l xl --repeats 1 --merge      # add to the newest record

Writes a JSON record to benchmarks/results/, benchmarks/RESULTS.md and two plots next to it.
With --merge, the record also carries the newest earlier record's rows for the problems this
run leaves out, each naming the record it comes from: sizes l and xl take an hour, so they
can be measured apart from the quick set and still appear in one table.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from benchmarks.methods import METHODS
from benchmarks.records import RESULTS, new_record, write_record
from benchmarks.results_report import plot_gaps, plot_times, results_markdown
from benchmarks.suite import SEED, TIME_LIMITS, VARIANTS, run_suite

HERE = Path(__file__).parent


def rows_kept_from_newest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The newest suite record's rows for problems not in `rows`, each naming its record."""
    records = sorted(RESULTS.glob("suite_*.json"))
    if not records:
        return []
    newest = json.loads(records[-1].read_text())
    measured = {(row["size"], row["variant"]) for row in rows}
    return [
        {"repeats": newest["repeats"], "record": row.get("record", records[-1].name)} | row
        for row in newest["rows"]
        if (row["size"], row["variant"]) not in measured
    ]


def main() -> None:
    """Run the suite, write the record, RESULTS.md and the plots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["xs", "s", "m"], choices=TIME_LIMITS)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--merge", action="store_true", help="keep the newest record's other rows")
    args = parser.parse_args()
    rows = run_suite(args.sizes, args.methods, args.repeats, args.variants)
    if args.merge:
        rows = rows_kept_from_newest(rows) + rows
    record = new_record(
        "suite",
        seed=SEED,
        repeats=args.repeats,
        argv=sys.argv[1:],
        time_limits_s={size: TIME_LIMITS[size] for size in args.sizes},
        rows=rows,
    )
    out = write_record(record)
    (HERE / "RESULTS.md").write_text(
        results_markdown(record)
        + "\n![time against eligible pairs](results/suite_times.png)\n"
        + "\n![gap against time](results/suite_gaps.png)\n"
    )
    plot_times(record, RESULTS / "suite_times.png")
    plot_gaps(record, RESULTS / "suite_gaps.png")
    print(f"written {out}, benchmarks/RESULTS.md and the plots in benchmarks/results/")


if __name__ == "__main__":
    main()
