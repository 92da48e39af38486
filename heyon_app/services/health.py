"""What the app needs to work, checked: the database and its migrations, Stripe, the mail
server and the worker. One implementation for `GET /api/health` and `python -m
heyon_app.doctor`.

A check's reason and advice are fixed phrases (plus a host and port at most): never an
exception's text, which may carry a database URL with its password or a Stripe key.
"""

from __future__ import annotations

import os
import smtplib
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, text, update
from sqlmodel import Session, col, select

from heyon_app import clock, db
from heyon_app.models import WorkerHeartbeat
from heyon_app.services import notifications, stripe_gateway
from heyon_app.settings import PROJECT_ROOT, settings

DEFAULT_TIMEOUT_SECONDS = 5.0
# Rows of workers long gone (another pid, another host) are dropped after this.
_HEARTBEAT_KEEP = timedelta(days=7)


_ADVICE = {
    "database": "check DB_URL and that the database server is running",
    "stripe": "check STRIPE_API_BASE (local) or the network path to api.stripe.com",
    "smtp": "check SMTP_HOST, SMTP_PORT and SMTP_SECURITY, and that the mail server runs",
    "worker": "start the worker: python -m heyon_app.jobs run",
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    reason: str = ""  # why it failed, short and free of secrets
    advice: str = ""  # what an operator should do about it


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def record_heartbeat(session: Session, *, worker: str) -> None:
    """This worker started a pass now. UPDATE first, then an insert that a racing insert of
    the same name cannot break (insert_once); old workers' rows are pruned."""
    now = clock.now()
    updated = session.execute(
        update(WorkerHeartbeat).where(col(WorkerHeartbeat.worker) == worker).values(seen_at=now)
    )
    if not updated.rowcount:
        db.insert_once(session, WorkerHeartbeat(worker=worker, seen_at=now), unique="worker")
    session.execute(
        delete(WorkerHeartbeat).where(col(WorkerHeartbeat.seen_at) < now - _HEARTBEAT_KEEP)
    )


def _alembic_head() -> str | None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    return ScriptDirectory.from_config(config).get_current_head()


def check_database(*, url: str | None = None) -> Check:
    from alembic.migration import MigrationContext

    try:
        with db.engine(url).connect() as conn:
            conn.execute(text("SELECT 1"))
            current = MigrationContext.configure(conn).get_current_revision()
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the finding
        return Check(
            "database", False, f"cannot connect ({type(exc).__name__})", _ADVICE["database"]
        )
    head = _alembic_head()
    if current != head:
        return Check(
            "database",
            False,
            f"migrations not current (database at {current or 'none'}, code at {head})",
            "run `reflex db migrate` (or `python -c 'from heyon_app import db; db.migrate()'`)",
        )
    return Check("database", True)


def check_stripe(*, timeout: float = DEFAULT_TIMEOUT_SECONDS, api_base: str | None = None) -> Check:
    where = "the local Stripe server" if settings.stripe_mode == "local" else "Stripe"
    try:
        stripe_gateway.ping(timeout=timeout, api_base=api_base)
    except stripe_gateway.GatewayError as exc:
        refused = str(exc) in {"AuthenticationError", "PermissionError"}
        reason = f"{where} refused the key" if refused else f"{where} not reachable ({exc})"
        advice = (
            "check STRIPE_SECRET_KEY"
            if refused
            else "start it with `make run` (or check STRIPE_API_BASE)"
            if settings.stripe_mode == "local"
            else _ADVICE["stripe"]
        )
        return Check("stripe", False, reason, advice)
    return Check("stripe", True)


def check_smtp(
    *,
    host: str | None = None,
    port: int | None = None,
    security: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> Check:
    """Connect, EHLO (and STARTTLS when configured), NOOP, QUIT: no mail is sent."""
    host = settings.smtp_host if host is None else host
    port = settings.smtp_port if port is None else port
    security = settings.smtp_security if security is None else security
    try:
        with notifications.smtp_connection(
            host=host, port=port, security=security, timeout=timeout
        ) as client:
            client.ehlo()
            code, _ = client.noop()
            if code != 250:
                raise smtplib.SMTPResponseException(code, b"NOOP refused")
    except (OSError, smtplib.SMTPException) as exc:
        return Check(
            "smtp",
            False,
            f"mail server {host}:{port} not usable ({type(exc).__name__})",
            _ADVICE["smtp"],
        )
    return Check("smtp", True)


def check_worker(*, url: str | None = None, stale_minutes: int | None = None) -> Check:
    limit = timedelta(minutes=stale_minutes or settings.worker_stale_minutes)
    advice = _ADVICE["worker"]
    try:
        with db.session_scope(url) as session:
            last = session.exec(
                select(WorkerHeartbeat).order_by(col(WorkerHeartbeat.seen_at).desc()).limit(1)
            ).first()
    except Exception as exc:  # noqa: BLE001 - no database, no proof of a worker
        return Check("worker", False, f"cannot read heartbeats ({type(exc).__name__})", advice)
    if last is None:
        return Check("worker", False, "no worker has ever run", advice)
    age = clock.now() - last.seen_at
    if age > limit:
        minutes = int(age.total_seconds() // 60)
        return Check("worker", False, f"last worker pass {minutes} min ago", advice)
    return Check("worker", True)


def run_checks(
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    checks: dict[str, Callable[[], Check]] | None = None,
) -> list[Check]:
    """Every check at once, each given `timeout` seconds: a hung database or mail server
    makes its own check fail and does not hold the answer back."""
    checks = checks or {
        "database": check_database,
        "stripe": lambda: check_stripe(timeout=timeout),
        "smtp": lambda: check_smtp(timeout=timeout),
        "worker": check_worker,
    }
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="health")
    futures = {name: pool.submit(check) for name, check in checks.items()}
    deadline = time.monotonic() + timeout
    results = []
    for name, future in futures.items():
        try:
            results.append(future.result(timeout=max(0.0, deadline - time.monotonic())))
        except FutureTimeout:
            results.append(
                Check(name, False, f"no answer within {timeout:g} s", _ADVICE.get(name, ""))
            )
        except Exception as exc:  # noqa: BLE001 - a check that breaks is a failed check
            results.append(
                Check(name, False, f"check failed ({type(exc).__name__})", _ADVICE.get(name, ""))
            )
    # A hung check's thread ends on its own socket timeout; nobody waits for it.
    pool.shutdown(wait=False)
    return results
