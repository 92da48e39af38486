"""The checkout handlers on one tab: Stripe and the database never hold up the event loop, a
double click pays once, and the browser's word starts no server work by itself.

The handlers run on a stand-in for the tab's state (Reflex serialises one tab's events and
guards background changes with `async with self`), so no app needs to be served.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from heyon_app.i18n import translate
from heyon_app.services import billing
from heyon_app.state import checkout as checkout_state
from heyon_app.state.checkout import CheckoutState
from tests.concurrency import Tab, run_coroutine
from tests.paying import press_pay


def _tab(**values: Any) -> Tab:
    """A tab whose review showed DATA_M at ¥59.00 for line 1, in English."""
    shown = {"auth_token": "token", "locale": "en", "line_id": 1, "selected": "DATA_M"}
    return Tab(CheckoutState, **{**shown, "_shown_minor": 5_900, **values})


def _named(result: object) -> str:
    fn = getattr(result, "fn", None)
    return fn.__name__ if fn else ""


@pytest.fixture
def polls(monkeypatch) -> list[int]:
    """Each time the server asks Stripe about an order; the payment is settled at once."""
    asked: list[int] = []

    def settled(_token: str, order_id: int) -> str:
        asked.append(order_id)
        return "fulfilled"

    monkeypatch.setattr(checkout_state, "_settled_status", settled)
    monkeypatch.setattr(checkout_state, "POLL_SECONDS", 0)
    return asked


def test_qr_answer_without_a_payment_started_here_starts_nothing(polls):
    tab = _tab(order_id=42)
    result = run_coroutine(
        tab.handle("payment_returned", {"status": "qr", "image": "data:image/png;base64,x"})
    )
    assert result is None and tab.qr_image == "" and tab._wechat_order == 0
    # Called directly, the polling loop finds nothing to watch.
    assert run_coroutine(tab.handle("wait_for_wechat")) == []
    assert polls == []


def test_qr_answered_many_times_watches_the_order_once(polls):
    tab = _tab(busy=True, order_id=7, _pay_order_id=7, _pay_method="wechat_pay")
    answer = {"status": "qr", "image": "data:image/png;base64,x", "link": "https://pay.test/q"}
    started = [run_coroutine(tab.handle("payment_returned", answer)) for _ in range(5)]
    assert [_named(r) for r in started] == ["wait_for_wechat"] + [""] * 4
    assert tab.qr_image.startswith("data:image/")

    async def many_loops() -> list[list]:
        return await asyncio.gather(*[tab.handle("wait_for_wechat") for _ in range(5)])

    results = run_coroutine(many_loops())
    assert polls == [7]  # one loop asked Stripe; the other four found it running
    assert sum(1 for r in results if r) == 1


def test_qr_answer_for_a_card_payment_is_ignored(polls):
    tab = _tab(busy=True, order_id=7, _pay_order_id=7, _pay_method="card")
    result = run_coroutine(
        tab.handle("payment_returned", {"status": "qr", "image": "data:image/png;base64,x"})
    )
    assert result is None and tab._wechat_order == 0


def test_error_answer_without_a_payment_asks_stripe_nothing(polls):
    tab = _tab(order_id=42)
    run_coroutine(tab.handle("payment_returned", {"status": "error", "code": "card_declined"}))
    assert polls == [] and tab.error == ""


@pytest.fixture
def slow_stripe(monkeypatch) -> list[str]:
    """Starting a payment takes 0.3 s in Stripe; the calls are counted."""
    calls: list[str] = []

    def start(
        token: str, line_id: int, package: str, method: str, *_shown: object
    ) -> billing.PaymentStart:
        calls.append(method)
        time.sleep(0.3)
        return billing.PaymentStart(7, "pi_7_secret_x", method)

    monkeypatch.setattr(checkout_state, "_start_payment", start)
    return calls


def test_slow_stripe_does_not_hold_up_other_customers(monkeypatch):
    """Stripe answers only after another customer's event has run while it was asked: had
    the payment held the event loop, that event could not run and Stripe never answered."""
    asked, other_ran = threading.Event(), threading.Event()

    def start(*_args: object) -> billing.PaymentStart:
        asked.set()
        if not other_ran.wait(timeout=10):
            raise AssertionError("no other event ran while Stripe was asked")
        return billing.PaymentStart(7, "pi_7_secret_x", "card")

    monkeypatch.setattr(checkout_state, "_start_payment", start)
    tab = _tab()

    async def scenario() -> None:
        async def other_customer() -> None:
            while not asked.is_set():
                await asyncio.sleep(0.001)
            other_ran.set()

        other = asyncio.create_task(other_customer())
        await press_pay(tab)
        await other

    run_coroutine(scenario())
    assert tab._pay_order_id == 7 and not tab.error


def test_double_click_pays_once_and_a_decline_allows_another_try(slow_stripe, polls, monkeypatch):
    tab = _tab()
    start = checkout_state._start_payment
    busy_when_asked: list[bool] = []

    def watched_start(*args: object) -> billing.PaymentStart:
        busy_when_asked.append(tab.busy)
        return start(*args)

    monkeypatch.setattr(checkout_state, "_start_payment", watched_start)

    async def first_click() -> None:
        # A background event: `busy` reaches the browser when the first `async with self`
        # ends, before Stripe is asked, and the tab is not locked while Stripe answers.
        await press_pay(tab)
        assert busy_when_asked == [True] and tab.busy

    run_coroutine(first_click())
    run_coroutine(press_pay(tab))  # the second click, run after the first
    assert slow_stripe == ["card"]
    run_coroutine(tab.handle("payment_returned", {"status": "error", "code": "card_declined"}))
    assert (
        not tab.busy
        and tab.error == translate("checkout.error.card_declined", "en")
        and polls == [7]
    )
    run_coroutine(press_pay(tab))
    assert slow_stripe == ["card", "card"]


@pytest.mark.parametrize(
    "shown",
    [
        ("VOICE_M", "card", "¥59.00"),  # a package chosen whose save was lost
        ("DATA_M", "alipay", "¥59.00"),  # a method chosen whose save was lost
        ("DATA_M", "card", "¥39.00"),
        ("DATA_M", "card", None),
    ],
)
def test_pay_for_what_the_server_does_not_hold_orders_nothing(slow_stripe, shown):
    tab = _tab(review={"total": "¥59.00", "period_key": "checkout.period.month"})
    assert run_coroutine(tab.handle("pay", *shown)) == []  # no redirect, no script
    assert slow_stripe == [] and not tab.busy
    assert tab.error == translate("checkout.error.out_of_date", "en")
    # What the server holds stays; the page is sent it again (see CheckoutState.pay).
    assert (tab.selected, tab.method, tab.review["total"]) == ("DATA_M", "card", "¥59.00")
    run_coroutine(press_pay(tab))  # then Pay for what the page shows once more
    assert slow_stripe == ["card"]


def test_a_paid_card_the_tab_forgot_goes_to_its_result_page_and_nowhere_else(polls):
    # The tab's state was lost (Redis restarted) between the payment's start and its answer.
    tab = _tab()
    paid = {"status": "done", "resultPath": "/orders/result?order=42"}
    result = run_coroutine(tab.handle("payment_returned", paid))
    assert result is not None and "/orders/result?order=42" in str(result)
    for path in ["https://elsewhere.test/orders/result?order=42", "/admin", 42, None]:
        answer = {"status": "done", "resultPath": path}
        assert run_coroutine(tab.handle("payment_returned", answer)) is None
    declined = {"status": "error", "resultPath": "/orders/result?order=42"}
    assert run_coroutine(tab.handle("payment_returned", declined)) is None
    assert polls == [] and not tab.busy  # nothing asked of Stripe, nothing changed
