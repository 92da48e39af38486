"""Outbox, audit trail and support tickets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from heyon_app import clock


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    channel: str = Field(max_length=8)  # email | sms
    recipient: str = Field(max_length=254)
    subject: str = Field(default="", max_length=200)
    body: str
    # queued | sending (claimed by one sender until lease_until) | sent | failed
    status: str = Field(default="queued", max_length=16, index=True)
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=clock.now)
    sent_at: datetime | None = None
    # The outbox retries a queued row from this moment on (None: at once).
    next_attempt_at: datetime | None = None
    # A sender that dies mid-send leaves "sending"; after this moment another may retry.
    lease_until: datetime | None = None
    # The body is stored without its secret (a reset link, a code): only the request that
    # holds the secret can send it, the outbox never does.
    redacted: bool = False


class Reminder(SQLModel, table=True):
    """One renewal reminder per line, expiry date, step and channel, whoever sends it: the
    unique constraint is what stops two workers (or one run twice) from sending it again.
    A renewal moves valid_until, so the next period's reminders are new rows."""

    __table_args__ = (UniqueConstraint("line_id", "valid_until", "step", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    line_id: int = Field(foreign_key="esimline.id", index=True)
    valid_until: datetime
    step: str = Field(max_length=8)  # 7d | 3d | 1d | lapsed
    channel: str = Field(max_length=8)  # email | sms
    notification_id: int | None = Field(default=None, foreign_key="notification.id")
    created_at: datetime = Field(default_factory=clock.now)


class AuditLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=64, index=True)
    detail: str = Field(default="", max_length=2000)
    # What an admin action changed: "promotion:3", and the fields before and after (JSON).
    target: str = Field(default="", max_length=64, index=True)
    before: str = Field(default="", max_length=4000)
    after: str = Field(default="", max_length=4000)
    at: datetime = Field(default_factory=clock.now, index=True)


class SupportTicket(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    subject: str = Field(max_length=120)
    message: str = Field(max_length=4000)
    order_id: int | None = Field(default=None, foreign_key="order.id")
    status: str = Field(default="open", max_length=16)  # open | answered | closed
    created_at: datetime = Field(default_factory=clock.now)
    answer: str = Field(default="", max_length=4000)
    answered_at: datetime | None = None
    answered_by_user_id: int | None = Field(default=None, foreign_key="user.id")


class ReminderPreference(SQLModel, table=True):
    """Which renewal reminders a customer wants, on which channels; no row = all of them."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    email: bool = True
    sms: bool = True
    before_7d: bool = True
    before_3d: bool = True
    before_1d: bool = True
    lapsed: bool = True
    updated_at: datetime = Field(default_factory=clock.now)


class WorkerHeartbeat(SQLModel, table=True):
    """When each worker process (host:pid) last started a pass: the health check's proof
    that reminders, reconciliation and the outbox are still running."""

    worker: str = Field(primary_key=True, max_length=120)
    seen_at: datetime = Field(default_factory=clock.now, index=True)
