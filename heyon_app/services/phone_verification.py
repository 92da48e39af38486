"""Proving a customer holds a mobile number with an SMS code (the free month needs it).

A code is 6 digits, valid 10 minutes, 5 tries; a new one at most every 60 seconds and 5 an
hour per customer. Only a hash of the code is stored; the SMS itself is recorded with the
code blanked out and sent after the commit (see `send_code`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from heyon_app import clock
from heyon_app.i18n import translate
from heyon_app.models import Notification, PhoneVerification, User
from heyon_app.services import notifications, pricing
from heyon_app.services.errors import UserError

CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)
CODES_PER_HOUR = 5
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")


@dataclass(frozen=True)
class CodeSent:
    """A code recorded and committed by the caller; `sms_id` is sent with `send_code`."""

    phone: str
    sms_id: int
    code: str  # in memory only, for the SMS sent after commit


def _hash(phone: str, code: str) -> str:
    return hashlib.sha256(f"heyon-phone-code:{phone}:{code}".encode()).hexdigest()


def valid_phone(raw: str) -> str:
    """The number as stored ('+' and digits), or a UserError saying it is not one."""
    cleaned = re.sub(r"[\s\-()]", "", raw or "")
    if not _PHONE.match(cleaned):
        raise UserError("promo.phone.invalid")
    return pricing.normalize_phone(cleaned)


def request_code(session: Session, *, user: User, phone: str) -> CodeSent:
    """A new code for `phone`; the earlier ones stop working. Throttled per customer."""
    number = valid_phone(phone)
    now = clock.now()
    # Lock the customer's row so two clicks cannot both pass the throttle.
    session.execute(update(User).where(col(User.id) == user.id).values(locale=User.locale))
    last = session.exec(
        select(PhoneVerification)
        .where(PhoneVerification.user_id == user.id)
        .order_by(col(PhoneVerification.id).desc())
    ).first()
    if last is not None and now < last.created_at + RESEND_AFTER:
        wait = int((last.created_at + RESEND_AFTER - now).total_seconds()) + 1
        raise UserError("promo.phone.too_soon", seconds=wait)
    recent = session.exec(
        select(func.count())
        .select_from(PhoneVerification)
        .where(
            PhoneVerification.user_id == user.id,
            col(PhoneVerification.created_at) > now - timedelta(hours=1),
        )
    ).one()
    if recent >= CODES_PER_HOUR:
        raise UserError("promo.phone.too_many_codes")
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    session.add(
        PhoneVerification(
            user_id=user.id,
            phone=number,
            code_hash=_hash(number, code),
            expires_at=now + CODE_LIFETIME,
        )
    )
    # The outbox keeps the message without the code: only its hash is stored anywhere.
    row = notifications.sms(
        session,
        user_id=user.id,
        recipient=number,
        body=translate("promo.phone.sms", user.locale, code="[code]"),
        redacted=True,
    )
    session.flush()
    return CodeSent(phone=number, sms_id=row.id or 0, code=code)


def send_code(session: Session, *, sent: CodeSent, locale: str) -> bool:
    """After commit: deliver the SMS with the real code; a failure stays recorded."""
    row = session.get(Notification, sent.sms_id)
    if row is None or row.status != "queued":
        return False
    ok = notifications.send_now(
        session, row, body=translate("promo.phone.sms", locale, code=sent.code)
    )
    session.commit()
    return ok


def verify(session: Session, *, user: User, code: str) -> str:
    """Check `code` against the customer's newest code; on success the account's phone is
    that number, verified. Each wrong try is committed before the error is raised, so the
    five tries hold even though the caller rolls back on the error."""
    typed = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"[0-9]{6}", typed):
        raise UserError("promo.phone.bad_format")
    row = session.exec(
        select(PhoneVerification)
        .where(PhoneVerification.user_id == user.id)
        .order_by(col(PhoneVerification.id).desc())
        .with_for_update()
    ).first()
    if row is None or row.verified_at is not None:
        raise UserError("promo.phone.no_code")
    if clock.now() >= row.expires_at:
        raise UserError("promo.phone.expired")
    # Count the try first (conditional, so racing tries cannot exceed the limit).
    counted = session.execute(
        update(PhoneVerification)
        .where(col(PhoneVerification.id) == row.id, col(PhoneVerification.attempts) < MAX_TRIES)
        .values(attempts=PhoneVerification.attempts + 1)
    )
    session.commit()
    if counted.rowcount != 1:
        raise UserError("promo.phone.too_many")
    session.refresh(row)
    if not hmac.compare_digest(row.code_hash, _hash(row.phone, typed)):
        left = MAX_TRIES - row.attempts
        if left <= 0:
            raise UserError("promo.phone.too_many")
        raise UserError("promo.phone.wrong", left=left)
    now = clock.now()
    row.verified_at = now
    session.add(row)
    fresh = session.get(User, user.id)
    assert fresh is not None
    fresh.phone, fresh.phone_verified_at = row.phone, now
    session.add(fresh)
    session.flush()
    return row.phone
