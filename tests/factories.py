"""Customers and lines for tests, unique on a shared database (uuid-based numbers)."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime

from sqlmodel import Session, select

from heyon_app.models import EsimLine, Order, Package, User


@functools.cache
def password_hash(password: str) -> str:
    """An argon2 hash of `password`, made once per run: each costs about 0.2 s of CPU, and a
    test's customers only need one their password verifies against (the login still checks
    it in full)."""
    from heyon_app import security

    return security.hash_password(password)


def package(session: Session, code: str) -> Package:
    return session.exec(select(Package).where(Package.code == code)).one()


def customer(session: Session, *, password_hash: str = "x", locale: str = "zh-CN") -> User:
    tag = uuid.uuid4().int
    user = User(
        email=f"c-{tag % 10**12:012d}@example.com",
        phone=f"+86139{tag % 10**8:08d}",
        password_hash=password_hash,
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def line(
    session: Session,
    *,
    user: User | None = None,
    code: str = "DATA_M",
    valid_until: datetime | None = None,
    status: str = "active",
) -> EsimLine:
    tag = uuid.uuid4().int
    row = EsimLine(
        user_id=(user or customer(session)).id,
        number=f"+86171{tag % 10**8:08d}",
        iccid=f"8986{tag % 10**15:015d}",
        status=status,
        activation_code=f"LPA:1$smdp.heyon.local$TEST-{tag % 10**6}",
        package_id=package(session, code).id,
        valid_until=valid_until,
    )
    session.add(row)
    session.flush()
    return row


def order(
    session: Session,
    *,
    line: EsimLine,
    code: str = "DATA_M",
    status: str = "processing",
    with_intent: bool = True,
    created_at: datetime | None = None,
) -> Order:
    """An order at the package's list price, card, with a made-up intent id by default."""
    pkg = package(session, code)
    row = Order(
        user_id=line.user_id,
        line_id=line.id,
        package_id=pkg.id,
        status=status,
        list_price_minor=pkg.price_minor,
        amount_minor=pkg.price_minor,
        currency=pkg.currency,
        payment_method="card",
        idempotency_key=f"key-{uuid.uuid4().hex}",
        payment_intent_id=f"pi_{uuid.uuid4().hex[:16]}" if with_intent else None,
    )
    if created_at is not None:
        row.created_at = created_at
    session.add(row)
    session.flush()
    return row


def logged_in(role: str = "customer") -> str:
    """The session token of a new user with `role` (in its own committed session)."""
    from heyon_app import db
    from heyon_app.services import accounts

    with db.session_scope() as session:
        user = customer(session, password_hash=password_hash("x" * 12))
        user.role = role
        session.add(user)
        session.flush()
        return accounts.open_session(session, user)
