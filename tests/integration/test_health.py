"""The health checks behind `GET /api/health` and `python -m heyon_app.doctor`: each passing
and failing for the reason an operator would meet (an old migration, a closed port, a worker
that stopped), the endpoint's 200/503 without secrets, the doctor's exit code and advice."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.config import Config
from sqlmodel import Session, select
from starlette.testclient import TestClient

from alembic import command
from heyon_app import clock, db, doctor, jobs
from heyon_app.api import build_api
from heyon_app.models import WorkerHeartbeat
from heyon_app.services import health, stripe_gateway
from tests.conftest import ROOT, _free_port

DB_PASSWORD = "Pa55-word-never-shown"
STRIPE_KEY = "sk_test_never_shown_4f9a2c"


def _alembic(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.set_main_option("sqlalchemy.url", url)
    return config


@pytest.fixture
def migrated_url(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'health.db'}"
    db.migrate(url)
    yield url
    db._engines.pop(url).dispose()


@pytest.fixture
def old_url(tmp_path: Path):
    """A database one migration behind the code."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(_alembic(url), "head")
    command.downgrade(_alembic(url), "-1")
    yield url
    if url in db._engines:
        db._engines.pop(url).dispose()


def test_database_check_passes_when_migrations_are_current(migrated_url):
    assert health.check_database(url=migrated_url) == health.Check("database", True)


def test_database_check_fails_at_an_old_migration_and_says_to_migrate(old_url):
    check = health.check_database(url=old_url)
    assert not check.ok
    assert "migrations not current" in check.reason
    assert "reflex db migrate" in check.advice


def test_database_check_fails_when_unreachable_without_showing_the_password():
    url = f"postgresql://heyon:{DB_PASSWORD}@127.0.0.1:{_free_port()}/heyon"
    try:
        check = health.check_database(url=url)
    finally:
        db._engines.pop(url).dispose()
    assert not check.ok
    assert "cannot connect" in check.reason
    assert DB_PASSWORD not in check.reason + check.advice
    assert "DB_URL" in check.advice


def test_stripe_check_passes_against_the_local_server(local_stripe):
    assert health.check_stripe(timeout=5) == health.Check("stripe", True)


def test_stripe_check_fails_on_a_closed_port():
    check = health.check_stripe(timeout=2, api_base=f"http://127.0.0.1:{_free_port()}")
    assert not check.ok
    assert "not reachable" in check.reason
    assert "STRIPE_API_BASE" in check.advice


def test_smtp_check_passes_and_sends_no_mail(mailbox):
    assert health.check_smtp(timeout=5) == health.Check("smtp", True)
    assert mailbox.messages == []


def test_smtp_check_fails_on_a_closed_port():
    port = _free_port()
    check = health.check_smtp(host="127.0.0.1", port=port, security="none", timeout=2)
    assert not check.ok
    assert f"127.0.0.1:{port}" in check.reason
    assert "SMTP_HOST" in check.advice and "SMTP_PORT" in check.advice


def test_worker_check_fails_when_no_worker_ever_ran(migrated_url):
    check = health.check_worker(url=migrated_url)
    assert not check.ok
    assert check.reason == "no worker has ever run"
    assert "python -m heyon_app.jobs run" in check.advice


def test_worker_pass_records_one_heartbeat_row_per_process(migrated_url):
    start = clock.now().replace(microsecond=0)
    with clock.freeze(start):
        jobs.run_pass(migrated_url)
    with clock.freeze(start + timedelta(minutes=1)):
        jobs.run_pass(migrated_url)
    with Session(db.engine(migrated_url)) as session:
        rows = session.exec(select(WorkerHeartbeat)).all()
    assert [(r.worker, r.seen_at) for r in rows] == [
        (health.worker_name(), start + timedelta(minutes=1))
    ]


def test_worker_check_fails_once_the_heartbeat_is_older_than_the_setting(migrated_url):
    start = clock.now().replace(microsecond=0)
    with clock.freeze(start):
        jobs.run_pass(migrated_url)
    with clock.freeze(start + timedelta(minutes=4)):
        assert health.check_worker(url=migrated_url, stale_minutes=5).ok
    with clock.freeze(start + timedelta(minutes=6)):
        check = health.check_worker(url=migrated_url, stale_minutes=5)
    assert not check.ok
    assert check.reason == "last worker pass 6 min ago"


def test_a_hung_check_fails_on_its_timeout_and_does_not_hold_back_the_others():
    release = threading.Event()

    def hung() -> health.Check:
        release.wait(30)
        return health.Check("database", True)

    try:
        results = health.run_checks(
            timeout=0.2, checks={"database": hung, "smtp": lambda: health.Check("smtp", True)}
        )
    finally:
        release.set()
    assert results == [
        health.Check("database", False, "no answer within 0.2 s", health._ADVICE["database"]),
        health.Check("smtp", True),
    ]


def test_health_endpoint_is_200_ok_when_everything_answers(app_db, local_stripe, mailbox):
    jobs.record_heartbeat()
    with TestClient(build_api()) as client:
        response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {
        name: {"ok": True} for name in ("database", "stripe", "smtp", "worker")
    }


def test_health_endpoint_is_503_naming_the_failures_and_never_a_secret(
    app_db, mailbox, monkeypatch
):
    bad_db = f"postgresql://heyon:{DB_PASSWORD}@127.0.0.1:{_free_port()}/heyon"
    broken = dataclasses.replace(
        health.settings,
        db_url=bad_db,
        stripe_secret_key=STRIPE_KEY,
        stripe_api_base=f"http://127.0.0.1:{_free_port()}",
    )
    for module in (db, health, stripe_gateway):
        monkeypatch.setattr(module, "settings", broken)
    try:
        with TestClient(build_api()) as client:
            response = client.get("/api/health")
    finally:
        if bad_db in db._engines:
            db._engines.pop(bad_db).dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["smtp"] == {"ok": True}
    for name in ("database", "stripe", "worker"):
        assert body["checks"][name]["ok"] is False and body["checks"][name]["reason"]
    assert DB_PASSWORD not in response.text
    assert STRIPE_KEY not in response.text


def test_doctor_exits_0_and_lists_every_check_when_healthy(app_db, local_stripe, mailbox, capsys):
    jobs.record_heartbeat()
    assert doctor.main([]) == 0
    out = capsys.readouterr().out
    for name in ("database", "stripe", "smtp", "worker"):
        assert f"ok    {name}" in out
    assert "all checks passed" in out


def test_doctor_exits_1_with_advice_for_each_failure(old_url):
    env = dict(
        os.environ,
        DB_URL=old_url,
        REFLEX_DB_URL=old_url,
        SMTP_PORT=str(_free_port()),
        STRIPE_API_BASE=f"http://127.0.0.1:{_free_port()}",
    )
    done = subprocess.run(
        [sys.executable, "-m", "heyon_app.doctor"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert "FAIL  database: migrations not current" in out
    assert "run `reflex db migrate`" in out
    assert "FAIL  stripe" in out and "STRIPE_API_BASE" in out
    assert "FAIL  smtp" in out and "check SMTP_HOST, SMTP_PORT" in out
    assert "FAIL  worker" in out and "start the worker: python -m heyon_app.jobs run" in out
    assert "4 check(s) failed" in out
