"""`make bench` runs: the quick benchmarks, each on its own scratch SQLite file, print their
tables (a bench that had stopped running went unnoticed until someone ran it). Their figures
are not judged here; the statement counts are tested where they are made."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(bench: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DB_URL", "HEYON_BENCH_DB_URL")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, f"bench/{bench}.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_sql_statements_bench_prints_a_count_for_every_kind_of_work():
    rows = re.findall(r"^(\S.*?)\s+(\d+)$", _run("db_statements_bench"), re.MULTILINE)
    works = [work for work, _ in rows]
    assert sum(w.startswith("dashboard load") for w in works) == 8
    assert any(w.startswith("renewal review page load") for w in works)
    assert any(w.startswith("checkout: order") for w in works)
    assert all(int(n) > 0 for _, n in rows)


def test_the_login_bench_prints_its_three_figures():
    out = _run("auth_bench")
    for figure in ("argon2 hash:", "argon2 verify:", "token lookup:"):
        assert re.search(rf"^{figure}\s+\d+\.\d+ ms", out, re.MULTILINE), out
