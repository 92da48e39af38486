"""The orders page shows every field of each order; every control's accessible name
contains its visible label (WCAG 2.5.3) on every page, in both languages."""

from __future__ import annotations

import uuid
from datetime import timedelta

from playwright.sync_api import expect

from heyon_app import clock
from heyon_app.clock import local_date
from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.models import Order
from heyon_app.money import Money
from tests import factories
from tests.browser.conftest import at_each_width, labels_not_in_name, signed_in, snap

PASSWORD = "Quiet-harbour-5193"


def _customer_with_orders() -> tuple[str, int, list[Order], tuple[str, str]]:
    """A fresh customer with a line and three orders a customer meets: paid by card and
    fulfilled, failed with Alipay, and one still awaiting payment (no method yet)."""
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        now = clock.now()
        line = factories.line(session, user=user, valid_until=now + timedelta(days=5))
        package = factories.package(session, "DATA_M")
        orders = []
        for status, method, discount in (
            ("fulfilled", "card", 500),
            ("failed", "alipay", 0),
            ("pending", "", 0),
        ):
            order = Order(
                user_id=user.id,
                line_id=line.id,
                package_id=package.id,
                status=status,
                list_price_minor=package.price_minor,
                discount_minor=discount,
                amount_minor=package.price_minor - discount,
                currency=package.currency,
                payment_method=method,
                idempotency_key=uuid.uuid4().hex,
                created_at=now - timedelta(days=3),
            )
            if status == "fulfilled":
                order.valid_until = now + timedelta(days=35)
            session.add(order)
            session.flush()
            if status == "fulfilled":
                order.receipt_number = f"HYTEST{order.id:08d}"
            orders.append(order)
        session.flush()
        for order in orders:
            session.refresh(order)
            session.expunge(order)
        package_names = (package.name_zh, package.name_en)
        return user.email, line.id, orders, package_names


def _expect_order_fields(page, order: Order, package_names: tuple[str, str], locale: str) -> None:
    card = page.locator(f"#order-{order.id}")
    expect(card.locator(".heyon-order-package")).to_have_text(package_names[locale != "zh-CN"])
    expect(card.locator(".heyon-order-status")).to_have_text(
        translate(f"orders.status.{order.status}", locale)
    )
    expect(card.locator(".heyon-order-id")).to_have_text(f"#{order.id}")
    expect(card.locator(".heyon-order-date")).to_have_text(local_date(order.created_at))
    expect(card.locator(".heyon-order-amount")).to_have_text(
        Money(order.amount_minor, order.currency).format()
    )
    method = (
        translate(f"checkout.method.{order.payment_method}", locale)
        if order.payment_method
        else "—"
    )
    expect(card.locator(".heyon-order-method")).to_have_text(method)
    expect(card.locator(".heyon-order-receipt-number")).to_have_text(order.receipt_number or "—")
    if order.valid_until:
        expect(card.locator(".heyon-order-valid-until")).to_have_text(local_date(order.valid_until))
        expect(card.locator(".heyon-order-receipt")).to_have_attribute(
            "href", f"/orders/receipt?order={order.id}"
        )
    else:
        expect(card.locator(".heyon-order-valid-until")).to_have_count(0)
        expect(card.locator(".heyon-order-receipt")).to_have_count(0)


def test_orders_page_shows_every_field_of_each_order(page):
    email, _, orders, package_names = _customer_with_orders()
    signed_in(page, email, at="/orders")
    expect(page.locator(".heyon-order")).to_have_count(len(orders))
    for order in orders:
        _expect_order_fields(page, order, package_names, "zh-CN")
    snap(page, "orders-fields")

    # The list holds keys, not texts: switching language relabels method and status.
    page.locator("#language-switch").click()
    expect(page.get_by_role("heading", name="My orders")).to_be_visible()
    for order in orders:
        _expect_order_fields(page, order, package_names, "en")
    page.locator("#language-switch").click()


def _check_names(page, where: str) -> None:
    for viewport in at_each_width(page):
        unnamed = labels_not_in_name(page)
        assert not unnamed, f"{where} ({viewport}): visible label not in accessible name: {unnamed}"


def test_language_button_is_named_by_its_visible_label(page):
    page.goto(f"{page.app_url}/login")
    # A voice-control user says what they see: "English", then "中文".
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="中文")).to_be_visible()
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("button", name="English")).to_be_visible()


def test_every_page_names_controls_by_their_visible_label(page):
    base = page.app_url
    for path in ("/login", "/register", "/forgot-password", "/reset-password?token=x"):
        page.goto(base + path)
        expect(page.locator("#language-switch")).to_be_visible()
        _check_names(page, path)

    email, line_id, orders, _ = _customer_with_orders()
    paid = orders[0]
    signed_in(page, email)
    pages = (
        "/",
        "/packages",
        "/orders",
        f"/orders/receipt?order={paid.id}",
        f"/orders/result?order={paid.id}",
        f"/renew?line={line_id}",
        f"/activate?line={line_id}",
        "/device-check",
        "/coverage",
        "/support",
        "/account",
    )
    for language, other in (("English", "中文"), ("中文", "English")):
        for path in pages:
            page.goto(base + path)
            expect(page.locator("main h1")).to_be_visible()
            _check_names(page, f"{path} (switch shows {language})")
        page.get_by_role("button", name=language).click()
        expect(page.get_by_role("button", name=other)).to_be_visible()

    page.locator("#logout").click()
    signed_in(page, "admin@heyon.local", at="/admin")
    expect(page.get_by_role("heading", name="管理后台")).to_be_visible()
    _check_names(page, "/admin")
