"""Password hashing and policy, opaque tokens, and login throttling."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from passlib.context import CryptContext
from sqlmodel import Session

from heyon_app import clock
from heyon_app.models import LoginThrottle

_pwd = CryptContext(schemes=["argon2"], deprecated="auto")

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # argon2 copes, but an unbounded input is a cheap DoS.
THROTTLE_FREE_FAILURES = 5
THROTTLE_BASE_DELAY = timedelta(seconds=30)
THROTTLE_MAX_DELAY = timedelta(minutes=30)


def hash_password(password: str) -> str:
    return _pwd.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _pwd.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


@cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common_passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def password_problems(password: str, email: str) -> list[str]:
    """Message keys for every rule the password breaks; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("password.too_short")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append("password.too_long")
    if password.lower() in _common_passwords():
        problems.append("password.too_common")
    name = email.split("@", 1)[0].lower()
    if len(name) >= 3 and name in password.lower():
        problems.append("password.contains_email")
    return problems


def new_token() -> str:
    """An unguessable token for a browser or an emailed link."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps instead of a token: a leaked table opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


def throttle_wait(session: Session, keys: list[str], now: datetime | None = None) -> int:
    """Seconds until any of these keys may try to log in again (0 = now)."""
    now = now or clock.now()
    wait = 0
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row and row.locked_until and row.locked_until > now:
            wait = max(wait, int((row.locked_until - now).total_seconds()) + 1)
    return wait


def record_login_failure(session: Session, keys: list[str], now: datetime | None = None) -> None:
    """Count a failure; from the fifth on, each one doubles the wait (capped)."""
    now = now or clock.now()
    for key in keys:
        row = session.get(LoginThrottle, key) or LoginThrottle(key=key)
        row.failures += 1
        row.updated_at = now
        over = row.failures - THROTTLE_FREE_FAILURES
        if over >= 0:
            delay = min(THROTTLE_BASE_DELAY * (2**over), THROTTLE_MAX_DELAY)
            row.locked_until = now + delay
        session.add(row)


def clear_login_failures(session: Session, keys: list[str]) -> None:
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row:
            session.delete(row)
    session.flush()
