"""Order history and receipts: the customer's own orders only."""

from __future__ import annotations

from functools import partial

import reflex as rx
from sqlmodel import Session, select

from heyon_app import routes
from heyon_app.clock import local_date
from heyon_app.models import EsimLine, Package, Payment, User
from heyon_app.money import Money
from heyon_app.services import billing, forms, pricing
from heyon_app.services.errors import UserError
from heyon_app.state.base import AppState


def order_rows(session: Session, user: User) -> list[dict[str, str]]:
    rows = []
    for order, package in billing.orders_for(session, user=user):
        rows.append(
            {
                "id": str(order.id),
                "date": local_date(order.created_at),
                "package_zh": package.name_zh,
                "package_en": package.name_en,
                # Keys, not texts: the page translates them, so a language
                # switch relabels the list without reloading it.
                "status": order.status,
                "amount": Money(order.amount_minor, order.currency).format(),
                **pricing.order_lines(session, order=order),
                "method_key": f"checkout.method.{order.payment_method}"
                if order.payment_method
                else "",
                "receipt_number": order.receipt_number or "—",
                "valid_until": local_date(order.valid_until) if order.valid_until else "",
                "receipt_url": f"{routes.RECEIPT}?order={order.id}" if order.receipt_number else "",
            }
        )
    return rows


def receipt_view(session: Session, user: User, *, raw_order: str) -> tuple[dict[str, str], str]:
    """The receipt's fields, or an error message key (someone else's or an unpaid order)."""
    try:
        order = billing.order_for(session, user=user, order_id=forms.row_id(raw_order) or 0)
    except UserError as exc:
        return {}, exc.key
    if not order.receipt_number:
        return {}, "receipt.not_paid"
    package = session.get(Package, order.package_id)
    line = session.get(EsimLine, order.line_id) if order.line_id else None
    payment = session.exec(select(Payment).where(Payment.order_id == order.id)).first()
    return {
        "number": order.receipt_number,
        "order": str(order.id),
        "email": user.email,
        "line": line.number if line else "—",
        "package_zh": package.name_zh if package else "",
        "package_en": package.name_en if package else "",
        **pricing.order_lines(session, order=order),
        "method_key": f"checkout.method.{order.payment_method}",
        "paid_at": local_date(payment.paid_at) if payment else "—",
        "valid_until": local_date(order.valid_until),
    }, ""


class OrdersState(AppState):
    orders: list[dict[str, str]] = []
    receipt: dict[str, str] = {}
    receipt_error: str = ""  # a message key

    @rx.event
    async def load_orders(self):
        user, rows = await self._as_user(order_rows)
        if user is None:
            return rx.redirect(routes.LOGIN)
        self.orders = rows
        return None

    @rx.event
    async def load_receipt(self):
        self.receipt, self.receipt_error = {}, ""
        raw = str(self.router.url.query_parameters.get("order", ""))
        user, found = await self._as_user(partial(receipt_view, raw_order=raw))
        if user is None:
            return rx.redirect(routes.LOGIN)
        self.receipt, self.receipt_error = found
        return None

    @rx.event
    def print_receipt(self):
        return rx.call_script("window.print()")
