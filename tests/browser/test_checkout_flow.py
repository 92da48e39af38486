"""Renew and pay in the browser against the local Stripe server: card, decline, Alipay,
WeChat Pay, a first eSIM; then the orders page, the receipt, the mail and the SMS."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import select

from heyon_app import clock
from heyon_app.clock import local_date
from heyon_app.db import session_scope
from heyon_app.models import EsimLine, Notification, User
from heyon_app.services.periods import add_period
from tests import factories
from tests.browser.conftest import ReadyHeld, signed_in, snap
from tests.concurrency import wait_for

PASSWORD = "Maple-lantern-4827"


def _customer(*, with_line: bool = True) -> tuple[str, int | None, object]:
    """A fresh customer (and line valid 5 more days) so each test stands alone."""
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        if not with_line:
            return user.email, None, None
        until = clock.now() + timedelta(days=5)
        return user.email, factories.line(session, user=user, valid_until=until).id, until


def _fill_card(page, number: str) -> None:
    form = page.locator("#card-element")
    form.locator("input[placeholder=number]").fill(number)
    form.locator("input[placeholder=exp_month]").fill("12")
    form.locator("input[placeholder=exp_year]").fill("34")
    form.locator("input[placeholder=cvc]").fill("123")


def _valid_until(line_id: int):
    with session_scope() as session:
        return session.get(EsimLine, line_id).valid_until


def test_card_renewal_is_paid_extended_and_confirmed(page, mailbox):
    email, line_id, until = _customer()
    signed_in(page, email)
    # 点击"续费" on the dashboard's expiry banner starts the flow for this line.
    expect(page.locator("#expiry-banner")).to_be_visible()
    page.locator("#renew-button").click()
    expect(page).to_have_url(re.compile(rf"/renew\?line={line_id}$"))
    expect(page.get_by_role("heading", name="续费", exact=True)).to_be_visible()
    expect(page.locator("#test-mode-banner")).to_be_visible()
    expect(page.locator("#review-total")).to_have_text("¥59.00")
    expect(page.locator("#review-new-expiry")).to_have_text(local_date(add_period(until, "month")))
    expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()
    snap(page, "renew")
    _fill_card(page, "4242424242424242")
    page.locator("#pay").click()
    expect(page).to_have_url(re.compile(r"/orders/result\?order=\d+"))
    expect(page.locator("#result-message")).to_contain_text("支付成功", timeout=20_000)
    expect(page.locator("#result-message svg.lucide-circle-check")).to_be_visible()
    snap(page, "order-result-paid")
    assert _valid_until(line_id) == add_period(until, "month")

    page.locator("#result-receipt").click()
    expect(page.locator("#receipt")).to_contain_text("HY")
    snap(page, "receipt")
    page.goto(f"{page.app_url}/orders")
    expect(page.locator(".heyon-order").first).to_contain_text("已完成")
    expect(page.locator(".heyon-order").first).to_contain_text("¥59.00")
    expect(page.locator(".heyon-order").first).to_contain_text(
        local_date(add_period(until, "month"))
    )
    snap(page, "orders")
    page.goto(f"{page.app_url}/")
    expect(page.locator("#line-card")).to_contain_text(local_date(add_period(until, "month")))
    expect(page.locator("#expiry-banner")).to_have_count(0)

    mails = wait_for(lambda: mailbox.to(email))
    assert len(mails) == 1 and "HY" in mails[0]["Subject"]
    assert wait_for(lambda: len(_sent(email)) == 2), "the mail and the SMS were not both sent"
    sent = _sent(email)
    assert sorted(channel for channel, _ in sent) == ["email", "sms"]
    assert "HY" in next(body for channel, body in sent if channel == "sms")


def _sent(email: str) -> list[tuple[str, str]]:
    """(channel, body) of each message sent to the customer, read afresh."""
    with session_scope() as session:
        return [
            (n.channel, n.body)
            for n in session.exec(
                select(Notification)
                .join(User, User.id == Notification.user_id)
                .where(User.email == email, Notification.status == "sent")
            )
        ]


def _choose_method(page, method: str, label: str) -> None:
    # Once the page's loader has answered (Pay is enabled only then): a choice made before
    # it would be overwritten by the method the customer used last.
    expect(page.locator("#pay")).to_be_enabled()
    page.locator("label.heyon-method", has_text=label).click()
    expect(page.locator(f"#method-{method}")).to_be_checked()


def test_the_package_and_payment_method_wait_for_the_page_to_be_ready(page):
    """The page's loader sets the package asked for and the method the customer used last:
    a choice made before it had run was undone, so they are offered once it has."""
    email, line_id, _ = _customer()
    signed_in(page, email)
    ready = ReadyHeld(page)
    page.goto(f"{page.app_url}/renew?line={line_id}&package=DATA_M")
    expect(page.locator("#review-total")).to_have_text("¥59.00")
    expect(page.locator("#method-alipay")).to_be_disabled()
    expect(page.locator("#package-DATA_Q")).to_be_disabled()
    # A customer's tap, which Playwright would wait with until the method is enabled.
    page.locator("label.heyon-method", has_text="支付宝").click(force=True)
    expect(page.locator("#method-card")).to_be_checked()

    ready.release()
    _choose_method(page, "alipay", "支付宝")
    page.locator("#package-DATA_Q").click()
    expect(page.locator("#review-total")).to_have_text("¥159.00")


def test_declined_card_changes_nothing_and_another_card_pays(page):
    email, line_id, until = _customer()
    signed_in(page, email, at=f"/renew?line={line_id}&package=DATA_M")
    _fill_card(page, "4000000000000002")
    page.locator("#pay").click()
    expect(page.locator("#pay-error")).to_contain_text("银行卡被拒绝")
    snap(page, "renew-declined")
    assert _valid_until(line_id) == until

    _fill_card(page, "4242424242424242")
    page.locator("#pay").click()
    expect(page.locator("#result-message")).to_contain_text("支付成功", timeout=20_000)
    assert _valid_until(line_id) == add_period(until, "month")


def test_alipay_failed_then_authorized(page):
    email, line_id, until = _customer()
    signed_in(page, email, at=f"/renew?line={line_id}&package=DATA_Q")
    _choose_method(page, "alipay", "支付宝")
    page.locator("#pay").click()
    page.locator("#fail").click()
    expect(page.locator("#result-message")).to_contain_text("付款未成功", timeout=20_000)
    expect(page.locator("#result-message svg.lucide-circle-x")).to_be_visible()
    snap(page, "order-result-failed")
    assert _valid_until(line_id) == until

    page.locator("#result-retry").click()
    expect(page.locator("#review-total")).to_have_text("¥159.00")
    _choose_method(page, "alipay", "支付宝")
    page.locator("#pay").click()
    page.locator("#authorize").click()
    expect(page.locator("#result-message")).to_contain_text("支付成功", timeout=20_000)
    assert _valid_until(line_id) == add_period(until, "quarter")


def test_wechat_pay_qr_is_shown_and_paid(page):
    email, line_id, until = _customer()
    signed_in(page, email, at=f"/renew?line={line_id}&package=DATA_M")
    _choose_method(page, "wechat_pay", "微信支付")
    page.locator("#pay").click()
    expect(page.locator("#wechat-qr")).to_be_visible()
    snap(page, "renew-wechat-qr")
    # The tester "scans" the code: Stripe's test page for the payment, in another tab.
    scanner = page.context.new_page()
    scanner.goto(page.locator("#wechat-qr-link").get_attribute("href"))
    scanner.locator("#authorize").click()
    expect(scanner.locator("#outcome")).to_contain_text("succeeded")
    expect(page.locator("#result-message")).to_contain_text("支付成功", timeout=20_000)
    assert _valid_until(line_id) == add_period(until, "month")


def test_new_customer_buys_a_first_esim(page):
    email, _, _ = _customer(with_line=False)
    signed_in(page, email)
    # The dashboard's first step for a customer without a line leads to the packages.
    page.locator("#first-buy").click()
    page.locator('.heyon-offer[data-code="VOICE_M"]').get_by_role("link", name="选择").click()
    expect(page).to_have_url(re.compile(r"/renew\?package=VOICE_M$"))
    expect(page.get_by_role("heading", name="购买 eSIM")).to_be_visible()
    expect(page.locator("#renew-device-check")).to_contain_text("先检查手机是否支持 eSIM")
    expect(page.locator("#package-VOICE_M")).to_have_attribute("data-state", "checked")
    expect(page.locator("#review-total")).to_have_text("¥39.00")
    expect(page.locator("#review-line")).to_contain_text("新 eSIM")
    snap(page, "buy-first-esim")
    _fill_card(page, "4242424242424242")
    page.locator("#pay").click()
    expect(page.locator("#result-message")).to_contain_text("新 eSIM", timeout=20_000)
    expect(page.locator("#result-activate")).to_have_attribute(
        "href", re.compile(r"/activate\?line=\d+")
    )
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        line = session.exec(select(EsimLine).where(EsimLine.user_id == user.id)).one()
        assert line.status == "not_installed"
        assert line.activation_code.startswith("LPA:1$smdp.heyon.local$")


def test_receipt_of_someone_else_is_not_shown(page):
    email, _, _ = _customer()
    signed_in(page, email, at="/orders/receipt?order=1")
    expect(page.locator("#receipt-error")).to_be_visible()


def test_card_asking_for_3d_secure_fails_then_passes(page):
    email, line_id, until = _customer()
    signed_in(page, email, at=f"/renew?line={line_id}&package=DATA_M")
    _fill_card(page, "4000002500003155")
    page.locator("#pay").click()
    page.get_by_role("button", name="Fail authentication").click()
    expect(page.locator("#pay-error")).to_contain_text("验证未通过")
    assert _valid_until(line_id) == until

    page.locator("#pay").click()
    page.get_by_role("button", name="Complete authentication").click()
    expect(page.locator("#result-message")).to_contain_text("支付成功", timeout=20_000)
    assert _valid_until(line_id) == add_period(until, "month")


def test_renew_page_in_english(page):
    email, line_id, _ = _customer()
    signed_in(page, email, at=f"/renew?line={line_id}&package=DATA_Q")
    expect(page.locator("#review-package")).to_have_text("流量季套餐")
    page.locator("#language-switch").click()
    expect(page.get_by_role("heading", name="Renew", exact=True)).to_be_visible()
    expect(page.locator("#review-package")).to_have_text("Data Quarterly")
    expect(page.locator("#review-period")).to_have_text("3 months")
    expect(page.locator("#pay")).to_have_text("Pay ¥159.00")
    expect(page.locator("#test-mode-banner")).to_contain_text("no real money")
    snap(page, "renew-en")
