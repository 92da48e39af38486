"""Email over SMTP and SMS through a provider; every message is recorded in the outbox.

A message is written in the transaction of the change it reports; after the commit the
caller may try it at once (`send_now`), and the worker's outbox pass (`send_due`) sends
whatever is still queued, with back-off. A sender claims a row before sending, so two
senders never deliver the same one.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import update
from sqlmodel import Session, col, select

from heyon_app import clock
from heyon_app.models import Notification
from heyon_app.services import sms as sms_gateway
from heyon_app.settings import settings

log = logging.getLogger(__name__)


def smtp_connection(*, host: str, port: int, security: str, timeout: float) -> smtplib.SMTP:
    """An open connection to the mail server, encrypted as `security` says (ssl, starttls or
    none), not yet logged in; use it as a context manager."""
    if security == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    client = smtplib.SMTP(host, port, timeout=timeout)
    if security == "starttls":
        try:
            client.starttls(context=ssl.create_default_context())
        except BaseException:
            client.close()
            raise
    return client


def deliver_email(recipient: str, subject: str, body: str) -> None:
    """Send one plain-text mail with the configured SMTP server; raises on failure."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    with smtp_connection(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        timeout=15,
    ) as client:
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password)
        client.send_message(message)


# How long a sender owns a claimed row; a sender gone longer than this died mid-send.
LEASE = timedelta(minutes=5)
# Wait before the 2nd, 3rd, … attempt; after MAX_ATTEMPTS the row is "failed" for admins.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = 5


def _claim(session: Session, notification_id: int, now: datetime) -> int | None:
    """Take the row for this sender (committed before the slow send) if it is due: queued
    and its back-off over, or left "sending" by a sender whose lease ran out. A conditional
    UPDATE, so of two senders exactly one gets it. Returns the attempt number claimed."""
    due = (col(Notification.status) == "queued") & (
        col(Notification.next_attempt_at).is_(None) | (col(Notification.next_attempt_at) <= now)
    )
    stale = (col(Notification.status) == "sending") & (col(Notification.lease_until) < now)
    result = session.execute(
        update(Notification)
        .where(col(Notification.id) == notification_id, due | stale)
        .values(
            status="sending",
            lease_until=now + LEASE,
            attempts=col(Notification.attempts) + 1,
        )
    )
    session.commit()
    if result.rowcount != 1:
        return None
    return session.exec(
        select(Notification.attempts).where(Notification.id == notification_id)
    ).one()


def _record(session: Session, notification_id: int, attempt: int, **values: object) -> None:
    """The outcome, only if the row is still this sender's claim (not re-claimed after a
    lease that ran out)."""
    session.execute(
        update(Notification)
        .where(
            col(Notification.id) == notification_id,
            col(Notification.status) == "sending",
            col(Notification.attempts) == attempt,
        )
        .values(lease_until=None, **values)
    )
    session.commit()


def _transport(notification: Notification, body: str) -> None:
    if notification.channel == "email":
        deliver_email(notification.recipient, notification.subject, body)
    else:
        sms_gateway.send_sms(notification.recipient, body)


def send_now(session: Session, notification: Notification, *, body: str | None = None) -> bool:
    """Claim a recorded notification and deliver it; never raises, records the outcome.
    Called after the commit of the change it reports (it commits); False if it could not be
    delivered now or another sender has it. A failure is retried by the outbox with
    back-off, except a redacted row: its secret exists only in this call.

    `body` replaces the recorded text when that was stored redacted (a secret link).
    """
    assert notification.id is not None
    now = clock.now()
    attempt = _claim(session, notification.id, now)
    if attempt is None:
        session.refresh(notification)
        return False
    try:
        _transport(notification, body or notification.body)
    except Exception as exc:  # noqa: BLE001 - any transport failure is recorded, not raised
        error = f"{type(exc).__name__}: {exc}"[:500]
        log.warning("notification %s attempt %s failed: %s", notification.id, attempt, error)
        if notification.redacted or attempt >= MAX_ATTEMPTS:
            _record(session, notification.id, attempt, status="failed", last_error=error)
        else:
            delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
            _record(
                session,
                notification.id,
                attempt,
                status="queued",
                last_error=error,
                next_attempt_at=now + delay,
            )
        session.refresh(notification)
        return False
    _record(session, notification.id, attempt, status="sent", sent_at=clock.now())
    session.refresh(notification)
    return True


def send_due(session: Session, *, limit: int = 200) -> dict[str, int]:
    """The outbox pass of the worker: send every queued row whose time has come and retry
    rows a dead sender left behind; redacted rows whose sender died are marked failed."""
    now = clock.now()
    due = (col(Notification.status) == "queued") & (
        col(Notification.next_attempt_at).is_(None) | (col(Notification.next_attempt_at) <= now)
    )
    stale = (col(Notification.status) == "sending") & (col(Notification.lease_until) < now)
    rows = session.exec(
        select(Notification)
        .where(col(Notification.redacted).is_(False), due | stale)
        .order_by(Notification.id)
        .limit(limit)
    ).all()
    counts = {"sent": 0, "not_sent": 0}
    for row in rows:
        counts["sent" if send_now(session, row) else "not_sent"] += 1
    orphaned = session.execute(
        update(Notification)
        .where(
            col(Notification.redacted).is_(True),
            col(Notification.status).in_(("queued", "sending")),
            col(Notification.created_at) < now - LEASE,
        )
        .values(status="failed", last_error="its sender stopped; the secret was not kept")
    )
    session.commit()
    counts["orphaned"] = orphaned.rowcount or 0
    return counts


def email(
    session: Session,
    *,
    user_id: int | None,
    recipient: str,
    subject: str,
    body: str,
    redacted: bool = False,
) -> Notification:
    """Record an email in the outbox (the worker sends it unless `redacted`: then the
    caller sends it with the secret after commit)."""
    row = Notification(
        user_id=user_id,
        channel="email",
        recipient=recipient,
        subject=subject,
        body=body,
        redacted=redacted,
    )
    session.add(row)
    session.flush()
    return row


def sms(
    session: Session, *, user_id: int | None, recipient: str, body: str, redacted: bool = False
) -> Notification:
    row = Notification(
        user_id=user_id, channel="sms", recipient=recipient, body=body, redacted=redacted
    )
    session.add(row)
    session.flush()
    return row
