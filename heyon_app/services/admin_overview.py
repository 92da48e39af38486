"""What an admin looks at first: sales per day, lines about to lapse, what went wrong.

Days are the customers' calendar days (settings.display_timezone), so "today" on the
overview is the same day the customers see on their pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from heyon_app import clock
from heyon_app.models import EsimLine, Notification, Order, OrderTransition, Payment, User
from heyon_app.settings import settings

DAYS = 30
EXPIRING_WITHIN = timedelta(days=7)
FAILED_PAYMENTS_WITHIN = timedelta(days=7)
LIST_LIMIT = 50


@dataclass(frozen=True)
class SalesDay:
    day: date
    renewals: int  # payments received that day
    revenue_minor: int  # of those, the money kept (payments later refunded in full excluded)
    failed_payments: int  # orders whose payment attempt failed that day
    failed_notifications: int  # mails and SMS created that day that could not be sent


@dataclass(frozen=True)
class ExpiringLine:
    line_id: int
    number: str
    user_id: int
    email: str
    valid_until: datetime


@dataclass(frozen=True)
class FailedPayment:
    order_id: int
    user_id: int
    email: str
    amount_minor: int
    currency: str
    reason: str
    at: datetime
    status_now: str  # the order may have been paid since


def _start_of(day: date) -> datetime:
    """Midnight of a customers' calendar day, as an aware moment."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.display_timezone))


def daily_figures(session: Session, *, currency: str = "CNY", days: int = DAYS) -> list[SalesDay]:
    """One row per calendar day, oldest first, ending today; days without sales included."""
    today = clock.local_today()
    first = today - timedelta(days=days - 1)
    since = _start_of(first)
    index = {first + timedelta(days=i): i for i in range(days)}
    renewals, revenue = [0] * days, [0] * days
    failed_pay, failed_note = [0] * days, [0] * days
    for payment, status in session.exec(
        select(Payment, Order.status)
        .join(Order, col(Order.id) == Payment.order_id)
        .where(Payment.paid_at >= since, Payment.currency == currency)
    ):
        i = index.get(clock.local_day(payment.paid_at))
        if i is None:
            continue
        renewals[i] += 1
        if status != "refunded":
            revenue[i] += payment.amount_minor
    for at in session.exec(
        select(OrderTransition.at).where(
            OrderTransition.to_status == "failed", OrderTransition.at >= since
        )
    ):
        i = index.get(clock.local_day(at))
        if i is not None:
            failed_pay[i] += 1
    for at in session.exec(
        select(Notification.created_at).where(
            Notification.status == "failed", Notification.created_at >= since
        )
    ):
        i = index.get(clock.local_day(at))
        if i is not None:
            failed_note[i] += 1
    return [
        SalesDay(day, renewals[i], revenue[i], failed_pay[i], failed_note[i])
        for day, i in index.items()
    ]


def expiring_lines(session: Session, *, within: timedelta = EXPIRING_WITHIN) -> list[ExpiringLine]:
    """Lines still valid now whose validity ends within `within`, soonest first."""
    now = clock.now()
    rows = session.exec(
        select(EsimLine, User)
        .join(User, col(User.id) == EsimLine.user_id)
        .where(EsimLine.valid_until > now, EsimLine.valid_until <= now + within)
        .order_by(col(EsimLine.valid_until), col(EsimLine.id))
        .limit(LIST_LIMIT)
    )
    return [
        ExpiringLine(line.id, line.number, user.id, user.email, line.valid_until)
        for line, user in rows
    ]


def expiring_count(session: Session, *, within: timedelta = EXPIRING_WITHIN) -> int:
    """How many lines `expiring_lines` would list without its length limit."""
    now = clock.now()
    return session.exec(
        select(func.count(col(EsimLine.id))).where(
            EsimLine.valid_until > now, EsimLine.valid_until <= now + within
        )
    ).one()


def failed_payments(
    session: Session, *, within: timedelta = FAILED_PAYMENTS_WITHIN
) -> list[FailedPayment]:
    """Payment attempts that failed recently, newest first, with what became of the order."""
    rows = session.exec(
        select(OrderTransition, Order, User)
        .join(Order, col(Order.id) == OrderTransition.order_id)
        .join(User, col(User.id) == Order.user_id)
        .where(OrderTransition.to_status == "failed", OrderTransition.at >= clock.now() - within)
        .order_by(col(OrderTransition.at).desc(), col(OrderTransition.id).desc())
        .limit(LIST_LIMIT)
    )
    return [
        FailedPayment(
            order.id,
            user.id,
            user.email,
            order.amount_minor,
            order.currency,
            step.reason,
            step.at,
            order.status,
        )
        for step, order, user in rows
    ]


def failed_notifications(session: Session) -> list[Notification]:
    """Mails and SMS that could not be delivered, newest first."""
    return list(
        session.exec(
            select(Notification)
            .where(Notification.status == "failed")
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(LIST_LIMIT)
        )
    )
