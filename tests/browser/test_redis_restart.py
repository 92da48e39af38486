"""Scaled-out mode's Redis fault: the Redis that holds every tab's state restarts (empty)
in the middle of a checkout. At worst the customer logs in again; nothing paid is lost:
Stripe's webhook fulfils the order once, whatever the tab remembers. While it is down, a
click is answered with the failure message and changes nothing.

Runs with HEYON_TEST_BACKEND=pg-redis (make test's second pass) on the run's own
redis-server, never the shared one.
"""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta

import redis
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from sqlmodel import select

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.models import EsimLine, Order
from heyon_app.services.periods import add_period
from heyon_app.state_managers import RedisStates
from tests import factories
from tests.browser.conftest import log_in, snap
from tests.browser.test_checkout_flow import PASSWORD, _fill_card
from tests.concurrency import wait_for


def _paying_order(line_id: int) -> Order | None:
    """The line's order once its payment was started with Stripe."""
    with session_scope() as session:
        return session.exec(
            select(Order).where(Order.line_id == line_id, Order.payment_intent_id.is_not(None))
        ).first()


def _status(order_id: int) -> str:
    with session_scope() as session:
        return session.get(Order, order_id).status


def test_redis_restarted_mid_checkout_the_payment_is_fulfilled_once(open_page, app_url, pg_redis):
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        until = clock.now() + timedelta(days=5)
        line_id = factories.line(session, user=user, valid_until=until).id
        email = user.email
    page = open_page(app_url, timeout_ms=20_000)
    log_in(page, email, PASSWORD)
    page.goto(f"{app_url}/renew?line={line_id}")
    expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()
    _fill_card(page, "4242424242424242")

    page.locator("#pay").click()
    order = wait_for(lambda: _paying_order(line_id), timeout=20)
    assert order is not None, "the payment was never started"
    # Stripe has taken the money (its webhook has fulfilled the order): now every tab's
    # state goes, while the page is still waiting to hear of it.
    assert wait_for(lambda: _status(order.id) == "fulfilled", timeout=30), "nothing was paid"
    pg_redis.restart()

    # The tab goes to the order's result page by itself when its answer reached the server
    # after Redis was back; an answer that came while Redis was down is lost, and the page
    # stays where it was. Either way the customer then opens the order.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_url(re.compile(r"/(orders/result/?\?order=\d+|login)"), timeout=10_000)
    # A tab that lost its state may also have lost its login: then the login page comes.
    paid = page.locator("#result-message").filter(has_text="支付成功")
    page.goto(f"{app_url}/orders/result?order={order.id}")
    expect(paid.or_(page.locator("#login-submit"))).to_be_visible(timeout=60_000)
    if not paid.is_visible():
        log_in(page, email, PASSWORD)
        page.goto(f"{app_url}/orders/result?order={order.id}")
    expect(paid).to_be_visible(timeout=60_000)

    # Paid once, extended once: not lost, not doubled by the webhook and the result page.
    with session_scope() as session:
        assert session.get(Order, order.id).status == "fulfilled"
        assert session.get(EsimLine, line_id).valid_until == add_period(until, "month")
        orders = session.exec(select(Order).where(Order.line_id == line_id)).all()
        assert [o.status for o in orders] == ["fulfilled"]
    # And the session still works for the next page.
    page.goto(f"{app_url}/orders")
    expect(page.locator(".heyon-order").first).to_contain_text("已完成")


def _on_the_renewal_page(open_page, app_url: str):
    """A new customer's phone on the renewal page of their line: the page and the line."""
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        line_id = factories.line(session, user=user).id
        email = user.email
    page = open_page(app_url, timeout_ms=30_000)
    log_in(page, email, PASSWORD)
    page.goto(f"{app_url}/renew?line={line_id}")
    return page, line_id


def test_a_click_while_redis_is_down_is_told_and_changes_nothing(open_page, app_url, pg_redis):
    page, _ = _on_the_renewal_page(open_page, app_url)
    # Pay is enabled once every event of the page's load has been handled: none is left to
    # fail when Redis goes, only the click.
    expect(page.locator("#pay")).to_be_enabled()
    expect(page.locator("#method-card")).to_be_checked()

    pg_redis.stop()
    try:
        page.locator("label.heyon-method", has_text="支付宝").click()
        toast = page.locator("[data-sonner-toast]")
        expect(toast).to_contain_text(translate("common.failed", "zh-CN"))
        expect(toast).to_contain_text(translate("common.failed_hint", "zh-CN"))
        expect(page.locator("#method-card")).to_be_checked()
    finally:
        pg_redis.start()
    # Redis came back empty: the page works again, at worst after a new login.
    page.reload()
    expect(page.locator("#pay").or_(page.locator("#login-submit"))).to_be_visible()


def test_a_choice_redis_failed_to_save_is_never_paid_for(open_page, app_url, pg_redis, monkeypatch):
    """Reflex sends a change to the page before it saves the tab's state: when Redis fails
    in between, the page shows a choice the server does not hold. Pay then orders nothing,
    says so, and the page shows the server's order again."""
    page, line_id = _on_the_renewal_page(open_page, app_url)
    expect(page.locator("#pay")).to_be_enabled()
    chosen = page.locator("[id^='package-'][data-state='checked']")
    held_package, held_pay = chosen.get_attribute("id"), page.locator("#pay").inner_text()

    saves_refused = []
    save = RedisStates._save_and_release

    async def choice_lost_once(manager, *args, **kwargs):
        # Only the package choice's save: Stripe.js's late events may still be saving.
        event = kwargs.get("event")
        if not saves_refused and event is not None and event.name.endswith(".choose_package"):
            saves_refused.append(event.name)
            raise redis.exceptions.ConnectionError("Redis went away")
        return await save(manager, *args, **kwargs)

    monkeypatch.setattr(RedisStates, "_save_and_release", choice_lost_once)
    other = page.locator("[id^='package-'][data-state='unchecked']").first
    other_package = other.get_attribute("id")
    other.click()
    # The change reached the page; its save did not.
    expect(page.locator("[data-sonner-toast]")).to_contain_text(translate("common.failed", "zh-CN"))
    expect(page.locator(f"#{other_package}")).to_have_attribute("data-state", "checked")
    assert len(saves_refused) == 1

    page.locator("#pay").click()
    expect(page.locator("#pay-error")).to_have_text(
        translate("checkout.error.out_of_date", "zh-CN")
    )
    expect(page.locator(f"#{held_package}")).to_have_attribute("data-state", "checked")
    expect(page.locator("#pay")).to_have_text(held_pay)
    page.locator("#pay-error").scroll_into_view_if_needed()
    snap(page, "pay-out-of-date")
    with session_scope() as session:
        assert session.exec(select(Order).where(Order.line_id == line_id)).all() == []
