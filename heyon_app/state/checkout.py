"""Renew / buy flow and the result page: read the choice, call services, drive Stripe.js.

The browser only ever names a package and a method; amounts come from the server, and
"paid" is shown only once the server has heard it from Stripe. Every database and Stripe
call runs in a thread (`asyncio.to_thread`), never on Reflex's event loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app import routes
from heyon_app.clock import local_date
from heyon_app.db import DatabaseUnavailable, session_scope
from heyon_app.models import User
from heyon_app.services import (
    accounts,
    billing,
    catalog,
    checkout,
    forms,
    phone_verification,
    pricing,
    stripe_gateway,
)
from heyon_app.services.checkout import ResultView
from heyon_app.services.errors import UserError
from heyon_app.settings import settings
from heyon_app.state import stripe_js
from heyon_app.state.base import AppState

log = logging.getLogger(__name__)

# Stripe.js error codes -> our message keys; anything else shows Stripe's own words.
ERROR_KEYS = {
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


def _review(q: billing.Quote) -> dict[str, str]:
    return {
        "package_zh": q.package.name_zh,
        "package_en": q.package.name_en,
        "period_key": f"checkout.period.{q.package.period}",
        "current_expiry": local_date(q.current_expiry),
        "new_expiry": local_date(q.new_expiry),
        "price": q.list_price.format(),
        "discount": ("-" + q.discount.format()) if q.discount.minor else "",
        "promotion_zh": q.promotion.name_zh if q.promotion else "",
        "promotion_en": q.promotion.name_en if q.promotion else "",
        "why_key": q.reason_key,
        "total": q.total.format(),
        "free": "1" if q.total.minor == 0 else "",
        "needs_phone": "1" if q.needs_phone else "",
    }


# Thread-side helpers: one session each, the user read from the token in that session.
def _renew_review(
    session: Session, user: User, *, line_id: int, package_code: str, code: str
) -> tuple[checkout.RenewChoice, str]:
    """What the review page shows: the choice and its quote, and the phone the SMS goes to."""
    choice = checkout.renew_choice(
        session, user=user, line_id=line_id, package_code=package_code, code=code
    )
    return choice, user.phone


def _quote(token: str, line_id: int, package_code: str, code: str = "") -> billing.Quote | None:
    with session_scope() as session:
        user = accounts.user_for_token(session, token)
        if user is None:
            return None
        return billing.quote(
            session, user=user, line_id=line_id or None, package_code=package_code, code=code
        )


def _start_payment(
    token: str, line_id: int, package_code: str, method: str, code: str, shown_minor: int | None
) -> billing.PaymentStart | None:
    """Order what the review showed and start paying it; a zero-total order is fulfilled
    here without Stripe (its PaymentStart has no secret and the method "free")."""
    with session_scope() as session:
        user = accounts.user_for_token(session, token)
        if user is None:
            return None
        order = billing.create_order(
            session,
            user=user,
            line_id=line_id or None,
            package_code=package_code,
            method=method,
            code=code,
            expected_minor=shown_minor,
        )
        session.commit()
        if order.amount_minor == 0:
            checkout.confirm_free_order(session, user=user, order_id=order.id)
            return billing.PaymentStart(order.id, "", billing.FREE)
        return billing.start_payment(session, user=user, order_id=order.id, method=method)


def _request_phone_code(token: str, phone: str) -> str | None:
    """Record a code, commit, then send the SMS (never inside the transaction)."""
    with session_scope() as session:
        user = accounts.user_for_token(session, token)
        if user is None:
            return None
        sent = phone_verification.request_code(session, user=user, phone=phone)
        session.commit()
        phone_verification.send_code(session, sent=sent, locale=user.locale)
        return sent.phone


def _verify_phone(token: str, code: str) -> str | None:
    with session_scope() as session:
        user = accounts.user_for_token(session, token)
        if user is None:
            return None
        return phone_verification.verify(session, user=user, code=code)


def _settled_status(token: str, order_id: int) -> str:
    with session_scope() as session:
        user = accounts.user_for_token(session, token)
        order = checkout.settle_order(session, user=user, order_id=order_id) if user else None
        return order.status if order else ""


def _result_view(token: str, order_id: int) -> ResultView:
    with session_scope() as session:
        return checkout.result_view(
            session, user=accounts.user_for_token(session, token), order_id=order_id
        )


_RESULT_PATH = re.compile(rf"^{re.escape(routes.ORDER_RESULT)}\?order=\d+$")


def _result_page_of_a_forgotten_payment(status: str, path: object):
    """The card was paid but the tab's state no longer knows the payment (its Redis state
    store restarted, or the tab moved to a new state): send the customer to the order's
    result page, which shows only an order of theirs and asks the server, not the page."""
    if status == "done" and isinstance(path, str) and _RESULT_PATH.match(path):
        return rx.redirect(path)
    return None


class CheckoutState(AppState):
    packages: list[dict[str, str]] = []
    selected: str = ""
    line_id: int = 0
    line_number: str = ""
    review: dict[str, str] = {"total": "", "period_key": "checkout.period.month"}
    # Promo code: what the customer typed and the server accepted, and what it said.
    promo_code: str = ""
    promo_error: str = ""
    promo_notice: str = ""
    # Verifying the mobile number for the free month.
    phone: str = ""
    phone_sent: bool = False
    phone_error: str = ""
    phone_notice: str = ""
    _shown_minor: int = -1  # the total the review shows: an order must cost exactly that
    method: str = "card"
    error: str = ""
    busy: bool = False
    order_id: int = 0
    qr_image: str = ""
    qr_link: str = ""
    test_mode: bool = True
    _pay_order_id: int = 0  # the order whose payment this tab's server started
    _pay_method: str = ""
    _wechat_order: int = 0  # the WeChat Pay order whose QR code the page shows
    _wechat_loop: int = 0  # the order a wait_for_wechat loop is watching now
    _choosing_on: str = ""  # the renewal (its query) whose choices the tab holds, unpaid

    @rx.event
    async def load_renew(self):
        # Only what differs is assigned (and so sent): coming back to the review finds most
        # of it as the tab left it.
        self._set_changed(
            error="",
            qr_image="",
            qr_link="",
            busy=False,
            order_id=0,
            test_mode=settings.stripe_test_payments,
        )
        self._pay_order_id, self._pay_method, self._wechat_order = 0, "", 0
        query = self.router.url.query_parameters
        raw = str(query.get("line", ""))
        asked = str(query.get("package", ""))
        # Reflex runs a page's on_load again whenever the tab reconnects (its backend worker
        # restarted, the phone changed networks): the renewal on screen (or come back to,
        # unpaid) keeps the package, method and promo code chosen on it, quoted afresh.
        renewal = f"{raw}|{asked}"
        again = renewal == self._choosing_on
        package, code = (self.selected, self.promo_code) if again else (asked, "")
        work = partial(
            _renew_review, line_id=forms.row_id(raw) or 0, package_code=package, code=code
        )
        user, found = await self._as_user(work)
        if user is None:
            return rx.redirect(routes.LOGIN)
        choice, phone = found
        self._choosing_on = renewal
        self._set_changed(
            line_id=choice.line.id if choice.line else 0,
            line_number=choice.line.number if choice.line else "",
            selected=choice.selected,
            method=self.method if again else choice.method,
            packages=[
                {
                    "code": p.code,
                    "name_zh": p.name_zh,
                    "name_en": p.name_en,
                    "period_key": f"checkout.period.{p.period}",
                    "price": catalog.price(p).format(),
                    "recommended": "1" if p.code == choice.recommended else "",
                }
                for p in choice.packages
            ],
            promo_code=code,
            phone_sent=False,
            phone_error="",
            phone_notice="",
            phone=phone,
        )
        self._show_quote(choice.quote)
        # The card form is mounted by the page once Stripe.js has loaded (a method chosen
        # later mounts it through `mount_card`).
        return rx.call_script(
            stripe_js.init_script(self.locale, then_mount_card=self.method == "card")
        )

    @rx.event
    def mount_card(self):
        if self.method == "card":
            return rx.call_script("window.heyonPay && window.heyonPay.mountCard()")
        return None

    def _show_quote(self, q: billing.Quote) -> None:
        self._shown_minor = q.total.minor
        code, error, notice = self.promo_code, "", ""
        if code and q.code_key in pricing.CODE_REFUSALS:
            # Say which (wrong, expired, used up, not for this package) and stop using it.
            code, error = "", self._t(q.code_key)
        elif code and q.code_key:
            notice = self._t(q.code_key)
        elif code:
            notice = self._t("promo.code.applied", code=code)
        self._set_changed(
            review=_review(q), promo_code=code, promo_error=error, promo_notice=notice
        )

    async def _requote(self):
        self.error = ""
        try:
            q = await asyncio.to_thread(
                _quote, self.auth_token, self.line_id, self.selected, self.promo_code
            )
        except UserError as exc:
            self.error = self._t(exc.key, **exc.params)
            return None
        if q is None:
            return rx.redirect(routes.LOGIN)
        self._show_quote(q)
        return None

    @rx.event
    async def choose_package(self, code: str):
        self.selected = forms.text(code)
        return await self._requote()

    @rx.event
    async def apply_code(self, form_data: dict):
        self.promo_code = pricing.normalize_code(forms.field(form_data, "promo_code"))
        if not self.promo_code:
            self.promo_error, self.promo_notice = self._t("promo.code.unknown"), ""
            return None
        return await self._requote()

    @rx.event
    async def remove_code(self):
        self.promo_code = ""
        return await self._requote()

    @rx.event(background=True)
    async def send_phone_code(self, form_data: dict):
        # Background: an SMS gateway may take its whole timeout, longer than a state lock
        # may be held; the tab is locked only to read and to show the outcome.
        async with self:
            self.phone_error = self.phone_notice = ""
            token = self.auth_token
        number = forms.field(form_data, "phone")[:40]
        try:
            sent = await asyncio.to_thread(_request_phone_code, token, number)
        except UserError as exc:
            async with self:
                self.phone_error = self._t(exc.key, **exc.params)
            return None
        if sent is None:
            return rx.redirect(routes.LOGIN)
        async with self:
            self.phone, self.phone_sent = sent, True
            self.phone_notice = self._t("promo.phone.sent", phone=sent)
        return None

    @rx.event
    async def verify_phone(self, form_data: dict):
        self.phone_error = self.phone_notice = ""
        try:
            done = await asyncio.to_thread(
                _verify_phone, self.auth_token, forms.field(form_data, "code")[:20]
            )
        except UserError as exc:
            self.phone_error = self._t(exc.key, **exc.params)
            return None
        if done is None:
            return rx.redirect(routes.LOGIN)
        self.phone_sent, self.phone_notice = False, self._t("promo.phone.verified")
        result = await self._requote()
        if self.review.get("needs_phone") != "1" and self.review.get("free") != "1":
            # Verified, yet still no free month: most likely the number had it already.
            self.phone_notice = self._t("promo.phone.claimed")
        return result

    @rx.event
    async def refresh_review(self):
        error = self.error
        await self._requote()
        self.error = error or self.error

    @rx.event
    def choose_method(self, method: str):
        if self.busy and not self._wechat_order:
            return None  # Stripe.js is confirming a payment: its answer must find it
        if method in billing.METHODS:
            self.method, self.error, self.qr_image, self.qr_link = method, "", "", ""
            # Leaving a shown QR code: stop watching it (a payment of it still counts).
            self.busy, self._pay_order_id, self._wechat_order = False, 0, 0
        return CheckoutState.mount_card

    @rx.event(background=True)
    async def pay(self, shown_package: str, shown_method: str, shown_total: str):
        """Pay for the order the page shows: its package, method and total come along so
        that nothing is ordered unless the server holds the same (the client decides none
        of it)."""
        # A background event: the tab's state is locked only while it is read or changed,
        # never while Stripe is asked (with the Redis state manager a lock held past its
        # expiry would lose the answer, and every other event of the tab would wait).
        async with self:
            # One check-and-set under the lock: a second click sees `busy` and does nothing.
            if self.busy:
                return
            if (shown_package, shown_method, shown_total) != (
                self.selected,
                self.method,
                self.review.get("total", ""),
            ):
                # A choice whose answer had not reached the page when Pay was pressed, or
                # one whose save failed (Reflex sends a change before it saves the tab's
                # state, and Redis may go down in between). Assigned again, the server's
                # choice is sent again, so the page shows what a next Pay would order.
                self.selected, self.method = self.selected, self.method
                self.review = dict(self.review)
                self.error = self._t("checkout.error.out_of_date")
                return
            self.busy, self.error, self.qr_image, self.qr_link = True, "", "", ""
            self._pay_order_id, self._pay_method, self._wechat_order = 0, "", 0
            asked = (
                self.auth_token,
                self.line_id,
                self.selected,
                self.method,
                self.promo_code,
                self._shown_minor if self._shown_minor >= 0 else None,
            )
        try:
            start = await asyncio.to_thread(_start_payment, *asked)
        except UserError as exc:
            async with self:
                self.busy, self.error = False, self._t(exc.key, **exc.params)
            # The price may have changed under the customer: show the current one.
            if exc.key.startswith("promo."):
                yield CheckoutState.refresh_review
            return
        except stripe_gateway.GatewayError:
            async with self:
                self.busy, self.error = False, self._t("checkout.error.gateway")
            return
        except DatabaseUnavailable:
            # No client secret reached the page, so nothing can have been charged; the order
            # and intent made before the outage are picked up again when the customer retries.
            log.warning("payment not started: the database is unreachable")
            async with self:
                self.busy, self.error = False, self._t("checkout.error.unavailable")
            return
        if start is None:
            async with self:
                self.busy = False
            yield rx.redirect(routes.LOGIN)
            return
        async with self:
            self.order_id = start.order_id
            self._choosing_on = ""  # paid for: a later visit starts afresh
            if start.method == billing.FREE:
                self.busy = False
            else:
                # Only a payment started here may be answered by payment_returned (backend
                # vars: the browser can neither see nor set them).
                self._pay_order_id, self._pay_method = start.order_id, start.method
        result_path = f"{routes.ORDER_RESULT}?order={start.order_id}"
        if start.method == billing.FREE:
            yield rx.redirect(result_path)
            return
        args = json.dumps(
            {"method": start.method, "secret": start.client_secret, "resultPath": result_path}
        )
        yield rx.call_script(
            f"window.heyonPay.pay({args})", callback=CheckoutState.payment_returned
        )

    @rx.event(background=True)
    async def payment_returned(self, result: dict):
        """Stripe.js's answer in the page: it only decides what to show and where to go; the
        order's state is asked of Stripe by the server (outside the tab's lock). Without a
        payment this tab's server started, the call does nothing."""
        async with self:
            order_id = self._pay_order_id
            status = forms.field(result, "status")
            if not order_id:
                return _result_page_of_a_forgotten_payment(
                    status, forms.field(result, "resultPath")
                )
            if status == "done":
                return rx.redirect(f"{routes.ORDER_RESULT}?order={order_id}")
            if status == "qr":
                if self._pay_method != "wechat_pay":
                    return None
                image, link = forms.field(result, "image"), forms.field(result, "link")
                self.qr_image = image if image.startswith("data:image/") else ""
                self.qr_link = link if link.startswith(("https://", "http://")) else ""
                if self._wechat_order == order_id:
                    return None  # this order's QR code is already being watched
                self._wechat_order = order_id
                return CheckoutState.wait_for_wechat
            self.busy, self._pay_order_id, self._wechat_order = False, 0, 0
            if status == "redirect":
                return None
            key = ERROR_KEYS.get(forms.field(result, "code"))
            message = forms.field(result, "message")[:300]
            self.error = self._t(key) if key else self._t("checkout.error.payment", message=message)
            token = self.auth_token
        # Ask Stripe rather than trust the page: the order shows as failed, nothing extended.
        try:
            await asyncio.to_thread(_settled_status, token, order_id)
        except DatabaseUnavailable:
            log.warning("order %s not settled: the database is unreachable", order_id)
        return None

    @rx.event(background=True)
    async def wait_for_wechat(self):
        """Watch the WeChat Pay order payment_returned named; one loop per tab and order,
        whoever calls this event and however often."""
        async with self:
            order_id = self._wechat_order
            if not order_id or self._wechat_loop == order_id:
                return
            self._wechat_loop = order_id
            token = self.auth_token
        try:
            for _ in range(WECHAT_POLL_LIMIT):
                await asyncio.sleep(POLL_SECONDS)
                async with self:
                    if self._wechat_order != order_id:
                        return  # the customer started over or chose another method
                # Database and Stripe calls block: run them off the event loop, outside the lock.
                try:
                    status = await asyncio.to_thread(_settled_status, token, order_id)
                except DatabaseUnavailable:
                    continue  # the QR code stays payable; ask again once the database is back
                if status in ("fulfilled", "failed", "canceled", "expired"):
                    async with self:
                        self.busy, self.qr_image = False, ""
                        self._pay_order_id, self._wechat_order = 0, 0
                    yield rx.redirect(f"{routes.ORDER_RESULT}?order={order_id}")
                    return
        finally:
            async with self:
                if self._wechat_loop == order_id:
                    self._wechat_loop = 0


class ResultState(AppState):
    order_id: int = 0
    status: str = "waiting"  # waiting | paid | failed | canceled | reversed | processing | missing
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
            self.order_id = forms.row_id(raw) or 0
            self.status, self.message_key, self.new_line_id = "waiting", "result.processing", 0
            if self.polling or not self.auth_token:
                return
            self.polling = True
            token, order_id = self.auth_token, self.order_id
        try:
            for _ in range(RESULT_POLL_LIMIT):
                # Database and Stripe calls block: run them off the event loop, outside the lock.
                try:
                    result = await asyncio.to_thread(_result_view, token, order_id)
                except DatabaseUnavailable:
                    # The page goes on saying "processing" and asking: a payment Stripe took
                    # meanwhile is settled by the first poll (or the worker) once it is back.
                    await asyncio.sleep(POLL_SECONDS)
                    continue
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
