"""Customers and lines for tests, unique on a shared database (uuid-based numbers)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, select

from heyon_app.models import EsimLine, Package, User


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
