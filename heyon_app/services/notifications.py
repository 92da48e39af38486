"""Email over SMTP and SMS through a provider; every message is recorded in the outbox."""

from __future__ import annotations

import json
import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

from sqlmodel import Session

from heyon_app import clock
from heyon_app.models import Notification
from heyon_app.settings import settings


def deliver_email(recipient: str, subject: str, body: str) -> None:
    """Send one plain-text mail with the configured SMTP server; raises on failure."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    if settings.smtp_security == "ssl":
        client = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=15, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15)
    with client:
        if settings.smtp_security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password)
        client.send_message(message)


class SmsProvider(Protocol):
    def send(self, recipient: str, body: str) -> None: ...


class OutboxDirSms:
    """Default SMS provider: one JSON file per message, where a developer can read it."""

    def send(self, recipient: str, body: str) -> None:
        folder = settings.sms_outbox_dir
        folder.mkdir(parents=True, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}-{recipient.lstrip('+')}.json"
        path.write_text(json.dumps({"to": recipient, "body": body}, ensure_ascii=False), "utf-8")


sms_provider: SmsProvider = OutboxDirSms()


def send_now(session: Session, notification: Notification, *, body: str | None = None) -> bool:
    """Try to deliver a recorded notification; never raises, records the outcome.

    `body` replaces the recorded text when that was stored redacted (a secret link).
    """
    notification.attempts += 1
    try:
        if notification.channel == "email":
            deliver_email(notification.recipient, notification.subject, body or notification.body)
        else:
            sms_provider.send(notification.recipient, body or notification.body)
    except Exception as exc:  # noqa: BLE001 - any transport failure is recorded, not raised
        notification.status = "failed"
        notification.last_error = f"{type(exc).__name__}: {exc}"[:500]
        session.add(notification)
        return False
    notification.status = "sent"
    notification.sent_at = clock.now()
    session.add(notification)
    return True


def email(
    session: Session, *, user_id: int | None, recipient: str, subject: str, body: str
) -> Notification:
    """Record an email in the outbox; the caller decides whether to send it now."""
    row = Notification(
        user_id=user_id, channel="email", recipient=recipient, subject=subject, body=body
    )
    session.add(row)
    session.flush()
    return row


def sms(session: Session, *, user_id: int | None, recipient: str, body: str) -> Notification:
    row = Notification(user_id=user_id, channel="sms", recipient=recipient, body=body)
    session.add(row)
    session.flush()
    return row
