"""Scaled-out mode (issue 10): two backend workers behind the balancer, on PostgreSQL and
Redis, each started again by the supervisor when it dies. A login, a checkout in progress
and a result page survive the kill -9 of a worker; Stripe's webhook reaches a live one
through the balancer; the order is paid and fulfilled once.

Runs with HEYON_TEST_BACKEND=pg-redis (make test's second pass); the workers serve the
frontend the browser harness built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from heyon_app.db import session_scope
from heyon_app.models import EsimLine, Order, OrderTransition, Package, Payment, StripeEvent
from heyon_app.money import Money
from heyon_app.services import stripe_gateway
from heyon_app.services.periods import add_period
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_checkout_flow import PASSWORD, _customer, _fill_card
from tests.concurrency import wait_for
from tests.scaled_app import START_SECONDS, ScaledApp

CARD = "4242424242424242"
# Reflex keeps the tab's token (the key of its state in Redis) in the session storage.
_TAB_TOKEN_JS = "() => window.sessionStorage.getItem('token')"
CHOSEN = "DATA_Q"  # not the line's own package (DATA_M), which the page offers first
PAYING_MS = 20_000  # as tests/browser/test_checkout_flow.py waits for Stripe's answer


@pytest.fixture
def scaled_app(app_harness, pg_redis, tmp_path: Path) -> Iterator[ScaledApp]:
    """The app as `make run-scaled` runs it, beside the harness's; afterwards the local
    Stripe's webhook goes back to the harness's backend."""
    harness_webhook = stripe_gateway.registered_webhook_url
    app = ScaledApp(tmp_path, built_web=Path(app_harness.app_path) / ".web")
    try:
        app.start()
        yield app
    finally:
        app.stop()
        stripe_gateway.register_local_webhook(harness_webhook)


def _assert_back(app: ScaledApp, number: int, killed_pid: int) -> None:
    assert wait_for(lambda: app.serving_again(number, killed_pid), START_SECONDS, every=0.2), (
        f"backend {number} was not started again; see {app.log}"
    )


def _package(code: str) -> Package:
    with session_scope() as session:
        return factories.package(session, code)


def _kill_and_see_it_back(app: ScaledApp, number: int) -> None:
    _assert_back(app, number, app.kill_worker(number))


def _succeeded_event_id(intent_id: str) -> str | None:
    """The id of Stripe's payment_intent.succeeded event for the intent."""
    events = stripe_gateway.client().v1.events.list(
        params={"type": "payment_intent.succeeded", "limit": 100}
    )
    for event in events.auto_paging_iter():
        if event.data.object["id"] == intent_id:
            return event.id
    return None


def _event_recorded(event_id: str) -> bool:
    with session_scope() as session:
        return session.get(StripeEvent, event_id) is not None


def test_killed_workers_lose_no_login_checkout_or_result(open_page, scaled_app):
    email, line_id, until = _customer()
    page = open_page(scaled_app.url, timeout_ms=20_000)
    sockets = []  # the tab's event websockets, one more each time it reconnects
    page.on("websocket", lambda ws: sockets.append(ws) if "/_event" in ws.url else None)
    nav = page.locator(".heyon-nav-bottom")

    # Logged in, then a worker goes: the customer carries on, still logged in.
    log_in(page, email, PASSWORD)
    tab_token = page.evaluate(_TAB_TOKEN_JS)
    assert tab_token
    _kill_and_see_it_back(scaled_app, 1)
    nav.get_by_role("link", name="订单").click()
    expect(page.get_by_role("heading", name="我的订单", exact=True)).to_be_visible()
    nav.get_by_role("link", name="首页").click()
    page.locator("#renew-button").click()
    expect(page).to_have_url(re.compile(rf"/renew\?line={line_id}$"))

    # Another package chosen, the card filled in: each worker goes in turn, so the one this
    # tab's websocket is on goes too. The choice, its total and the card stay; paying works.
    chosen = page.locator(f"#package-{CHOSEN}")
    expect(chosen).to_have_attribute("data-state", "unchecked")
    chosen.click()
    expect(chosen).to_have_attribute("data-state", "checked")
    review_total = page.locator("#review-total")
    expect(page.locator("#review-package")).to_have_text(_package(CHOSEN).name_zh)
    total = review_total.inner_text()
    _fill_card(page, CARD)
    socket = sockets[-1]
    assert not socket.is_closed()
    _kill_and_see_it_back(scaled_app, 2)
    _kill_and_see_it_back(scaled_app, 1)
    expect(chosen).to_have_attribute("data-state", "checked")
    expect(review_total).to_have_text(total)
    expect(page.locator("#card-element input[placeholder=number]")).to_have_value(CARD)
    assert socket.is_closed(), "the tab never lost its worker"
    page.locator("#pay").click()
    expect(page).to_have_url(re.compile(r"/orders/result\?order=\d+"), timeout=PAYING_MS)
    result = page.locator("#result-message")
    expect(result).to_contain_text("支付成功", timeout=PAYING_MS)
    order_id = int(re.search(r"order=(\d+)", page.url).group(1))
    # Stripe's webhook came through the balancer to a live worker, after each had been
    # killed (whichever of it and the result page settled the order first, the event is
    # recorded as handled). Waited for before the next kill: localstripe sends it once, a
    # second after the payment, where Stripe retries a webhook that met a dying worker.
    with session_scope() as session:
        intent_id = session.get(Order, order_id).payment_intent_id
    event_id = _succeeded_event_id(intent_id)
    assert event_id is not None, "Stripe never reported the payment"
    assert wait_for(lambda: _event_recorded(event_id)), "the webhook never reached a worker"

    # On the result page a worker goes again; reloaded meanwhile, the page still says paid.
    killed = scaled_app.kill_worker(2)
    page.reload()
    expect(result).to_contain_text("支付成功", timeout=PAYING_MS)
    _assert_back(scaled_app, 2, killed)
    # One tab throughout: every worker it reconnected to found its state (not a new tab's).
    assert page.evaluate(_TAB_TOKEN_JS) == tab_token
    page.context.close()

    # The chosen package paid once, fulfilled once, the line extended by its period once.
    package = _package(CHOSEN)
    with session_scope() as session:
        orders = session.exec(select(Order).where(Order.line_id == line_id)).all()
        assert [(o.id, o.status) for o in orders] == [(order_id, "fulfilled")]
        order = orders[0]
        assert order.package_id == package.id
        assert Money(order.amount_minor, order.currency).format() == total
        payments = session.exec(select(Payment).where(Payment.order_id == order_id)).all()
        assert [p.provider_ref for p in payments] == [order.payment_intent_id]
        fulfilments = session.exec(
            select(OrderTransition).where(
                OrderTransition.order_id == order_id, OrderTransition.to_status == "fulfilled"
            )
        ).all()
        assert len(fulfilments) == 1
        assert session.get(EsimLine, line_id).valid_until == add_period(until, package.period)
