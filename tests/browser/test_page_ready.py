"""A control that its page's loader would undo or send astray is offered only once that
loader has answered: with the page's "ready" message held back it is disabled, and
enabled as soon as the message arrives."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import select

from heyon_app.db import session_scope
from heyon_app.models import User
from heyon_app.services import audit
from heyon_app.services.admin_catalog import AUDIT_PAGE_SIZE
from tests.browser.conftest import ADMIN, ReadyHeld, signed_in
from tests.browser.test_admin_ops import _customer_with_history


def _disabled_until_ready(page, url: str, shown, control) -> None:
    """`shown` is drawn from the page's loader's answer, so it has arrived."""
    ready = ReadyHeld(page)
    page.goto(url)
    expect(shown).to_be_visible()
    expect(control).to_be_disabled()
    ready.release()
    expect(control).to_be_enabled()


def test_admin_refund_promotion_edit_and_audit_pager_wait_for_the_page_to_be_ready(page):
    c = _customer_with_history()
    signed_in(page, ADMIN[0])
    paid = page.locator(f'.heyon-admin-order[data-order="{c.order_id}"]')
    # The refund's notice and its watch follow the customer the page shows once loaded.
    _disabled_until_ready(
        page,
        f"{page.app_url}/admin/customers?user={c.user_id}",
        paid,
        paid.locator(".heyon-refund"),
    )
    # The loader closes the promotion form: an edit opened before it would vanish.
    edit = page.locator("[id^=promo-edit-]").first
    _disabled_until_ready(page, f"{page.app_url}/admin/promotions", edit, edit)
    # The loader goes back to the first page of no filter: a turn taken before it is undone.
    with session_scope() as session:
        admin = session.exec(select(User).where(User.email == ADMIN[0])).one()
        for n in range(AUDIT_PAGE_SIZE + 1):
            audit.record(session, actor=admin, action="test.page", target=f"page:{n}")
    newest = page.locator(".heyon-audit-entry", has_text=f"page:{AUDIT_PAGE_SIZE}")
    older = page.locator("#audit-older")
    _disabled_until_ready(page, f"{page.app_url}/admin/audit", newest, older)


def test_receipt_print_waits_for_the_page_to_be_ready(page):
    c = _customer_with_history()
    signed_in(page, c.email)
    receipt = page.locator("#receipt")
    _disabled_until_ready(
        page,
        f"{page.app_url}/orders/receipt?order={c.order_id}",
        receipt,
        page.locator("#receipt-print"),
    )
