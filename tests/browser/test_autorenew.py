"""Auto-renew on the dashboard: the customer saves a card (SetupIntent, Stripe.js's
confirmCardSetup on the local Stripe server), sees its brand and last four, switches it
off; what the worker reads follows."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.models import AutoRenewal
from tests import factories
from tests.browser.conftest import snap

PASSWORD = "Renew-by-itself-2026"


def _fill_card(page, number: str) -> None:
    form = page.locator("#card-element")
    form.locator("input[placeholder=number]").fill(number)
    form.locator("input[placeholder=exp_month]").fill("12")
    form.locator("input[placeholder=exp_year]").fill("34")
    form.locator("input[placeholder=cvc]").fill("123")


def _plan(line_id: int) -> AutoRenewal | None:
    with session_scope() as session:
        return session.get(AutoRenewal, line_id)


def test_customer_switches_auto_renew_on_with_a_card_and_off_again(page):
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        line = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=20))
        email, line_id = user.email, line.id
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(str(frame))))
    page.goto(f"{page.app_url}/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("#login-submit").click()
    expect(page.get_by_role("heading", name="我的 eSIM")).to_be_visible()

    section = page.locator("#autorenew")
    expect(section.get_by_role("heading", name="自动续费")).to_be_visible()
    expect(page.locator("#autorenew-status")).to_have_text("未开启")
    before = len(sent)
    page.get_by_role("button", name="开启自动续费").click()
    expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()
    expect(section).to_contain_text("卡号只交给 Stripe")
    # The page mounts the card form once Stripe.js is in: no round trip to the server for it.
    events = [frame for frame in sent[before:] if '"name"' in frame]
    assert len(events) == 1 and "auto_renew_state.open_form" in events[0], events
    snap(page, "autorenew-card-form")
    _fill_card(page, "4242424242424242")
    page.get_by_role("button", name="保存卡片并开启").click()

    expect(page.locator("#autorenew-notice")).to_have_text("已开启自动续费", timeout=20_000)
    expect(page.locator("#autorenew-status")).to_have_text("已开启")
    expect(page.locator("#autorenew-card")).to_have_text("Visa •••• 4242")
    snap(page, "autorenew-on")
    plan = _plan(line_id)
    assert plan is not None and (plan.enabled, plan.last4) == (True, "4242")
    assert plan.payment_method_id.startswith("pm_")

    page.reload()  # what the dashboard shows comes from the server
    expect(page.locator("#autorenew-card")).to_have_text("Visa •••• 4242")
    page.get_by_role("button", name="关闭自动续费").click()
    expect(page.locator("#autorenew-notice")).to_have_text("已关闭自动续费")
    expect(page.locator("#autorenew-status")).to_have_text("未开启")
    expect(page.get_by_role("button", name="开启自动续费")).to_be_visible()
    snap(page, "autorenew-off")
    assert _plan(line_id).enabled is False
