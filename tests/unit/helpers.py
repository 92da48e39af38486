"""Small builders for service tests on the fresh `session` database."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from heyon_app import seed
from heyon_app.models import EsimLine, Order, UsageRecord
from tests.factories import customer, line, order, package  # noqa: F401 - builders shared by unit tests


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
    return order(session, line=on, code=code, status="fulfilled", with_intent=False, created_at=at)
