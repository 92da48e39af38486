"""Outbox, audit trail and support tickets."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from heyon_app import clock


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    channel: str = Field(max_length=8)  # email | sms
    recipient: str = Field(max_length=254)
    subject: str = Field(default="", max_length=200)
    body: str
    status: str = Field(default="queued", max_length=16)  # queued | sent | failed
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=clock.now)
    sent_at: datetime | None = None


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
