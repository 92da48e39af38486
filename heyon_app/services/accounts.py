"""Registration, login sessions, password changes and resets."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, update
from sqlmodel import Session, select

from heyon_app import clock, routes, security
from heyon_app.i18n import SUPPORTED_LOCALES, translate
from heyon_app.models import AuditLog, AuthSession, Notification, PasswordReset, User
from heyon_app.services import notifications
from heyon_app.services.errors import UserError
from heyon_app.settings import settings

RESET_LIFETIME = timedelta(minutes=30)
REDACTED_LINK = "[reset link]"
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


def _has_invisible(text: str) -> bool:
    """Controls, zero-width and direction marks (Unicode C*), spaces of any kind (Z*): an
    address with one looks like another customer's, in the admin's list and in a mail."""
    return any(unicodedata.category(c)[0] in "CZ" for c in text)


def register(
    session: Session, *, email: str, phone: str, password: str, locale: str = "zh-CN"
) -> User:
    email = normalize_email(email)
    phone = normalize_phone(phone)
    if not _EMAIL.match(email) or len(email) > 254 or _has_invisible(email):
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


def log_in(session: Session, *, email: str, password: str, address: str) -> LoginResult:
    """Check the password (unless this address must wait) and open a session; raises UserError.

    The throttle policy is in security (login_wait): failures of other addresses never
    refuse this one.
    """
    email = normalize_email(email)
    _start_attempt(session, account=email, address=address)
    user = session.exec(select(User).where(User.email == email)).first()
    # An unknown address costs a hash check too, so the answer's timing reveals nothing.
    if user is None:
        security.verify_nobody(password)
    if user is None or not security.verify_password(password, user.password_hash):
        raise UserError("auth.bad_credentials")
    security.clear_login_failures(session, account=email, address=address)
    return LoginResult(user=user, token=open_session(session, user))


def _start_attempt(session: Session, *, account: str, address: str) -> None:
    """Count a password check as failed before it runs, or refuse it while the address waits.

    Committed at once, so the failure outlives the caller's rollback on a wrong password,
    and simultaneous guesses each see the ones before them (the throttle holds under a
    burst). A right password clears it again.
    """
    attempt = security.record_login_failure(session, account=account, address=address)
    session.commit()
    wait = security.login_wait(session, account=account, address=address, before=attempt)
    if wait:
        security.forget_event(session, attempt)
        session.commit()
        raise UserError("auth.throttled", seconds=wait)


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


# One statement, built once: it runs on every event that needs the user, and building it
# anew cost more CPU than running it.
_SESSION_AND_USER = (
    select(AuthSession, User)
    .join(User, User.id == AuthSession.user_id)
    .where(AuthSession.token_hash == bindparam("token_hash"))
)


def user_for_token(session: Session, token: str) -> User | None:
    """The user a browser token belongs to, if that session is live."""
    if not token:
        return None
    found = session.exec(
        _SESSION_AND_USER, params={"token_hash": security.token_hash(token)}
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= clock.now():
        return None
    return user


def log_out(session: Session, token: str) -> None:
    row = _auth_session(session, token)
    if row and row.revoked_at is None:
        row.revoked_at = clock.now()
        session.add(row)


def _revoke_sessions(session: Session, user_id: int, *, keep_token: str = "") -> None:
    """End every live session of the user but the one holding `keep_token`."""
    query = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep_token:
        query = query.where(AuthSession.token_hash != security.token_hash(keep_token))
    session.execute(query.values(revoked_at=clock.now()))


def change_password(
    session: Session, *, user: User, current: str, new: str, keep_token: str, address: str
) -> None:
    """Set a new password; every other session ends, the one holding `keep_token` goes on.

    A wrong current password counts as a failed login: a stolen session must not become a
    way to guess the password without the login throttle.
    """
    # The new password is judged first: a right current password must never stay
    # counted as a failure because the new one was refused.
    problems = security.password_problems(new, user.email)
    if problems:
        raise UserError(problems[0])
    _start_attempt(session, account=user.email, address=address)
    if not security.verify_password(current, user.password_hash):
        raise UserError("auth.current_password_wrong")
    security.clear_login_failures(session, account=user.email, address=address)
    user.password_hash = security.hash_password(new)
    session.add(user)
    _revoke_sessions(session, user.id, keep_token=keep_token)
    session.add(AuditLog(actor_user_id=user.id, action="user.password_changed"))


def set_locale(session: Session, *, user_id: int, locale: str) -> None:
    if locale not in SUPPORTED_LOCALES:
        raise UserError("common.bad_request")
    user = session.get(User, user_id)
    if user:
        user.locale = locale
        session.add(user)


@dataclass(frozen=True)
class ResetMail:
    """A reset mail to send after the commit; only `body` carries the link."""

    notification_id: int
    recipient: str
    subject: str
    body: str


def start_password_reset(session: Session, *, email: str, address: str) -> ResetMail | None:
    """Record a reset link for the account and the mail that carries it.

    None when there is no such account or it already had RESET_PER_ACCOUNT mails this
    hour: the caller shows the same words either way, so the page reveals nothing. The
    outbox keeps the mail with the link blanked out (a database reader must not be able
    to reset passwords); the real body exists only in the returned value.
    """
    email = normalize_email(email)
    # Counted and committed first, each request seeing only those before it: a burst of
    # requests cannot all pass the limits (security.record_event).
    request = security.record_event(
        session, kind=security.RESET_REQUEST, account=email, address=address
    )
    session.commit()
    wait = security.reset_address_wait(session, address=address, before=request)
    if wait:
        security.forget_event(session, request)
        session.commit()
        raise UserError("auth.throttled", seconds=wait)
    earlier = security.reset_account_requests(session, account=email, before=request)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or earlier >= security.RESET_PER_ACCOUNT:
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
    subject = translate("auth.reset.mail_subject", user.locale)
    link = routes.reset_password_url(settings.public_url, token)
    stored = notifications.email(
        session,
        user_id=user.id,
        recipient=user.email,
        subject=subject,
        body=translate("auth.reset.mail_body", user.locale, link=REDACTED_LINK),
        redacted=True,
    )
    return ResetMail(
        notification_id=stored.id,
        recipient=user.email,
        subject=subject,
        body=translate("auth.reset.mail_body", user.locale, link=link),
    )


def send_reset_mail(session: Session, mail: ResetMail) -> bool:
    """After the commit: send the mail with the real link; the outcome is recorded."""
    row = session.get(Notification, mail.notification_id)
    return row is not None and notifications.send_now(session, row, body=mail.body)


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
    # Any other link mailed before is void: only the newest proof of the mailbox counts.
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    user.password_hash = security.hash_password(new_password)
    session.add(user)
    # A reset means the old password may be known to someone else: end every session.
    _revoke_sessions(session, user.id)
    # The owner proved the mailbox: failures recorded against the account no longer count.
    security.clear_login_failures(session, account=user.email)
    session.add(AuditLog(actor_user_id=user.id, action="user.password_reset"))
    return user
