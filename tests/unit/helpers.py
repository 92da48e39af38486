"""Small builders for service tests on the fresh `session` database."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlmodel import Session

from heyon_app import seed
from heyon_app.models import EsimLine, Order, UsageRecord
from tests.factories import customer, line, package  # noqa: F401 - builders shared by unit tests


def catalogue(session: Session) -> None:
    seed.seed_catalogue(session)


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


def paid_order(session: Session, on: EsimLine, code: str, at: datetime) -> Order:
    pkg = package(session, code)
    order = Order(
        user_id=on.user_id,
        line_id=on.id,
        package_id=pkg.id,
        status="fulfilled",
        list_price_minor=pkg.price_minor,
        amount_minor=pkg.price_minor,
        currency=pkg.currency,
        idempotency_key=f"key-{uuid.uuid4().hex}",
        created_at=at,
    )
    session.add(order)
    session.flush()
    return order
