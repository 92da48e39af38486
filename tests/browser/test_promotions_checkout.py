"""The customer's side of promotions in the browser (each page looked at at both widths): a
new customer verifies a number by SMS code and gets the first month free without a card; a
promo code on the review page says why it does not apply, or strikes the list price through
when it does."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from heyon_app.db import session_scope
from heyon_app.models import FreeMonthClaim, Notification, Order, Promotion, User
from heyon_app.settings import settings
from tests import factories
from tests.browser.conftest import signed_in, snap

PASSWORD = "Maple-lantern-4827"


@pytest.fixture
def first_month_free(app_db) -> Iterator[None]:
    """FIRST_MONTH_FREE on for this test only: other tests' prices must not change."""
    with session_scope() as s:
        row = s.exec(select(Promotion).where(Promotion.code == "FIRST_MONTH_FREE")).one()
        was, row.active = row.active, True
    yield
    with session_scope() as s:
        s.exec(select(Promotion).where(Promotion.code == "FIRST_MONTH_FREE")).one().active = was


def _new_customer() -> tuple[str, str]:
    with session_scope() as s:
        user = factories.customer(s, password_hash=factories.password_hash(PASSWORD))
        return user.email, user.phone


def _texts_to(phone: str) -> list[str]:
    """SMS bodies the app's SMS provider delivered to `phone` (its outbox folder)."""
    folder = settings.sms_outbox_dir
    found = []
    for path in sorted(folder.glob("*.json")) if folder.exists() else []:
        message = json.loads(path.read_text("utf-8"))
        if message["to"] == phone:
            found.append(message["body"])
    return found


def _sms_code(phone: str, count: int, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while len(texts := _texts_to(phone)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(texts) >= count, f"no SMS code reached {phone}"
    return re.findall(r"(?<![0-9])[0-9]{6}(?![0-9])", texts[-1])[0]


def test_a_new_customer_verifies_a_number_and_gets_the_first_month_free_without_a_card(
    page, first_month_free
):
    email, phone = _new_customer()
    signed_in(page, email, at="/renew?package=DATA_M")
    expect(page.locator("#review-total")).to_have_text("¥59.00")
    expect(page.locator("#phone-check")).to_be_visible()
    expect(page.locator("#phone-input")).to_have_value(phone)
    snap(page, "promo-verify-number")

    page.locator("#phone-send").click()
    expect(page.locator("#phone-notice")).to_contain_text("验证码已发送")
    code = _sms_code(phone, 1)
    page.locator("#phone-send").click()  # too soon for another code
    expect(page.locator("#phone-error")).to_contain_text("太频繁")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page.locator("#phone-code-input").fill(wrong)
    page.locator("#phone-verify").click()
    expect(page.locator("#phone-error")).to_contain_text("验证码错误，还可以再试 4 次")
    snap(page, "promo-wrong-code")

    page.locator("#phone-code-input").fill(code)
    page.locator("#phone-verify").click()
    expect(page.locator("#review-total")).to_have_text("¥0.00")
    expect(page.locator("#phone-check")).to_have_count(0)
    expect(page.locator("#review-price s")).to_have_text("¥59.00")
    expect(page.locator("#review-promotion")).to_have_text("新用户首月免费")
    expect(page.locator("#review-why")).to_contain_text("第一个月套餐")
    expect(page.locator("#free-hint")).to_be_visible()
    expect(page.locator("#card-element")).to_be_hidden()
    expect(page.locator("#pay")).to_have_text("确认免费开通")
    snap(page, "promo-first-month-free")

    page.locator("#pay").click()
    expect(page).to_have_url(re.compile(r"/orders/result\?order=\d+"))
    expect(page.locator("#result-message")).to_contain_text("新 eSIM 已开通", timeout=20_000)
    expect(page.locator("#result-activate")).to_be_visible()
    page.locator("#result-receipt").click()
    expect(page.locator("#receipt-promotion")).to_contain_text("新用户首月免费")
    expect(page.locator("#receipt-discount")).to_contain_text("-¥59.00")
    snap(page, "promo-free-receipt")

    with session_scope() as s:
        user = s.exec(select(User).where(User.email == email)).one()
        order = s.exec(select(Order).where(Order.user_id == user.id)).one()
        assert (order.status, order.amount_minor, order.payment_method) == (
            "fulfilled",
            0,
            "free",
        )
        assert order.payment_intent_id is None  # Stripe was never asked
        assert s.get(FreeMonthClaim, user.phone).order_id == order.id
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            sent = s.exec(
                select(Notification).where(
                    Notification.user_id == user.id, Notification.status == "sent"
                )
            ).all()
            if len(sent) >= 3:
                break
            time.sleep(0.1)
            s.expire_all()
        # The code SMS, the receipt mail and the receipt SMS.
        assert sorted(n.channel for n in sent) == ["email", "sms", "sms"]


def test_a_promo_code_says_why_it_does_not_apply_or_strikes_the_price_through(page):
    with session_scope() as s:
        user = factories.customer(s, password_hash=factories.password_hash(PASSWORD))
        line = factories.line(s, user=user)
        email, line_id = user.email, line.id
        code = "T" + uuid.uuid4().hex[:8].upper()
        s.add(
            Promotion(
                code=code,
                kind="promo_code",
                name_zh="测试八折",
                name_en="Test 20% off",
                percent_off=20,
                package_codes="DATA_M",
                active=True,
            )
        )
    signed_in(page, email, at=f"/renew?line={line_id}&package=DATA_M")
    expect(page.locator("#review-total")).to_have_text("¥59.00")
    page.locator("#promo-code-input").fill("NOPE-" + code)
    page.locator("#promo-apply").click()
    expect(page.locator("#promo-error")).to_have_text("优惠码无效，请检查后重新输入。")
    page.locator("#promo-code-input").fill(code.lower())
    page.locator("#promo-apply").click()
    expect(page.locator("#review-total")).to_have_text("¥47.20")
    expect(page.locator("#review-price s")).to_have_text("¥59.00")
    expect(page.locator("#review-promotion")).to_have_text("测试八折")
    expect(page.locator("#promo-notice")).to_contain_text(code)
    expect(page.locator("#pay")).to_contain_text("¥47.20")
    snap(page, "promo-code-applied")
    page.locator("#package-DATA_Q").click()
    expect(page.locator("#promo-error")).to_have_text("该优惠码不适用于所选套餐。")
    expect(page.locator("#review-total")).to_have_text("¥159.00")
    with session_scope() as s:
        promo = s.exec(select(Promotion).where(Promotion.code == code)).one()
        promo.active = False  # nobody else types it, but leave nothing switched on
