"""Admin customers: search, one customer's whole picture, manual extension and refunds."""

from __future__ import annotations

import asyncio
from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app import clock
from heyon_app.models import User
from heyon_app.money import Money
from heyon_app.services import admin_customers, forms
from heyon_app.services.errors import UserError
from heyon_app.state.admin.base import AdminState, admin_outcome
from heyon_app.state.admin.overview import customer_url

# After a refund Stripe's webhook changes the order a moment later; the page watches this long.
REFUND_WATCH_SECONDS = 20


def _number(raw: object, error_key: str) -> int:
    number = forms.row_id(raw)
    if number is None:
        raise UserError(error_key)
    return number


def _money(minor: int, currency: str) -> str:
    return Money(minor, currency).format()


def search_view(session: Session, _admin: User, *, query: str) -> list[dict[str, str]]:
    return [
        {
            "id": str(u.id),
            "email": u.email,
            "phone": u.phone,
            "role": u.role,
            "url": customer_url(u.id),
        }
        for u in admin_customers.search(session, query=query)
    ]


def detail_view(session: Session, _admin: User, *, user_id: int) -> dict:
    found = admin_customers.customer_detail(session, user_id=user_id)
    user = found.user
    return {
        "customer": {
            "id": str(user.id),
            "email": user.email,
            "phone": user.phone,
            "phone_verified": clock.local_date(user.phone_verified_at)
            if user.phone_verified_at
            else "",
            "locale": user.locale,
            "role": user.role,
            "created": clock.local_date(user.created_at),
        },
        "lines": [
            {
                "id": str(line.id),
                "number": line.number,
                "status": line.status,
                "valid_until": clock.local_date(line.valid_until),
                "package_zh": package.name_zh if package else "—",
                "package_en": package.name_en if package else "—",
            }
            for line, package in found.lines
        ],
        "orders": [
            {
                "id": str(row.order.id),
                "date": clock.local_date(row.order.created_at),
                "status": row.order.status,
                "package_zh": row.package.name_zh if row.package else "—",
                "package_en": row.package.name_en if row.package else "—",
                "list_price": _money(row.order.list_price_minor, row.order.currency),
                "discount": _money(row.order.discount_minor, row.order.currency),
                "amount": _money(row.order.amount_minor, row.order.currency),
                "method": row.order.payment_method,
                "promotion_zh": row.promotion.name_zh if row.promotion else "",
                "promotion_en": row.promotion.name_en if row.promotion else "",
                "receipt": row.order.receipt_number or "—",
                "refundable": "1"
                if row.order.status in ("fulfilled", "disputed")
                and row.order.amount_minor > 0
                and not row.refund_requested
                else "",
                "refund_pending": "1"
                if row.refund_requested and row.order.status != "refunded"
                else "",
            }
            for row in found.orders
        ],
        "payments": [
            {
                "order": str(p.order_id),
                "amount": _money(p.amount_minor, p.currency),
                "method": p.method,
                "paid": clock.local_date(p.paid_at),
                "ref": p.provider_ref,
            }
            for p in found.payments
        ],
        "tickets": [
            {
                "id": str(t.id),
                "subject": t.subject,
                "status": t.status,
                "created": clock.local_date(t.created_at),
            }
            for t in found.tickets
        ],
        "notifications": [
            {
                "id": str(n.id),
                "channel": n.channel,
                "recipient": n.recipient,
                "subject": n.subject,
                "status": n.status,
                "created": clock.local_date(n.created_at),
                "error": n.last_error,
            }
            for n in found.notifications
        ],
    }


def _extend(session: Session, admin: User, *, form: dict) -> int:
    line = admin_customers.extend_line(
        session,
        actor=admin,
        line_id=_number(forms.field(form, "line"), "admin.customers.line_unknown"),
        days=_number(forms.field(form, "days"), "admin.customers.days_range"),
        reason=forms.field(form, "reason"),
    )
    return line.user_id


def _refund(session: Session, admin: User, *, order_id: str) -> bool:
    return admin_customers.refund_order(
        session, actor=admin, order_id=_number(order_id, "admin.customers.order_unknown")
    )


class CustomersState(AdminState):
    query: str = ""
    results: list[dict[str, str]] = []
    searched: bool = False
    customer: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    orders: list[dict[str, str]] = []
    payments: list[dict[str, str]] = []
    tickets: list[dict[str, str]] = []
    notifications: list[dict[str, str]] = []

    def _show(self, view: dict | None) -> None:
        view = view or {}
        self.customer = view.get("customer", {})
        for name in ("lines", "orders", "payments", "tickets", "notifications"):
            setattr(self, name, view.get(name, []))

    async def _reload(self, user_id: int) -> None:
        """Re-read the customer; keeps the message of the action that led here."""
        error, notice = self.error, self.notice
        view = await self._as_admin(partial(detail_view, user_id=user_id))
        if view is not None:
            self._show(view)
            self.error, self.notice = error, notice

    @rx.event
    async def load(self):
        """on_load: the customer named by `?user=` (a search result's link), if any."""
        raw = str(self.router.url.query_parameters.get("user", "") or "")
        if not raw:
            self._show(None)
            await self._as_admin(lambda _s, _a: True)  # the role check, and old messages cleared
            return

        def named_customer(session: Session, admin: User) -> dict:
            # Parsed after the role check: a customer learns nothing from a made-up link.
            user_id = _number(raw, "admin.customers.unknown")
            return detail_view(session, admin, user_id=user_id)

        self._show(await self._as_admin(named_customer))

    @rx.event
    async def search(self, form: dict):
        query = forms.field(form, "query")
        found = await self._as_admin(partial(search_view, query=query))
        if found is None:
            return
        self.query, self.results, self.searched = query.strip(), found, True

    @rx.event
    async def extend(self, form: dict):
        user_id = await self._as_admin(partial(_extend, form=form), done="admin.customers.extended")
        if user_id is not None:
            await self._reload(user_id)
            return rx.set_value("extend-reason", "")
        return None

    @rx.event(background=True)
    async def refund(self, order_id: str):
        """Asks Stripe for the refund, then watches the order until Stripe's event says it
        is refunded: a background event, so the tab is not locked while Stripe answers."""
        first = await self._as_admin_unlocked(partial(_refund, order_id=order_id))
        async with self:
            if first is None or not self.customer:
                return
            self.notice = self._t(
                "admin.customers.refund_requested" if first else "admin.customers.refund_already"
            )
            token, user_id = self.auth_token, int(self.customer["id"])
        settled = False
        for _ in range(REFUND_WATCH_SECONDS):
            view, _failure = await admin_outcome(token, partial(detail_view, user_id=user_id))
            if view is None:
                return
            async with self:
                self._show(view)
            if settled:
                return
            # The detail reads the lines before the orders, each statement seeing what is
            # committed by then: the view that first shows the order refunded may still show
            # the line's old date. One more read, begun after that commit, shows both.
            settled = not any(o["refund_pending"] for o in view["orders"])
            if not settled:
                await asyncio.sleep(1)
