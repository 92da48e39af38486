"""Does one customer's slow outside service slow anyone else? (issue 7, point 2)

Runs the browser scenario of tests/browser/test_slow_services.py with more rounds: one
customer's Stripe call (or password-reset mail) is held until a second customer has
clicked package filters; prints that second customer's event round trips. Target: under
300 ms while the first one waits (a blocked event loop would answer none of them).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROUNDS = 30


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "round-trips.jsonl"
        env = dict(
            os.environ,
            HEYON_ROUND_TRIP_ROUNDS=str(ROUNDS),
            HEYON_ROUND_TRIP_REPORT=str(report),
        )
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/browser/test_slow_services.py",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        rows = (
            [json.loads(line) for line in report.read_text().splitlines()]
            if report.exists()
            else []
        )
    if not rows:
        print(run.stdout[-3000:], run.stderr[-3000:])
        sys.exit("the scenario produced no figures")
    print(
        f"{'while another customer waits on':34} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    )
    for row in rows:
        trips = sorted(row["round_trips_ms"])
        p95 = trips[min(len(trips) - 1, round(0.95 * (len(trips) - 1)))]
        print(
            f"{row['scenario']:34} {len(trips):3d} {statistics.median(trips):8.1f} "
            f"{p95:8.1f} {trips[-1]:8.1f}"
        )
    if run.returncode:
        print(run.stdout[-2000:])
        sys.exit("the scenario failed")


if __name__ == "__main__":
    main()
