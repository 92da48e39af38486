"""Test set-up: an isolated var/ folder, database file and SMTP server for the whole run.

The environment is fixed here, before any heyon_app module reads its settings.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.redis_server import RedisServer
from tests.slow_proxy import Gate

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
_TMP = Path(tempfile.mkdtemp(prefix="heyon-test-"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# HEYON_TEST_BACKEND=pg-redis runs the same tests on a fresh PostgreSQL database and the
# Redis state manager (what an operator's scaled-out deployment uses); `make test` runs both.
BACKEND = os.environ.get("HEYON_TEST_BACKEND", "sqlite").strip() or "sqlite"
PG_ADMIN_URL = os.environ.get("HEYON_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
_RUN_DB = f"heyon_run_{uuid.uuid4().hex[:8]}"
if BACKEND == "pg-redis":
    TEST_DB_URL = PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[
        0
    ] + ("/" + _RUN_DB)
    REDIS = RedisServer(_TMP)
else:
    TEST_DB_URL = f"sqlite:///{_TMP / 'heyon-test.db'}"
    REDIS = None
STRIPE_PORT = _free_port()
os.environ.update(
    HEYON_VAR_DIR=str(_TMP),
    DB_URL=TEST_DB_URL,
    REFLEX_DB_URL=TEST_DB_URL,
    SMTP_HOST="127.0.0.1",
    SMTP_PORT=str(_free_port()),
    SMTP_SECURITY="none",
    SMTP_USER="",
    PUBLIC_URL="http://heyon.test",
    STRIPE_API_BASE=f"http://127.0.0.1:{STRIPE_PORT}",
    TELEMETRY_ENABLED="false",
    REFLEX_USE_SYSTEM_BUN="1",
    PATH=f"{ROOT / '.tools' / 'node_modules' / '.bin'}:{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
)
if REDIS is not None:
    os.environ["REDIS_URL"] = REDIS.url
else:
    os.environ.pop("REDIS_URL", None)
for _name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
    os.environ.pop(_name, None)  # tests always use the local Stripe server
os.environ.pop("REFLEX_REDIS_URL", None)

# Property tests: the same examples on every run and machine, and no timing in the verdict
# (the machine is shared; speed is measured in bench/).
hypothesis_settings.register_profile(
    "heyon",
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.load_profile("heyon")


def _pg_admin():
    import sqlalchemy

    return sqlalchemy.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def pytest_configure(config) -> None:
    """pg-redis: create the run's database and start its Redis, or stop with the reason."""
    if BACKEND == "sqlite":
        return
    if BACKEND != "pg-redis":
        raise pytest.UsageError(f"HEYON_TEST_BACKEND must be sqlite or pg-redis, not {BACKEND!r}")
    import sqlalchemy

    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f'CREATE DATABASE "{_RUN_DB}"'))
    except sqlalchemy.exc.OperationalError as exc:
        raise pytest.UsageError(
            f"HEYON_TEST_BACKEND=pg-redis needs PostgreSQL at {PG_ADMIN_URL} (set "
            f"HEYON_TEST_PG_URL; .ci/run starts it): {exc.orig}"
        ) from None
    finally:
        admin.dispose()
    try:
        REDIS.start()
    except RuntimeError as exc:
        raise pytest.UsageError(str(exc)) from None


_RUN_PASSED: list[bool] = []


def pytest_sessionfinish(session, exitstatus) -> None:
    _RUN_PASSED.append(exitstatus == 0)


def pytest_unconfigure(config) -> None:
    if BACKEND == "pg-redis":
        _drop_pg_redis()
    # The run's folder (database, logs, local Stripe's state) is kept only for a failed run,
    # to be looked at; each run made a new one under /tmp, never removed.
    if _RUN_PASSED == [True]:
        shutil.rmtree(_TMP, ignore_errors=True)


def _drop_pg_redis() -> None:
    import contextlib

    import sqlalchemy

    REDIS.stop()
    with contextlib.suppress(Exception):
        from heyon_app import db

        for engine in db._engines.values():
            engine.dispose()
    admin = _pg_admin()
    with contextlib.suppress(sqlalchemy.exc.SQLAlchemyError), admin.connect() as conn:
        conn.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{_RUN_DB}" WITH (FORCE)'))
    admin.dispose()


def pytest_collection_modifyitems(config, items) -> None:
    """The tests about the scaled-out mode itself (they take `pg_redis`) belong to the
    pg-redis pass; the SQLite pass leaves them out, named in its header, never skipped."""
    if BACKEND != "sqlite":
        return
    scaled = [item for item in items if "pg_redis" in getattr(item, "fixturenames", ())]
    if scaled:
        config.hook.pytest_deselected(items=scaled)
        items[:] = [item for item in items if item not in scaled]


def pytest_report_header(config) -> str:
    if BACKEND == "sqlite":
        return "backend: SQLite + memory state (HEYON_TEST_BACKEND=pg-redis for the other pass)"
    return f"backend: PostgreSQL {_RUN_DB} + Redis {REDIS.url}"


@pytest.fixture
def pg_redis() -> RedisServer:
    """The run's own Redis, for tests that are about the scaled-out mode; outside it they
    fail saying how to run them (never a skip)."""
    if REDIS is None:
        pytest.fail(
            "this test needs PostgreSQL and Redis: run it with HEYON_TEST_BACKEND=pg-redis "
            "(make test does)"
        )
    return REDIS


class Mailbox:
    """Mails received by the in-process SMTP server."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        # A stalling mail server on demand: inside `holding()` each message waits for the
        # block's end before its "250".
        self._gate = Gate()
        self.holding = self._gate.holding
        self.held = 0
        # A refusing mail server on demand: the next this many messages get a "451".
        self.refuse_next = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 Try again later"
        if self._gate.closed:
            self.held += 1
            try:
                await asyncio.to_thread(self._gate.wait)
            finally:
                self.held -= 1
        raw = envelope.original_content or envelope.content
        self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=int(os.environ["SMTP_PORT"]))
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: Mailbox) -> Mailbox:
    smtp_server.messages.clear()
    smtp_server.refuse_next = 0
    return smtp_server


@pytest.fixture
def session(tmp_path: Path):
    """A fresh database with every table, for service-level tests."""
    from sqlmodel import Session, SQLModel, create_engine

    import heyon_app.models  # noqa: F401

    engine = create_engine(f"sqlite:///{tmp_path / 'unit.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as db:
        yield db
    engine.dispose()


@pytest.fixture(scope="session")
def app_db() -> str:
    """The run's shared database file, migrated by Alembic and seeded with the demo data."""
    from heyon_app import db, seed

    db.migrate()
    with db.session_scope() as s:
        seed.seed_catalogue(s)
        seed.seed_demo_accounts(s)
    return TEST_DB_URL


@pytest.fixture(scope="session")
def local_stripe() -> Iterator[str]:
    """The devtools Stripe server (localstripe + test-mode pages) on a free loopback port."""
    import subprocess
    import sys
    import time

    base = os.environ["STRIPE_API_BASE"]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "heyon_app.devtools.local_stripe",
            "--port",
            str(STRIPE_PORT),
            "--state",
            str(_TMP / "localstripe.pickle"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(_TMP / "localstripe.log", "wb"),  # noqa: SIM115 - handed to the child
    )
    deadline = time.monotonic() + 20
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", STRIPE_PORT)) == 0:
                break
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"local Stripe did not start; see {_TMP / 'localstripe.log'}")
        time.sleep(0.05)
    yield base
    proc.terminate()
    proc.wait(10)
