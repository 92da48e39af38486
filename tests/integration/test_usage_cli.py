"""`python -m heyon_app.usage import FILE` against the migrated database file."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from sqlmodel import select

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.models import EsimLine, UsageRecord
from tests.conftest import ROOT


def _run(path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "heyon_app.usage", "import", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_imports_all_or_nothing_and_twice_is_once(app_db, tmp_path):
    with session_scope() as s:
        line = s.exec(select(EsimLine).where(EsimLine.number == "+8617000000001")).one()
    day = (clock.local_today() - timedelta(days=40)).isoformat()
    good = tmp_path / "good.csv"
    good.write_text(f"number,day,data_mb,minutes\n{line.number},{day},321,7\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        f'{{"iccid": "{line.iccid}", "day": "{day}", "data_mb": 999, "minutes": 1}}\n'
        '{"iccid": "nope", "day": "2026-01-01", "data_mb": 1, "minutes": 1}\n'
    )

    first, second = _run(good), _run(good)
    assert first.returncode == 0, first.stderr
    assert "imported 1" in first.stdout and "replaced 1" in second.stdout
    rejected = _run(bad)
    assert rejected.returncode == 1
    assert "row 2: no line" in rejected.stderr and "nothing imported" in rejected.stderr
    assert _run(tmp_path / "missing.csv").returncode == 2
    with session_scope() as s:
        rows = s.exec(
            select(UsageRecord).where(
                UsageRecord.line_id == line.id,
                UsageRecord.day == clock.local_today() - timedelta(days=40),
            )
        ).all()
        assert [(r.data_mb, r.minutes) for r in rows] == [(321, 7)]


def test_cli_names_a_duplicated_header_column_and_imports_nothing(app_db, tmp_path):
    day = (clock.local_today() - timedelta(days=41)).isoformat()
    twice = tmp_path / "twice.csv"
    twice.write_text(f"number,day,data_mb,minutes,data_mb\n+8617000000001,{day},321,7,999\n")
    result = _run(twice)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "header: column data_mb appears more than once",
        f"1 row(s) rejected; nothing imported from {twice}",
    ]
    with session_scope() as s:
        assert not s.exec(
            select(UsageRecord).where(UsageRecord.day == clock.local_today() - timedelta(days=41))
        ).all()
