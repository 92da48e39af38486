"""Customers, admins and what proves who they are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from heyon_app import clock


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    phone: str = Field(max_length=32)
    # Set when the customer proved by SMS code that they hold `phone` (free month needs it).
    phone_verified_at: datetime | None = None
    locale: str = Field(default="zh-CN", max_length=8)
    role: str = Field(default="customer", max_length=16)  # customer | admin
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=clock.now)


class AuthSession(SQLModel, table=True):
    """A login. Only the SHA-256 of the browser's token is kept."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=clock.now)
    expires_at: datetime
    revoked_at: datetime | None = None


class PasswordReset(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=clock.now)
    expires_at: datetime
    used_at: datetime | None = None


class ThrottleEvent(SQLModel, table=True):
    """One counted attempt: a failed password check or a password-reset request.

    Counting the rows of a window is the sliding window (see security.login_wait); rows
    older than the longest window are pruned as new ones arrive.
    """

    __table_args__ = (
        Index("ix_throttleevent_account", "kind", "account", "at"),
        Index("ix_throttleevent_address", "kind", "address", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # login_failure | reset_request
    # The normalized email as typed: unknown accounts are counted like real ones.
    account: str = Field(max_length=254)
    address: str = Field(max_length=64)
    at: datetime = Field(default_factory=clock.now)
