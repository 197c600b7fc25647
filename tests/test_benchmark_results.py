"""A merged benchmark record keeps the earlier rows it does not re-measure, and says so."""

import json

import benchmarks.__main__ as runner
from benchmarks.results_report import results_markdown


def _row(size: str, variant: str, objective: float) -> dict:
    method = {
        "statuses": ["optimal"],
        "objective": objective,
        "gap_to_best_bound": 0.0,
        "build_s": 0.1,
        "solve_s": 0.2,
        "total_s": 0.3,
        "time_over_flow": None,
        "peak_mb": 200.0,
        "verified": True,
    }
    return {
        "size": size,
        "variant": variant,
        "candidates": 10,
        "roles": 5,
        "eligible_pairs": 40,
        "methods": {"engine": method},
    }


def test_merge_keeps_rows_not_measured_again(tmp_path, monkeypatch):
    earlier = {"repeats": 3, "rows": [_row("m", "full", 1.0), _row("l", "full", 2.0)]}
    (tmp_path / "suite_2026-01-01T000000+0000.json").write_text(json.dumps(earlier))
    monkeypatch.setattr(runner, "RESULTS", tmp_path)
    new = [_row("l", "full", 3.0) | {"repeats": 1}]
    kept = runner.rows_kept_from_newest(new)
    assert [(r["size"], r["variant"]) for r in kept] == [("m", "full")]
    assert kept[0]["repeats"] == 3
    assert kept[0]["record"] == "suite_2026-01-01T000000+0000.json"
    record = {
        "when": "now",
        "git": "abc",
        "seed": 1,
        "repeats": 1,
        "argv": ["--merge"],
        "machine": {"cpus": 2, "platform": "linux"},
        "rows": kept + new,
    }
    text = results_markdown(record)
    assert "m full (10 x 5, 3 runs)" in text and "l full (10 x 5, 1 run)" in text
    assert "Rows for m full come from suite_2026-01-01T000000+0000.json" in text
