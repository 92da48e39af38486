"""Registration, login sessions, password changes and resets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from heyon_app import clock, security
from heyon_app.i18n import SUPPORTED_LOCALES
from heyon_app.models import AuditLog, AuthSession, PasswordReset, User
from heyon_app.services.errors import UserError
from heyon_app.settings import settings

RESET_LIFETIME = timedelta(minutes=30)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")


@dataclass(frozen=True)
class LoginResult:
    user: User
    token: str


def normalize_email(email: str) -> str:
    return email.strip().lower()


def normalize_phone(phone: str) -> str:
    return re.sub(r"[\s-]", "", phone)


def register(
    session: Session, *, email: str, phone: str, password: str, locale: str = "zh-CN"
) -> User:
    email = normalize_email(email)
    phone = normalize_phone(phone)
    if not _EMAIL.match(email) or len(email) > 254:
        raise UserError("auth.email_invalid")
    if not _PHONE.match(phone):
        raise UserError("auth.phone_invalid")
    problems = security.password_problems(password, email)
    if problems:
        raise UserError(problems[0])
    if session.exec(select(User).where(User.email == email)).first():
        raise UserError("auth.email_taken")
    user = User(
        email=email,
        phone=phone,
        locale=locale if locale in SUPPORTED_LOCALES else "zh-CN",
        password_hash=security.hash_password(password),
    )
    session.add(user)
    session.flush()
    session.add(AuditLog(actor_user_id=user.id, action="user.register"))
    return user


def _throttle_keys(email: str, client_ip: str) -> list[str]:
    keys = [f"email:{email}"]
    if client_ip:
        keys.append(f"ip:{client_ip}")
    return keys


def log_in(session: Session, *, email: str, password: str, client_ip: str = "") -> LoginResult:
    """Check the password (unless throttled) and open a session; raises UserError."""
    email = normalize_email(email)
    keys = _throttle_keys(email, client_ip)
    wait = security.throttle_wait(session, keys)
    if wait:
        raise UserError("auth.throttled", seconds=wait)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or not security.verify_password(password, user.password_hash):
        security.record_login_failure(session, keys)
        # The failure must outlive the error below, which makes callers roll back.
        session.commit()
        raise UserError("auth.bad_credentials")
    # Only the account's counter is cleared: logging into one's own account must not
    # wipe the record of an address that is guessing others'.
    security.clear_login_failures(session, keys[:1])
    return LoginResult(user=user, token=open_session(session, user))


def open_session(session: Session, user: User) -> str:
    token = security.new_token()
    now = clock.now()
    session.add(
        AuthSession(
            user_id=user.id,
            token_hash=security.token_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=settings.session_days),
        )
    )
    return token


def _auth_session(session: Session, token: str) -> AuthSession | None:
    return session.exec(
        select(AuthSession).where(AuthSession.token_hash == security.token_hash(token))
    ).first()


def user_for_token(session: Session, token: str) -> User | None:
    """The user a browser token belongs to, if that session is live."""
    if not token:
        return None
    row = _auth_session(session, token)
    if row is None or row.revoked_at is not None or row.expires_at <= clock.now():
        return None
    return session.get(User, row.user_id)


def log_out(session: Session, token: str) -> None:
    row = _auth_session(session, token)
    if row and row.revoked_at is None:
        row.revoked_at = clock.now()
        session.add(row)


def _revoke_all_sessions(session: Session, user_id: int) -> None:
    now = clock.now()
    rows = session.exec(
        select(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    ).all()
    for row in rows:
        row.revoked_at = now
        session.add(row)


def change_password(session: Session, *, user: User, current: str, new: str) -> None:
    if not security.verify_password(current, user.password_hash):
        raise UserError("auth.current_password_wrong")
    problems = security.password_problems(new, user.email)
    if problems:
        raise UserError(problems[0])
    user.password_hash = security.hash_password(new)
    session.add(user)
    session.add(AuditLog(actor_user_id=user.id, action="user.password_changed"))


def set_locale(session: Session, *, user_id: int, locale: str) -> None:
    if locale not in SUPPORTED_LOCALES:
        raise UserError("common.bad_request")
    user = session.get(User, user_id)
    if user:
        user.locale = locale
        session.add(user)


def start_password_reset(session: Session, *, email: str) -> tuple[User, str] | None:
    """A one-time token for the account, or None when there is no such account.

    The caller shows the same message either way so the page reveals nothing.
    """
    user = session.exec(select(User).where(User.email == normalize_email(email))).first()
    if user is None:
        return None
    token = security.new_token()
    now = clock.now()
    session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=security.token_hash(token),
            created_at=now,
            expires_at=now + RESET_LIFETIME,
        )
    )
    return user, token


def complete_password_reset(session: Session, *, token: str, new_password: str) -> User:
    row = session.exec(
        select(PasswordReset).where(PasswordReset.token_hash == security.token_hash(token))
    ).first()
    now = clock.now()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise UserError("auth.reset_link_invalid")
    user = session.get(User, row.user_id)
    problems = security.password_problems(new_password, user.email)
    if problems:
        raise UserError(problems[0])
    # Claim the link with a conditional update so two simultaneous uses cannot both win.
    claimed = session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == row.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        raise UserError("auth.reset_link_invalid")
    user.password_hash = security.hash_password(new_password)
    session.add(user)
    # A reset means the old password may be known to someone else: end every session.
    _revoke_all_sessions(session, user.id)
    session.add(AuditLog(actor_user_id=user.id, action="user.password_reset"))
    return user
