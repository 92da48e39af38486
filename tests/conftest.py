"""Test set-up: an isolated var/ folder, database file and SMTP server for the whole run.

The environment is fixed here, before any heyon_app module reads its settings.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import socket
import tempfile
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
_TMP = Path(tempfile.mkdtemp(prefix="heyon-test-"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


TEST_DB_URL = f"sqlite:///{_TMP / 'heyon-test.db'}"
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


class Mailbox:
    """Mails received by the in-process SMTP server."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        # A stalling mail server on demand: each message is held this long before "250".
        self.stall_seconds = 0.0
        self.held = 0
        # A refusing mail server on demand: the next this many messages get a "451".
        self.refuse_next = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 Try again later"
        if self.stall_seconds:
            self.held += 1
            try:
                await asyncio.sleep(self.stall_seconds)
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
    smtp_server.stall_seconds = 0.0
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
