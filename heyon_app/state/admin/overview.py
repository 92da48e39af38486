"""Admin overview: the figures of the last 30 days and the lists that need a person."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from heyon_app import clock, routes
from heyon_app.models import User
from heyon_app.money import Money
from heyon_app.services import admin_overview
from heyon_app.state.admin.base import AdminState

CURRENCY = "CNY"


def customer_url(user_id: int | None) -> str:
    return f"{routes.ADMIN_CUSTOMERS}?user={user_id}" if user_id else ""


def overview_view(session: Session, _admin: User) -> dict:
    days = admin_overview.daily_figures(session, currency=CURRENCY)
    today = clock.local_today()
    expiring = admin_overview.expiring_lines(session)
    failed = admin_overview.failed_payments(session)
    undelivered = admin_overview.failed_notifications(session)
    return {
        "chart": [
            {
                "day": f"{d.day:%m-%d}",
                "renewals": d.renewals,
                # Chart heights only; every amount shown as text comes from Money.
                "revenue": d.revenue_minor / 100,
                "failed_payments": d.failed_payments,
                "failed_notifications": d.failed_notifications,
            }
            for d in days
        ],
        "totals": {
            "renewals": str(sum(d.renewals for d in days)),
            "revenue": Money(sum(d.revenue_minor for d in days), CURRENCY).format(),
            "expiring": str(admin_overview.expiring_count(session)),
            "failed_payments": str(sum(d.failed_payments for d in days)),
            "failed_notifications": str(sum(d.failed_notifications for d in days)),
        },
        "expiring": [
            {
                "number": x.number,
                "email": x.email,
                "valid_until": clock.local_date(x.valid_until),
                "days_left": str((clock.local_day(x.valid_until) - today).days),
                "url": customer_url(x.user_id),
            }
            for x in expiring
        ],
        "failed_payments": [
            {
                "order": str(f.order_id),
                "email": f.email,
                "amount": Money(f.amount_minor, f.currency).format(),
                "reason": f.reason,
                "at": clock.local_date(f.at),
                "status": f.status_now,
                "url": customer_url(f.user_id),
            }
            for f in failed
        ],
        "failed_notifications": [
            {
                "id": str(n.id),
                "channel": n.channel,
                "recipient": n.recipient,
                "subject": n.subject,
                "error": n.last_error,
                "at": clock.local_date(n.created_at),
                "url": customer_url(n.user_id),
            }
            for n in undelivered
        ],
    }


class OverviewState(AdminState):
    chart: list[dict[str, int | float | str]] = []
    totals: dict[str, str] = {}
    expiring: list[dict[str, str]] = []
    failed_payments: list[dict[str, str]] = []
    failed_notifications: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        view = await self._as_admin(overview_view)
        if view is None:
            return
        self.chart, self.totals = view["chart"], view["totals"]
        self.expiring, self.failed_payments = view["expiring"], view["failed_payments"]
        self.failed_notifications = view["failed_notifications"]
        self.loaded = True
