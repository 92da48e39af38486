"""Password hashing and policy, opaque tokens, and login throttling."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from passlib.context import CryptContext
from sqlalchemy import delete, func
from sqlmodel import Session, select

from heyon_app import clock
from heyon_app.db import take_turns
from heyon_app.models import ThrottleEvent

_pwd = CryptContext(schemes=["argon2"], deprecated="auto")

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # argon2 copes, but an unbounded input is a cheap DoS.


def hash_password(password: str) -> str:
    return _pwd.hash(password)


@cache
def _dummy_hash() -> str:
    return _pwd.hash(secrets.token_urlsafe(16))


def verify_nobody(password: str) -> bool:
    """Spend the time of a real check when there is no account, so timing reveals none."""
    verify_password(password, _dummy_hash())
    return False


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
    # A browser's storage can hold a lone surrogate; such a token matches no session, and
    # must not fail the event that carries it.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def client_address(*, peer: str, forwarded_for: str, trusted_hops: int) -> str:
    """The client's address: the socket peer, or the one our own proxies vouch for.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so with N trusted hops the N-th entry from the right is the one the
    first of our proxies saw; entries further left were written by the client and can be
    forged. When the header is shorter than that the request did not come through every
    proxy, and the peer is the only address we can vouch for.
    """
    if trusted_hops <= 0:
        return peer
    hops = [part.strip() for part in forwarded_for.split(",") if part.strip()]
    if len(hops) < trusted_hops:
        return peer
    return hops[-trusted_hops]


# Login throttle and reset-mail limits: the policy is in login_wait's docstring.
LOGIN_FAILURE = "login_failure"
RESET_REQUEST = "reset_request"
LOGIN_WINDOW = timedelta(minutes=15)
PAIR_FREE_FAILURES = 5
PAIR_BASE_DELAY = timedelta(seconds=30)
NOISY_ADDRESS_FAILURES = 100
RESET_WINDOW = timedelta(hours=1)
RESET_PER_ACCOUNT = 3
RESET_PER_ADDRESS = 30
_KEEP = max(LOGIN_WINDOW, RESET_WINDOW)


def _seconds(delta: timedelta) -> int:
    return max(0, math.ceil(delta.total_seconds()))


def _in_window(kind: str, since: datetime, before: int | None):
    """Conditions for the events of a kind in a window, those recorded before `before` only."""
    conditions = [ThrottleEvent.kind == kind, ThrottleEvent.at > since]
    if before is not None:
        conditions.append(ThrottleEvent.id < before)
    return conditions


def login_wait(
    session: Session,
    *,
    account: str,
    address: str,
    before: int | None = None,
    now: datetime | None = None,
) -> int:
    """Seconds this address must wait before checking a password for this account (0 = now).

    The login throttle (OWASP "Blocking Brute Force Attacks"). Failures are counted in a
    sliding window, per (account, address) and per address:
    - From one address, 5 failures for one account in 15 minutes are free; then that
      pair waits, 30 s after the 5th failure, doubling with each further one, at most
      the window. Failures leave the count as they age out of the window, so a pair
      that stops guessing is free again after at most 15 minutes.
    - An address with 100 or more failures in the window (over every account) is noisy:
      each pair of that address that has failed waits until its last failure is out of
      the window, i.e. one guess per account per 15 minutes.
    - Nothing else refuses an attempt: failures from other addresses never lock an
      account out, and a noisy address (carrier-grade NAT puts thousands of customers
      on one) never refuses a customer who has not failed for their own account from
      it. While a pair waits even the right password is refused: otherwise the wait
      would not slow guessing down at all.
    - A successful login clears the pair's failures; a completed password reset clears
      every failure recorded for the account. A wrong current password on the account
      page counts as a failed login.
    - Each attempt is recorded as a failure before its password is checked and passes
      `before` = its own id, so it counts only the failures recorded before it:
      simultaneous guesses cannot all slip through (accounts._start_attempt).
    """
    now = now or clock.now()
    window = _in_window(LOGIN_FAILURE, now - LOGIN_WINDOW, before)
    from_address = ThrottleEvent.address == address[:64]
    pair = sorted(
        session.exec(
            select(ThrottleEvent.at).where(*window, from_address, ThrottleEvent.account == account)
        ).all()
    )
    if not pair:
        return 0
    failures_from_address = session.exec(
        select(func.count()).select_from(ThrottleEvent).where(*window, from_address)
    ).one()
    if failures_from_address >= NOISY_ADDRESS_FAILURES:
        return _seconds(pair[-1] + LOGIN_WINDOW - now)
    over = len(pair) - PAIR_FREE_FAILURES
    if over < 0:
        return 0
    delay = min(PAIR_BASE_DELAY * (2**over), LOGIN_WINDOW)
    return _seconds(pair[-1] + delay - now)


def record_event(
    session: Session, *, kind: str, account: str, address: str, now: datetime | None = None
) -> int:
    """Count one attempt, and forget those too old to count for any window; returns its id.

    Attempts of a kind for one account, or from one address, take turns from here until
    the caller's commit: their ids then follow commit order, so a count of the attempts
    `before` one's own id sees every earlier one (PostgreSQL hands ids out before the
    commit), and a burst cannot slip past a limit.
    """
    take_turns(session, f"{kind}:account:{account}", f"{kind}:address:{address[:64]}")
    now = now or clock.now()
    session.execute(delete(ThrottleEvent).where(ThrottleEvent.at < now - _KEEP))
    event = ThrottleEvent(kind=kind, account=account, address=address[:64], at=now)
    session.add(event)
    session.flush()
    return event.id


def record_login_failure(
    session: Session, *, account: str, address: str, now: datetime | None = None
) -> int:
    return record_event(session, kind=LOGIN_FAILURE, account=account, address=address, now=now)


def forget_event(session: Session, event_id: int) -> None:
    session.execute(delete(ThrottleEvent).where(ThrottleEvent.id == event_id))
    session.flush()


def clear_login_failures(session: Session, *, account: str, address: str | None = None) -> None:
    """Forget the account's failures from one address, or from every address (None)."""
    query = delete(ThrottleEvent).where(
        ThrottleEvent.kind == LOGIN_FAILURE, ThrottleEvent.account == account
    )
    if address is not None:
        query = query.where(ThrottleEvent.address == address[:64])
    session.execute(query)
    session.flush()


def reset_address_wait(
    session: Session, *, address: str, before: int | None = None, now: datetime | None = None
) -> int:
    """Seconds until this address may ask for another reset mail (0 = now)."""
    now = now or clock.now()
    asked = sorted(
        session.exec(
            select(ThrottleEvent.at).where(
                *_in_window(RESET_REQUEST, now - RESET_WINDOW, before),
                ThrottleEvent.address == address[:64],
            )
        ).all()
    )
    if len(asked) < RESET_PER_ADDRESS:
        return 0
    return _seconds(asked[-RESET_PER_ADDRESS] + RESET_WINDOW - now)


def reset_account_requests(
    session: Session, *, account: str, before: int | None = None, now: datetime | None = None
) -> int:
    """Reset mails asked for this account in the last hour, from any address."""
    window = _in_window(RESET_REQUEST, (now or clock.now()) - RESET_WINDOW, before)
    return session.exec(
        select(func.count())
        .select_from(ThrottleEvent)
        .where(*window, ThrottleEvent.account == account)
    ).one()
