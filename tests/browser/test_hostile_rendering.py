"""Markup and script typed into real forms come back as the text that was typed: a support
ticket (the customer's page and the admin's queue), the admin's answer, a promotion's names.
No element is injected, no script runs, no dialog opens, and a right-to-left override in
someone's text reverses only that text, never the words shown after it."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from heyon_app import routes
from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.models import Promotion, SupportTicket, User
from heyon_app.services import audit
from tests import catalogue, factories
from tests.browser.conftest import signed_in, snap

ADMIN = ("admin@heyon.local", "Heyon-demo-2026")
PASSWORD = "Quartz-harbour-5521"

SUBJECT = '<img src=x onerror="window.__pwned=1;alert(1)">'
MESSAGE = "<script>window.__pwned=2;alert(2)</script> \u202eevil\u202c {{7*7}} ' OR 1=1 --"
ANSWER = '<b id="injected" onmouseover="alert(3)">bold</b><iframe src="javascript:alert(4)">'
NAME_ZH = "<svg onload=alert(5)>优惠"
NAME_EN = '"><script>window.__pwned=6</script>'

# Anything our payloads would have put in the page had they been parsed as markup.
_INJECTED_JS = """
() => {
  const found = [...document.querySelectorAll(
    "#injected, iframe, img[src='x'], [onerror], [onload], [onmouseover]"
  )].map((el) => el.outerHTML.slice(0, 80));
  if (window.__pwned !== undefined) found.push("window.__pwned=" + window.__pwned);
  for (const s of document.scripts) if (s.text.includes("__pwned")) found.push("a script");
  return found;
}
"""


def zh(key: str, **params) -> str:
    return translate(key, "zh-CN", **params)


@pytest.fixture
def catalogue_restored(app_db):
    with catalogue.restored():
        yield


def _watch_dialogs(page) -> list[str]:
    opened: list[str] = []

    def dismiss(dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


def _nothing_injected(page, dialogs: list[str]) -> None:
    assert page.evaluate(_INJECTED_JS) == []
    assert dialogs == []


def test_markup_in_a_ticket_and_its_answer_shows_as_typed(page, mailbox):
    dialogs = _watch_dialogs(page)
    with session_scope() as session:
        customer = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        email, customer_id = customer.email, customer.id
    signed_in(page, email, at="/support")
    page.get_by_label("主题").fill(SUBJECT)
    page.get_by_label("问题描述").fill(MESSAGE)
    page.locator("#support-submit").click()
    expect(page.locator("#form-notice")).to_contain_text("工单已提交")
    mine = page.locator(".heyon-ticket").first
    expect(mine).to_contain_text(SUBJECT)
    _nothing_injected(page, dialogs)
    snap(page, "hostile-support")
    with session_scope() as session:
        ticket = session.exec(
            select(SupportTicket).where(SupportTicket.user_id == customer_id)
        ).one()
        assert (ticket.subject, ticket.message) == (SUBJECT, MESSAGE)

    page.locator("#logout").click()
    signed_in(page, ADMIN[0], at="/admin/tickets")
    card = page.locator(f'.heyon-admin-ticket[data-ticket="{ticket.id}"]')
    expect(card.locator(".heyon-ticket-subject")).to_have_text(SUBJECT)
    expect(card.locator(".heyon-ticket-message")).to_contain_text("<script>window.__pwned=2;")
    _nothing_injected(page, dialogs)
    snap(page, "hostile-admin-tickets")
    card.get_by_label("回复内容").fill(ANSWER)
    card.locator(".heyon-answer-submit").click()
    expect(page.locator("#form-notice")).to_have_text("已回复，客户会收到邮件。")
    page.locator("#tickets-answered").click()
    expect(card.locator(".heyon-ticket-answer")).to_have_text(ANSWER)
    _nothing_injected(page, dialogs)

    page.locator("#logout").click()
    signed_in(page, email, at="/support")
    expect(page.locator(".heyon-ticket-answer").first).to_have_text(ANSWER)
    _nothing_injected(page, dialogs)
    snap(page, "hostile-support-answered")


def test_markup_in_a_promotions_names_shows_as_typed(page, catalogue_restored):
    dialogs = _watch_dialogs(page)
    code = "XSS" + uuid.uuid4().hex[:8].upper()
    signed_in(page, ADMIN[0], at=routes.ADMIN_PROMOTIONS)
    page.locator("#promo-new").click()
    page.locator("#promo-kind").select_option("promo_code")
    page.locator("#promo-code").fill(code)
    page.locator("#promo-name-zh").fill(NAME_ZH)
    page.locator("#promo-name-en").fill(NAME_EN)
    page.locator("#promo-percent-off").fill("5")
    page.locator("#promo-save").click()
    expect(page.locator("#form-notice")).to_have_text(zh("common.saved"))
    expect(page.locator(f"#promo-{code}")).to_contain_text(NAME_ZH)
    _nothing_injected(page, dialogs)
    snap(page, "hostile-admin-promotions")
    with session_scope() as session:
        stored = session.exec(select(Promotion).where(Promotion.code == code)).one()
        assert (stored.name_zh, stored.name_en) == (NAME_ZH, NAME_EN)


# Where each of `words`, searched in order through the element's text, starts on screen
# (left, top).
_LEFT_EDGES_JS = """
(el, words) => {
  const nodes = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) nodes.push(n);
  const text = nodes.map((n) => n.data).join("");
  const at = (index, end) => {
    for (const n of nodes) {
      if (index < n.data.length || (end && index === n.data.length)) return [n, index];
      index -= n.data.length;
    }
  };
  let from = 0;
  return words.map((word) => {
    const start = text.indexOf(word, from);
    if (start < 0) return null;
    from = start + word.length;
    const range = document.createRange();
    range.setStart(...at(start));
    range.setEnd(...at(from, true));
    const box = range.getBoundingClientRect();
    return [Math.round(box.left), Math.round(box.top)];
  });
}
"""


def test_a_right_to_left_override_in_a_name_stays_in_that_name(page, catalogue_restored):
    """The audit log shows a renamed promotion as "name_zh: old → new": an override in the
    old name must not turn the arrow and the new name around."""
    # Short enough for the whole line to fit a phone's width.
    tag = uuid.uuid4().hex[:5].upper()
    old, new = f"\u202e旧名{tag}", f"新名{tag}"
    with session_scope() as session:
        admin = session.exec(select(User).where(User.email == ADMIN[0])).one()
        promotion = Promotion(code="RLO" + tag, kind="promo_code", name_zh=old, name_en=tag)
        session.add(promotion)
        session.flush()
        target = f"promotion:{promotion.id}"
        audit.change(
            session,
            actor=admin,
            obj=promotion,
            values={"name_zh": new},
            action="promotion.update",
            target=target,
        )
    signed_in(page, ADMIN[0], at=routes.ADMIN_AUDIT)
    page.locator("#audit-target").fill(target)
    page.locator("#audit-apply").click()
    # A promotion id may come again after catalogue_restored deleted the last one.
    entry = page.locator(".heyon-audit-entry").filter(has_text=new)
    expect(entry).to_have_count(1)
    edges = entry.evaluate(_LEFT_EDGES_JS, ["name_zh", f"旧名{tag}", "→", new])
    assert None not in edges, edges
    lefts, tops = zip(*edges, strict=True)
    assert len(set(tops)) == 1 and list(lefts) == sorted(lefts), edges
    snap(page, "hostile-audit-override")
