"""Order history and receipts: the customer's own orders only."""

from __future__ import annotations

import reflex as rx
from sqlmodel import select

from heyon_app import routes
from heyon_app.clock import local_date
from heyon_app.db import session_scope
from heyon_app.models import EsimLine, Package, Payment
from heyon_app.money import Money
from heyon_app.services import billing, pricing
from heyon_app.services.errors import UserError
from heyon_app.state.base import AppState


class OrdersState(AppState):
    orders: list[dict[str, str]] = []
    receipt: dict[str, str] = {}
    receipt_error: str = ""

    @rx.event
    def load_orders(self):
        with session_scope() as session:
            user = self._current_user(session)
            if user is None:
                return None
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
                        "receipt_url": f"{routes.RECEIPT}?order={order.id}"
                        if order.receipt_number
                        else "",
                    }
                )
            self.orders = rows
        return None

    @rx.event
    def load_receipt(self):
        self.receipt, self.receipt_error = {}, ""  # error: a message key
        raw = str(self.router.url.query_parameters.get("order", ""))
        with session_scope() as session:
            user = self._current_user(session)
            if user is None:
                return None
            try:
                order = billing.order_for(
                    session, user=user, order_id=int(raw) if raw.isdigit() else 0
                )
            except UserError as exc:
                self.receipt_error = exc.key
                return None
            if not order.receipt_number:
                self.receipt_error = "receipt.not_paid"
                return None
            package = session.get(Package, order.package_id)
            line = session.get(EsimLine, order.line_id) if order.line_id else None
            payment = session.exec(select(Payment).where(Payment.order_id == order.id)).first()
            self.receipt = {
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
            }
        return None

    @rx.event
    def print_receipt(self):
        return rx.call_script("window.print()")
