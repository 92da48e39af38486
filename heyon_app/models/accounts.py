"""Customers, admins and what proves who they are."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from heyon_app import clock


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    phone: str = Field(max_length=32)
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


class LoginThrottle(SQLModel, table=True):
    """Failed logins per account ("email:…") or per address ("ip:…")."""

    key: str = Field(primary_key=True, max_length=300)
    failures: int = 0
    locked_until: datetime | None = None
    updated_at: datetime = Field(default_factory=clock.now)
