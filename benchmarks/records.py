"""What every benchmark record carries (when, git revision, machine, library versions), and
where it is written."""

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
VERSIONS = ("ortools", "highspy", "pulp", "scipy", "numpy")


def git_revision() -> str:
    """The short revision of the code measured ('unknown' outside a checkout)."""
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent,
    )
    return done.stdout.strip() or "unknown"


def new_record(benchmark: str, **fields: Any) -> dict[str, Any]:
    """A record of one run, with the facts needed to compare it with another."""
    return {
        "benchmark": benchmark,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "versions": {name: metadata.version(name) for name in VERSIONS},
    } | fields


def write_record(record: dict[str, Any]) -> Path:
    """results/<benchmark>_<when>.json."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{record['benchmark']}_{record['when'].replace(':', '')}.json"
    out.write_text(json.dumps(record, indent=2) + "\n")
    return out
