"""Small builders for service tests on the fresh `session` database."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from heyon_app import seed
from heyon_app.models import EsimLine, Order, Package, UsageRecord, User

_counter = iter(range(1, 10_000))


def catalogue(session: Session) -> None:
    seed.seed_catalogue(session)


def package(session: Session, code: str) -> Package:
    return session.exec(select(Package).where(Package.code == code)).one()


def customer(session: Session) -> User:
    n = next(_counter)
    user = User(email=f"c{n}@example.com", phone="13800138000", password_hash="x")
    session.add(user)
    session.flush()
    return user


def line(
    session: Session,
    *,
    code: str = "DATA_M",
    valid_until: datetime | None = None,
    status: str = "active",
    user: User | None = None,
) -> EsimLine:
    n = next(_counter)
    user = user or customer(session)
    row = EsimLine(
        user_id=user.id,
        number=f"+861700000{n:04d}",
        iccid=f"89860017{n:011d}",
        status=status,
        activation_code=f"LPA:1$smdp.heyon.local$TEST-{n}",
        package_id=package(session, code).id,
        valid_until=valid_until,
    )
    session.add(row)
    session.flush()
    return row


def usage(
    session: Session, line_id: int, today: date, *, days: int, data_mb: int, roaming_mb: int = 0
) -> None:
    for back in range(1, days + 1):
        session.add(
            UsageRecord(
                line_id=line_id,
                day=today - timedelta(days=back),
                data_mb=data_mb,
                minutes=2,
                roaming_mb=roaming_mb,
            )
        )
    session.flush()


def paid_order(session: Session, line: EsimLine, code: str, at: datetime) -> Order:
    pkg = package(session, code)
    n = next(_counter)
    order = Order(
        user_id=line.user_id,
        line_id=line.id,
        package_id=pkg.id,
        status="fulfilled",
        list_price_minor=pkg.price_minor,
        amount_minor=pkg.price_minor,
        currency=pkg.currency,
        idempotency_key=f"key-{n}",
        created_at=at,
    )
    session.add(order)
    session.flush()
    return order
