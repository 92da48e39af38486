"""Renew / buy flow and the result page: read the choice, call services.billing, drive Stripe.js.

The browser only ever names a package and a method; amounts come from the server, and
"paid" is shown only once the server has heard it from Stripe.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from heyon_app import clock, routes
from heyon_app.clock import local_date
from heyon_app.db import session_scope
from heyon_app.models import EsimLine, Order, Package, User
from heyon_app.services import (
    accounts,
    billing,
    catalog,
    dashboard,
    fulfilment,
    recommendations,
    stripe_gateway,
)
from heyon_app.services.errors import UserError
from heyon_app.settings import settings
from heyon_app.state.base import AppState

# Stripe.js error codes -> our message keys; anything else shows Stripe's own words.
_ERROR_KEYS = {
    "card_declined": "checkout.error.card_declined",
    "expired_card": "checkout.error.card_declined",
    "incorrect_cvc": "checkout.error.card_declined",
    "insufficient_funds": "checkout.error.card_declined",
    "processing_error": "checkout.error.card_declined",
    "payment_intent_authentication_failure": "checkout.error.authentication",
    "incomplete_number": "checkout.error.card_incomplete",
    "invalid_number": "checkout.error.card_incomplete",
    "incomplete_expiry": "checkout.error.card_incomplete",
    "incomplete_cvc": "checkout.error.card_incomplete",
}
POLL_SECONDS = 1.0
RESULT_POLL_LIMIT = 120  # the result page asks for two minutes, then says "processing"
WECHAT_POLL_LIMIT = 900  # a QR code stays payable for a quarter of an hour


def recommended_package(session: Session, *, line: EsimLine | None) -> str | None:
    """The dashboard's recommendation for this line, pre-selected when renewing."""
    if line is None:
        return None
    found = recommendations.recommend(session, line=line, today=clock.local_today())
    return found.package_code if found else None


def settle_order(session: Session, *, token: str, order_id: int) -> Order | None:
    """The customer's order after asking Stripe how its payment stands (never the browser's
    word); None when the order is not this customer's."""
    user = accounts.user_for_token(session, token)
    order = session.get(Order, order_id) if order_id else None
    if user is None or order is None or order.user_id != user.id:
        return None
    try:
        outcome = fulfilment.sync_order(session, order=order, source="result page")
    except stripe_gateway.GatewayError:
        return order
    session.commit()
    if outcome.notifications:
        fulfilment.send_queued(session, outcome.notifications)
    return order


def _settled_status(token: str, order_id: int) -> str:
    with session_scope() as session:
        order = settle_order(session, token=token, order_id=order_id)
        return order.status if order else ""


@dataclass(frozen=True)
class ResultView:
    status: str  # waiting | paid | failed | canceled | missing
    message_key: str
    until: str = ""
    new_line_id: int = 0  # a first eSIM, not yet installed: the page links to its activation
    retry_url: str = routes.RENEW


def result_view(token: str, order_id: int) -> ResultView:
    """What the result page says about an order, once Stripe has been asked."""
    with session_scope() as session:
        order = settle_order(session, token=token, order_id=order_id)
        if order is None:
            return ResultView("missing", "checkout.error.no_order")
        package = session.get(Package, order.package_id)
        retry = routes.renew_url(order.line_id, package.code if package else None)
        if order.status == "fulfilled":
            line = session.get(EsimLine, order.line_id)
            new_line = line.id if line is not None and line.status == "not_installed" else 0
            key = "result.paid_new" if new_line else "result.paid"
            until = local_date(line.valid_until if line else None)
            return ResultView("paid", key, until, new_line, retry)
        if order.status == "failed":
            return ResultView("failed", "result.failed", retry_url=retry)
        if order.status in ("canceled", "expired"):
            return ResultView("canceled", "result.canceled", retry_url=retry)
        return ResultView("waiting", "result.processing", retry_url=retry)


class CheckoutState(AppState):
    packages: list[dict[str, str]] = []
    selected: str = ""
    line_id: int = 0
    line_number: str = ""
    review: dict[str, str] = {"total": "", "period_key": "checkout.period.month"}
    method: str = "card"
    error: str = ""
    busy: bool = False
    order_id: int = 0
    qr_image: str = ""
    qr_link: str = ""
    test_mode: bool = True

    def _load_review(self, session: Session, user: User) -> None:
        q = billing.quote(
            session, user=user, line_id=self.line_id or None, package_code=self.selected
        )
        self.review = {
            "package_zh": q.package.name_zh,
            "package_en": q.package.name_en,
            "period_key": f"checkout.period.{q.package.period}",
            "current_expiry": local_date(q.current_expiry),
            "new_expiry": local_date(q.new_expiry),
            "price": q.list_price.format(),
            "discount": ("-" + q.discount.format()) if q.discount.minor else "",
            "promotion_zh": q.promotion.name_zh if q.promotion else "",
            "promotion_en": q.promotion.name_en if q.promotion else "",
            "total": q.total.format(),
        }

    def _stripe_init_script(self) -> str:
        args = json.dumps([settings.stripe_js_url, settings.stripe_publishable_key, self.locale])
        return (
            "(function(){var a=" + args + ";"
            "if(window.heyonPay){return window.heyonPay.init.apply(null,a);}"
            "return new Promise(function(ok,no){var s=document.createElement('script');"
            "s.src='/heyon-pay.js';s.onload=function(){ok(window.heyonPay.init.apply(null,a));};"
            "s.onerror=no;document.head.appendChild(s);});})()"
        )

    @rx.event
    def load_renew(self):
        self.error, self.qr_image, self.qr_link, self.busy, self.order_id = "", "", "", False, 0
        self.test_mode = settings.stripe_test_payments
        query = self.router.url.query_parameters
        with session_scope() as session:
            user = self._current_user(session)
            if user is None:
                return None
            lines = dashboard.user_lines(session, user_id=user.id)
            raw = str(query.get("line", ""))
            wanted = int(raw) if raw.isdigit() else 0
            line = next((ln for ln in lines if ln.id == wanted), lines[0] if lines else None)
            self.line_id = line.id if line else 0
            self.line_number = line.number if line else ""
            packages = catalog.active_packages(session)
            codes = {p.code for p in packages}
            current = session.get(Package, line.package_id) if line and line.package_id else None
            recommended = recommended_package(session, line=line) or ""
            choice = query.get("package") or recommended or (current.code if current else "")
            self.selected = choice if choice in codes else packages[0].code
            self.packages = [
                {
                    "code": p.code,
                    "name_zh": p.name_zh,
                    "name_en": p.name_en,
                    "period_key": f"checkout.period.{p.period}",
                    "price": catalog.price(p).format(),
                    "recommended": "1" if p.code == recommended else "",
                }
                for p in packages
            ]
            self.method = billing.last_method(session, user=user)
            self._load_review(session, user)
        # Mount the card form only once Stripe.js has loaded.
        return rx.call_script(self._stripe_init_script(), callback=CheckoutState.stripe_ready)

    @rx.event
    def stripe_ready(self, _loaded: bool):
        return CheckoutState.mount_card

    @rx.event
    def mount_card(self):
        if self.method == "card":
            return rx.call_script("window.heyonPay && window.heyonPay.mountCard()")
        return None

    @rx.event
    def choose_package(self, code: str):
        self.selected, self.error = code, ""
        with session_scope() as session:
            user = self._current_user(session)
            if user is None:
                return rx.redirect(routes.LOGIN)
            try:
                self._load_review(session, user)
            except UserError as exc:
                self.error = self._t(exc.key, **exc.params)
        return None

    @rx.event
    def choose_method(self, method: str):
        if method in billing.METHODS:
            self.method, self.error, self.qr_image, self.qr_link = method, "", "", ""
        return CheckoutState.mount_card

    @rx.event
    def pay(self):
        if self.busy:
            return None
        self.error, self.qr_image, self.qr_link = "", "", ""
        try:
            with session_scope() as session:
                user = self._current_user(session)
                if user is None:
                    return rx.redirect(routes.LOGIN)
                order = billing.create_order(
                    session,
                    user=user,
                    line_id=self.line_id or None,
                    package_code=self.selected,
                    method=self.method,
                )
                session.commit()
                start = billing.start_payment(
                    session, user=user, order_id=order.id, method=self.method
                )
        except UserError as exc:
            self.error = self._t(exc.key, **exc.params)
            return None
        except stripe_gateway.GatewayError:
            self.error = self._t("checkout.error.gateway")
            return None
        self.order_id, self.busy = start.order_id, True
        result_path = f"{routes.ORDER_RESULT}?order={start.order_id}"
        args = json.dumps(
            {"method": start.method, "secret": start.client_secret, "resultPath": result_path}
        )
        return rx.call_script(
            f"window.heyonPay.pay({args})", callback=CheckoutState.payment_returned
        )

    @rx.event
    def payment_returned(self, result: dict):
        status = (result or {}).get("status", "")
        if status == "done":
            return rx.redirect(f"{routes.ORDER_RESULT}?order={self.order_id}")
        if status == "qr":
            self.qr_image = str(result.get("image", ""))
            self.qr_link = str(result.get("link", ""))
            return CheckoutState.wait_for_wechat
        self.busy = False
        if status == "redirect":
            return None
        code = str((result or {}).get("code", ""))
        key = _ERROR_KEYS.get(code)
        message = str((result or {}).get("message", ""))
        self.error = self._t(key) if key else self._t("checkout.error.payment", message=message)
        # Ask Stripe rather than trust the page: the order shows as failed, nothing extended.
        with session_scope() as session:
            settle_order(session, token=self.auth_token, order_id=self.order_id)
        return None

    @rx.event(background=True)
    async def wait_for_wechat(self):
        for _ in range(WECHAT_POLL_LIMIT):
            await asyncio.sleep(POLL_SECONDS)
            async with self:
                if not self.qr_image or not self.order_id:
                    return
                token, order_id = self.auth_token, self.order_id
            # Database and Stripe calls block: run them off the event loop, outside the lock.
            status = await asyncio.to_thread(_settled_status, token, order_id)
            if status in ("fulfilled", "failed", "canceled", "expired"):
                async with self:
                    self.busy, self.qr_image = False, ""
                break
        else:
            return
        yield rx.redirect(f"{routes.ORDER_RESULT}?order={order_id}")


class ResultState(AppState):
    order_id: int = 0
    status: str = "waiting"  # waiting | paid | failed | canceled | processing | missing
    message_key: str = "result.processing"  # shown in the current language, with `until`
    until: str = ""
    new_line_id: int = 0
    retry_url: str = routes.RENEW
    polling: bool = False

    def _show(self, result: ResultView) -> None:
        self.status, self.message_key, self.until = result.status, result.message_key, result.until
        self.new_line_id, self.retry_url = result.new_line_id, result.retry_url

    @rx.event(background=True)
    async def load_result(self):
        async with self:
            raw = str(self.router.url.query_parameters.get("order", ""))
            self.order_id = int(raw) if raw.isdigit() else 0
            self.status, self.message_key, self.new_line_id = "waiting", "result.processing", 0
            if self.polling or not self.auth_token:
                return
            self.polling = True
            token, order_id = self.auth_token, self.order_id
        try:
            for _ in range(RESULT_POLL_LIMIT):
                # Database and Stripe calls block: run them off the event loop, outside the lock.
                result = await asyncio.to_thread(result_view, token, order_id)
                async with self:
                    self._show(result)
                if result.status != "waiting":
                    return
                await asyncio.sleep(POLL_SECONDS)
            async with self:
                self.status = "processing"  # still open after two minutes: say so and stop
        finally:
            async with self:
                self.polling = False
