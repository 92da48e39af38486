"""The admin's promotions, packages and audit log in the browser; who may open admin pages;
and the issue's story: the renewal discount switched on prices a returning customer's order
through Stripe, switched off it is gone, and the audit log shows both switches."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import col, select

from heyon_app import clock, routes
from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.models import AuditLog, Order, Promotion, PromotionRedemption, User
from heyon_app.money import Money
from tests import catalogue, factories
from tests.browser.conftest import ADMIN, signed_in, snap
from tests.browser.test_checkout_flow import _fill_card

PASSWORD = "Maple-lantern-4827"


def zh(key: str, **params) -> str:
    return translate(key, "zh-CN", **params)


@pytest.fixture
def catalogue_restored(app_db):
    with catalogue.restored():
        yield


def _returning_customer() -> tuple[str, int]:
    """A fresh customer with a line and one earlier paid order: a returning customer."""
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        line = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=5))
        factories.order(session, line=line, status="fulfilled", with_intent=False)
        return user.email, line.id


def _renewal() -> Promotion:
    with session_scope() as session:
        return session.exec(select(Promotion).where(Promotion.kind == "renewal_discount")).one()


def _data_m_price() -> Money:
    with session_scope() as session:
        package = factories.package(session, "DATA_M")
        return Money(package.price_minor, package.currency)


def test_the_renewal_discount_switched_on_prices_a_returning_customers_order_then_off_again(
    page, open_page, app_url, local_stripe, catalogue_restored
):
    renewal = _renewal()
    assert not renewal.active  # seeded off; the fixture puts it back that way
    price = _data_m_price()
    discount = price.percent(renewal.percent_off)
    email, line_id = _returning_customer()

    signed_in(page, ADMIN[0], at=routes.ADMIN_PROMOTIONS)
    switch = page.locator(f"#promo-switch-{renewal.code}")
    expect(switch).to_have_attribute("data-state", "unchecked")
    switch.click()
    expect(page.locator("#form-notice")).to_have_text(zh("admin.promotions.switched_on"))
    expect(switch).to_have_attribute("data-state", "checked")
    expect(page.locator(f"#promo-{renewal.code}")).to_contain_text(zh("admin.promotions.on"))
    snap(page, "admin-promotions-renewal-on")

    customer = open_page(app_url)
    signed_in(customer, email, at=routes.renew_url(line_id, "DATA_M"))
    expect(customer.locator("#review-promotion")).to_have_text(renewal.name_zh)
    expect(customer.locator("#review-why")).to_have_text(zh("promo.why.renewal_discount"))
    expect(customer.locator("#review-price s")).to_have_text(price.format())
    expect(customer.locator("#review-discount")).to_contain_text("-" + discount.format())
    expect(customer.locator("#review-total")).to_have_text((price - discount).format())
    snap(customer, "renew-with-renewal-discount")
    _fill_card(customer, "4242424242424242")
    customer.locator("#pay").click()
    expect(customer.locator("#result-message")).to_contain_text("支付成功", timeout=20_000)
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        order = session.exec(
            select(Order)
            .where(Order.user_id == user.id, Order.status == "fulfilled")
            .order_by(col(Order.id).desc())
        ).first()
        assert (order.amount_minor, order.discount_minor) == (
            (price - discount).minor,
            discount.minor,
        )
        assert order.promotion_id == renewal.id
        redemption = session.exec(
            select(PromotionRedemption).where(PromotionRedemption.order_id == order.id)
        ).one()
        assert (redemption.status, redemption.discount_minor) == ("redeemed", discount.minor)

    switch.click()
    expect(page.locator("#form-notice")).to_have_text(zh("admin.promotions.switched_off"))
    expect(switch).to_have_attribute("data-state", "unchecked")
    customer.goto(f"{app_url}{routes.renew_url(line_id, 'DATA_M')}")
    expect(customer.locator("#review-total")).to_have_text(price.format())
    expect(customer.locator("#review-promotion")).to_have_text(zh("checkout.no_promotion"))
    expect(customer.locator("#review-discount")).to_have_count(0)
    expect(customer.locator("#review-why")).to_have_count(0)
    expect(customer.locator("#review-price s")).to_have_count(0)
    customer.context.close()

    page.goto(f"{page.app_url}{routes.ADMIN_AUDIT}")
    page.locator("#audit-target").fill(f"promotion:{renewal.id}")
    page.locator("#audit-apply").click()
    entries = page.locator(".heyon-audit-entry")
    expect(entries.first).to_contain_text(zh("audit.action.promotion.switch_off"))
    expect(entries.nth(1)).to_contain_text(zh("audit.action.promotion.switch_on"))
    for n in (0, 1):
        expect(entries.nth(n)).to_contain_text(ADMIN[0])
    expect(entries.first).to_contain_text("active: True → False")
    expect(entries.nth(1)).to_contain_text("active: False → True")
    snap(page, "admin-audit-switches")


def test_admin_creates_checks_and_edits_a_promo_code_and_previews_prices(page, catalogue_restored):
    code = "TEST" + uuid.uuid4().hex[:8].upper()
    signed_in(page, ADMIN[0], at=routes.ADMIN_PROMOTIONS)
    expect(page.get_by_role("heading", name=zh("page.admin.promotions.title"))).to_be_visible()
    expect(page.locator("#promotions .rt-Card")).to_have_count(len(_all_promotions()))
    # The seeded free month is for monthly packages: the period is named, not its code.
    free_month = page.locator("#promotions .rt-Card", has_text="FIRST_MONTH_FREE")
    expect(free_month).to_contain_text(zh("period.month"))
    expect(free_month).not_to_contain_text("month")
    snap(page, "admin-promotions")

    page.locator("#promo-new").click()
    form = page.locator("#promo-form")
    page.locator("#promo-kind").select_option("promo_code")
    page.locator("#promo-code").fill(code.lower() + "-x")
    page.locator("#promo-name-zh").fill("测试优惠")
    page.locator("#promo-name-en").fill("Test offer")
    page.locator("#promo-percent-off").fill("120")
    page.locator("#promo-save").click()
    expect(form.locator("#form-error")).to_have_text(zh("admin.promotions.error.promo_code"))
    page.locator("#promo-code").fill(code)
    page.locator("#promo-save").click()
    expect(form.locator("#form-error")).to_have_text(zh("admin.promotions.error.percent"))
    # What was typed stays, so only the field named needs fixing.
    expect(page.locator("#promo-name-zh")).to_have_value("测试优惠")
    page.locator("#promo-percent-off").fill("20")
    page.locator("#promo-starts-at").fill("2026-12-02T08:00")
    page.locator("#promo-ends-at").fill("2026-12-01T08:00")
    page.locator("#promo-save").click()
    expect(form.locator("#form-error")).to_have_text(zh("admin.promotions.error.window"))
    snap(page, "admin-promotion-form-error")
    page.locator("#promo-starts-at").fill("")
    page.locator("#promo-ends-at").fill("")
    page.locator("#promo-max-redemptions").fill("50")
    page.locator("#promo-package-codes").fill("DATA_M")
    page.locator("#promo-save").click()
    expect(page.locator("#form-notice")).to_have_text(zh("common.saved"))
    card = page.locator(f"#promo-{code}")
    expect(card).to_contain_text("测试优惠")
    expect(card).to_contain_text("20%")
    expect(page.locator(f"#promo-switch-{code}")).to_have_attribute("data-state", "unchecked")

    page.locator(f"#promo-edit-{code}").click()
    expect(page.locator("#promo-code")).to_have_value(code)
    expect(page.locator("#promo-max-redemptions")).to_have_value("50")
    page.locator("#promo-percent-off").fill("")
    page.locator("#promo-amount-off").fill("12.50")
    page.locator("#promo-save").click()
    expect(card).to_contain_text("¥12.50")
    with session_scope() as session:
        stored = session.exec(select(Promotion).where(Promotion.code == code)).one()
        assert (stored.amount_off_minor, stored.percent_off, stored.active) == (1250, 0, False)

    # The preview: DATA_M for a new customer, the typed code as if entered.
    price = _data_m_price()
    page.locator("#preview-package").select_option("DATA_M")
    page.locator("#preview-customer").select_option("new")
    page.locator("#preview-run").click()
    preview = page.locator(f"#preview-{code}")
    expect(preview).to_contain_text(zh("promo.reason.inactive"))
    expect(preview).to_contain_text(price.format())
    page.locator(f"#promo-switch-{code}").click()
    expect(page.locator(f"#promo-switch-{code}")).to_have_attribute("data-state", "checked")
    page.locator("#preview-run").click()
    expect(preview).to_contain_text(zh("promo.why.promo_code"))
    expect(preview).to_contain_text((price - Money(1250, price.currency)).format())
    snap(page, "admin-promotion-preview")


def _all_promotions() -> list[Promotion]:
    with session_scope() as session:
        return list(session.exec(select(Promotion)))


def test_admin_edits_a_package_price_in_yuan_and_takes_it_off_sale(
    page, open_page, app_url, catalogue_restored
):
    signed_in(page, ADMIN[0], at=routes.ADMIN_PACKAGES)
    expect(page.get_by_role("heading", name=zh("page.admin.packages.title"))).to_be_visible()
    snap(page, "admin-packages")
    card = page.locator("#package-ROAM_GLOBAL_Y")
    price = page.locator("#package-ROAM_GLOBAL_Y-price")
    expect(price).to_have_value("1999.00")
    price.fill("1,999")
    page.locator("#package-save-ROAM_GLOBAL_Y").click()
    expect(card.locator("#form-error")).to_have_text(zh("admin.packages.error.price"))
    price.fill("1899.5")
    page.locator("#package-ROAM_GLOBAL_Y-minutes").fill("350")
    page.locator("#package-save-ROAM_GLOBAL_Y").click()
    expect(card.locator("#form-notice")).to_have_text(zh("common.saved"))
    expect(card).to_contain_text("¥1,899.50")
    expect(page.locator("#package-ROAM_GLOBAL_Y-price")).to_have_value("1899.50")
    with session_scope() as session:
        stored = factories.package(session, "ROAM_GLOBAL_Y")
        assert (stored.price_minor, stored.minutes) == (189_950, 350)

    page.locator("#package-switch-ROAM_GLOBAL_Y").click()
    expect(card.locator("#form-notice")).to_have_text(zh("admin.packages.switched_off"))
    expect(card).to_contain_text(zh("admin.packages.off_sale"))
    # A customer choosing a package no longer sees it.
    email, line_id = _returning_customer()
    customer = open_page(app_url)
    signed_in(customer, email, at=routes.renew_url(line_id))
    expect(customer.locator("#package-DATA_M")).to_be_visible()
    expect(customer.locator("#package-ROAM_GLOBAL_Y")).to_have_count(0)
    customer.context.close()

    page.goto(f"{page.app_url}{routes.ADMIN_AUDIT}")
    page.locator("#audit-action").select_option("package.update")
    page.locator("#audit-apply").click()
    first = page.locator(".heyon-audit-entry").first
    expect(first).to_contain_text("ROAM_GLOBAL_Y")
    expect(first).to_contain_text("price_minor: 199900 → 189950")
    expect(first).to_contain_text("minutes: 300 → 350")
    expect(first).to_contain_text(zh("audit.action.package.update"))
    snap(page, "admin-audit")
    page.locator("#language-switch").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(page.locator("#audit-apply")).to_have_text("Apply filter")
    expect(first).to_contain_text(translate("audit.action.package.update", "en"))
    page.locator("#language-switch").click()


def test_a_payment_of_the_wrong_amount_shows_in_the_audit_log_as_the_systems(page, app_db):
    """Stripe's notices the system records for an admin to act on are in the admins' trail."""
    target = f"order:{uuid.uuid4().int % 10**9}"
    with session_scope() as session:
        session.add(
            AuditLog(action="payment.amount_mismatch", target=target, detail="paid 1 CNY of 30")
        )
        session.commit()
    signed_in(page, ADMIN[0], at=routes.ADMIN_AUDIT)
    page.locator("#audit-target").fill(target)
    page.locator("#audit-apply").click()
    entries = page.locator(".heyon-audit-entry")
    expect(entries).to_have_count(1)
    for text in (zh("audit.action.payment.amount_mismatch"), zh("admin.audit.system"), target):
        expect(entries.first).to_contain_text(text)
    expect(entries.first).to_contain_text("paid 1 CNY of 30")
    snap(page, "admin-audit-system-entry")


def test_admin_pages_send_others_away(page, app_db):
    """Every admin section (from routes.ADMIN_SECTIONS): anonymous to the login page, a
    customer to their dashboard; neither sees admin content."""
    for route, _label, _icon in routes.ADMIN_SECTIONS:
        page.goto(f"{page.app_url}{route}")
        page.wait_for_function("() => location.pathname === '/login'")
    with session_scope() as session:
        email = factories.customer(session, password_hash=factories.password_hash(PASSWORD)).email
    signed_in(page, email)
    for route, _label, _icon in routes.ADMIN_SECTIONS:
        page.goto(f"{page.app_url}{route}")
        page.wait_for_function("() => location.pathname === '/'")
        expect(page.get_by_role("heading", name="我的 eSIM")).to_be_visible()
        expect(page.locator(".heyon-admin-nav")).to_have_count(0)
