"""Scaled-out mode's Redis fault: the Redis that holds every tab's state restarts (empty)
in the middle of a checkout. At worst the customer logs in again; nothing paid is lost:
Stripe's webhook fulfils the order once, whatever the tab remembers.

Runs with HEYON_TEST_BACKEND=pg-redis (make test's second pass) on the run's own
redis-server, never the shared one.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import select

from heyon_app import clock, security
from heyon_app.db import session_scope
from heyon_app.models import EsimLine, Order
from heyon_app.services.periods import add_period
from tests import factories
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_checkout_flow import PASSWORD, _fill_card, _log_in
from tests.concurrency import wait_for


def _paying_order(line_id: int) -> Order | None:
    """The line's order once its payment was started with Stripe."""
    with session_scope() as session:
        return session.exec(
            select(Order).where(Order.line_id == line_id, Order.payment_intent_id.is_not(None))
        ).first()


def test_redis_restarted_mid_checkout_the_payment_is_fulfilled_once(browser, app_url, pg_redis):
    with session_scope() as session:
        user = factories.customer(session, password_hash=security.hash_password(PASSWORD))
        until = clock.now() + timedelta(days=5)
        line_id = factories.line(session, user=user, valid_until=until).id
        email = user.email
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.app_url = app_url
    _log_in(page, email)
    page.goto(f"{app_url}/renew?line={line_id}")
    expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()
    _fill_card(page, "4242424242424242")

    page.locator("#pay").click()
    order = wait_for(lambda: _paying_order(line_id), timeout=20)
    assert order is not None, "the payment was never started"
    # Every tab's state goes, while the browser is confirming the card with Stripe.
    pg_redis.restart()

    # The card is confirmed after the restart: the tab has forgotten the payment, yet the
    # customer lands on the order's result page, or at worst on the login page.
    expect(page).to_have_url(re.compile(r"/(orders/result/?\?order=\d+|login)"), timeout=30_000)
    if "/login" in page.url:
        _log_in(page, email)
        page.goto(f"{app_url}/orders/result?order={order.id}")
    expect(page).to_have_url(re.compile(rf"/orders/result/?\?order={order.id}$"))
    expect(page.locator("#result-message")).to_contain_text("支付成功", timeout=60_000)

    # Paid once, extended once: not lost, not doubled by the webhook and the result page.
    with session_scope() as session:
        assert session.get(Order, order.id).status == "fulfilled"
        assert session.get(EsimLine, line_id).valid_until == add_period(until, "month")
        orders = session.exec(select(Order).where(Order.line_id == line_id)).all()
        assert [o.status for o in orders] == ["fulfilled"]
    # And the session still works for the next page.
    page.goto(f"{app_url}/orders")
    expect(page.locator(".heyon-order").first).to_contain_text("已完成")
    context.close()
