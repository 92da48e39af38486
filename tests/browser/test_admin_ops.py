"""The admin's overview, customers and tickets pages in a browser (each page looked at at
both widths); and the customer reading the admin's answer on the support page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import select

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.models import (
    EsimLine,
    Notification,
    Order,
    OrderTransition,
    Package,
    Payment,
    SupportTicket,
)
from heyon_app.money import Money
from heyon_app.services import billing, fulfilment, support
from heyon_app.state.admin.overview import overview_view
from tests import factories
from tests.browser.charts import assert_chart_shows
from tests.browser.conftest import ADMIN, signed_in, snap
from tests.browser.styles import unstyled
from tests.concurrency import wait_for
from tests.integration.payment_helpers import pay_with_card

PASSWORD = "Customer-pass-2026"


@dataclass
class Customer:
    user_id: int
    email: str
    phone: str
    created: str
    line_id: int
    number: str
    soon_line_id: int
    soon_number: str
    order_id: int
    ticket_id: int
    failed_order_id: int
    note_recipient: str


def _customer_with_history() -> Customer:
    """A customer with a line expiring in 3 days, a paid order (through the local Stripe), a
    failed payment, a ticket and an undelivered SMS."""
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        line = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=3))
        soon = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=2))
        order = billing.create_order(
            session, user=user, line_id=line.id, package_code="DATA_M", method="card"
        )
        session.commit()
        billing.start_payment(session, user=user, order_id=order.id, method="card")
        session.refresh(order)
        failed = billing.create_order(
            session, user=user, line_id=line.id, package_code="DATA_Q", method="card"
        )
        billing.transition(session, failed, "processing", "test")
        billing.transition(session, failed, "failed", "card_declined (test)")
        ticket = support.create_ticket(
            session, user_id=user.id, subject="Data abroad?", message="My data stops in Tokyo."
        )
        recipient = "+86" + str(uuid.uuid4().int % 10**11).zfill(11)
        session.add(
            Notification(
                user_id=user.id,
                channel="sms",
                recipient=recipient,
                body="x",
                status="failed",
                last_error="ConnectionRefusedError: SMS gateway down",
            )
        )
        info = (user.id, user.email, user.phone, clock.local_date(user.created_at), line.id)
        number, order_id, ticket_id, failed_id = line.number, order.id, ticket.id, failed.id
        soon_ids = (soon.id, soon.number)
        intent = order.payment_intent_id
    pay_with_card(intent)
    with session_scope() as session:
        # Fulfil now rather than wait for the webhook (which then finds it done).
        outcome = fulfilment.sync_order(session, order=session.get(Order, order_id), source="test")
        session.commit()
        fulfilment.send_queued(session, outcome.notifications)
    return Customer(*info, number, *soon_ids, order_id, ticket_id, failed_id, recipient)


def test_overview_shows_the_30_days_and_what_needs_a_person(page):
    c = _customer_with_history()
    with session_scope() as session:
        view = overview_view(session, None)
        soon_until = clock.local_date(session.get(EsimLine, c.soon_line_id).valid_until)
        failed = session.get(Order, c.failed_order_id)
        failed_at = session.exec(
            select(OrderTransition.at).where(
                OrderTransition.order_id == failed.id, OrderTransition.to_status == "failed"
            )
        ).one()
    signed_in(page, ADMIN[0], at="/admin")
    expect(page.get_by_role("heading", name="管理后台")).to_be_visible()
    totals = view["totals"]
    expect(page.locator("#total-renewals")).to_have_text(totals["renewals"])
    expect(page.locator("#total-revenue")).to_have_text(totals["revenue"])
    expect(page.locator("#total-expiring")).to_have_text(totals["expiring"])
    expect(page.locator("#total-failed-payments")).to_have_text(totals["failed_payments"])
    expect(page.locator("#total-failed-notifications")).to_have_text(totals["failed_notifications"])
    # A bar and a line point a day, the last day today; ours has a sale and a failure.
    chart = view["chart"]
    assert any(d["renewals"] for d in chart) and any(d["failed_payments"] for d in chart)
    assert_chart_shows(
        page.locator("#sales-chart"),
        [(d["day"], d["renewals"], d["revenue"]) for d in chart],
        names=("日期", "续费笔数", "收入（元）"),
    )
    assert_chart_shows(
        page.locator("#problems-chart"),
        [(d["day"], d["failed_payments"], d["failed_notifications"]) for d in chart],
        names=("日期", "付款失败", "通知发送失败"),
        same_scale=True,
    )

    # Lines expiring within 7 days, ours among them (the renewed one is not).
    expiring = page.locator("#expiring .heyon-expiring")
    expect(expiring).to_have_count(len(view["expiring"]))
    (mine,) = [x for x in view["expiring"] if x["number"] == c.soon_number]
    assert c.number not in [x["number"] for x in view["expiring"]]
    row = expiring.filter(has_text=c.soon_number)
    expect(row.locator(".heyon-expiring-number")).to_have_text(c.soon_number)
    expect(row.locator(".heyon-expiring-number")).to_have_attribute(
        "href", f"/admin/customers?user={c.user_id}"
    )
    expect(row.locator(".heyon-expiring-email")).to_have_text(c.email)
    expect(row.locator(".heyon-expiring-until")).to_have_text(soon_until)
    expect(row.locator(".heyon-expiring-days")).to_have_text(f"剩 {mine['days_left']} 天")

    row = page.locator(".heyon-failed-payment", has_text=c.email)
    expect(row.locator(".heyon-failed-order")).to_have_text(f"订单 #{failed.id}")
    expect(row.locator(".heyon-failed-order")).to_have_attribute(
        "href", f"/admin/customers?user={c.user_id}"
    )
    expect(row.locator(".heyon-failed-email")).to_have_text(c.email)
    expect(row.locator(".heyon-failed-amount")).to_have_text(
        Money(failed.amount_minor, failed.currency).format()
    )
    expect(row.locator(".heyon-failed-reason")).to_have_text("card_declined (test)")
    expect(row.locator(".heyon-failed-at")).to_have_text(clock.local_date(failed_at))
    expect(row.locator(".heyon-failed-status")).to_have_text("付款失败")

    note = page.locator(".heyon-failed-note", has_text=c.note_recipient)
    expect(note.locator(".heyon-note-channel")).to_have_text("短信")
    expect(note.locator(".heyon-note-recipient")).to_have_attribute(
        "href", f"/admin/customers?user={c.user_id}"
    )
    expect(note.locator(".heyon-note-error")).to_have_text(
        "ConnectionRefusedError: SMS gateway down"
    )
    expect(note.locator(".heyon-note-at")).to_have_text(clock.local_date(clock.now()))
    snap(page, "admin-overview")

    page.locator("#language-switch").click()
    expect(page.locator("#sales-chart")).to_contain_text("Renewals and revenue, last 30 days")
    expect(row.locator(".heyon-failed-status")).to_have_text("Payment failed")
    snap(page, "admin-overview-en")
    page.locator("#language-switch").click()


def test_customer_search_detail_extension_and_refund(page):
    c = _customer_with_history()
    with session_scope() as session:
        order = session.get(Order, c.order_id)
        package = session.get(Package, order.package_id)
        payment = session.exec(select(Payment).where(Payment.order_id == order.id)).one()
        valid_until = order.valid_until
    signed_in(page, ADMIN[0], at="/admin/customers")
    page.get_by_label("邮箱、手机号或号码").fill("ab")
    page.locator("#customer-search").click()
    expect(page.locator("#form-error")).to_have_text("请至少输入 3 个字符。")
    page.get_by_label("邮箱、手机号或号码").fill(c.number)
    page.locator("#customer-search").click()
    result = page.locator("#search-results .heyon-result")
    expect(result).to_have_count(1)
    expect(result).to_contain_text(c.phone)
    result.get_by_role("link", name=c.email).click()

    expect(page.locator("#customer-email")).to_have_text(c.email)
    expect(page.locator("#customer-phone")).to_have_text(c.phone)
    expect(page.locator("#customer-phone-verified")).to_have_text("未验证")
    expect(page.locator("#customer-locale")).to_have_text("中文")
    expect(page.locator("#customer-role")).to_have_text("客户")
    expect(page.locator("#customer-created")).to_have_text(c.created)

    line = page.locator(f'.heyon-admin-line[data-line="{c.line_id}"]')
    expect(line.locator(".heyon-line-number")).to_have_text(c.number)
    expect(line.locator(".heyon-line-status")).to_have_text("使用中")
    expect(line.locator(".heyon-line-package")).to_have_text(package.name_zh)
    expect(line.locator(".heyon-line-until")).to_have_text(clock.local_date(valid_until))

    paid = page.locator(f'.heyon-admin-order[data-order="{order.id}"]')
    expect(paid.locator(".heyon-order-status")).to_have_text("已完成")
    expect(paid.locator(".heyon-order-package")).to_have_text(package.name_zh)
    expect(paid.locator(".heyon-order-date")).to_have_text(clock.local_date(order.created_at))
    price = lambda minor: Money(minor, order.currency).format()  # noqa: E731
    expect(paid.locator(".heyon-order-list-price")).to_have_text(price(order.list_price_minor))
    expect(paid.locator(".heyon-order-promotion")).to_have_text("无")
    expect(paid.locator(".heyon-order-discount")).to_have_text(price(order.discount_minor))
    expect(paid.locator(".heyon-order-amount")).to_have_text(price(order.amount_minor))
    expect(paid.locator(".heyon-order-method")).to_have_text("银行卡（信用卡/借记卡）")
    expect(paid.locator(".heyon-order-receipt")).to_have_text(order.receipt_number)
    failed = page.locator(f'.heyon-admin-order[data-order="{c.failed_order_id}"]')
    expect(failed.locator(".heyon-order-status")).to_have_text("付款失败")
    expect(failed.locator(".heyon-refund")).to_have_count(0)

    pay = page.locator(".heyon-admin-payment")
    expect(pay.locator(".heyon-payment-amount")).to_have_text(price(payment.amount_minor))
    expect(pay.locator(".heyon-payment-paid")).to_have_text(clock.local_date(payment.paid_at))
    expect(pay.locator(".heyon-payment-method")).to_have_text("银行卡（信用卡/借记卡）")
    expect(pay.locator(".heyon-payment-ref")).to_have_text(payment.provider_ref)
    ticket = page.locator("#customer-tickets .heyon-admin-ticket")
    expect(ticket.locator(".heyon-ticket-subject")).to_have_text("Data abroad?")
    expect(ticket.locator(".heyon-ticket-status")).to_have_text("处理中")
    expect(ticket.locator(".heyon-ticket-created")).to_have_text(clock.local_date(clock.now()))
    note = page.locator("#customer-notifications .heyon-admin-note", has_text=c.note_recipient)
    expect(note.locator(".heyon-note-status")).to_have_text("发送失败")
    expect(note.locator(".heyon-note-error")).to_have_text(
        "ConnectionRefusedError: SMS gateway down"
    )
    receipt = page.locator("#customer-notifications .heyon-admin-note", has_text=c.email).first
    expect(receipt.locator(".heyon-note-channel")).to_have_text("邮件")
    expect(receipt.locator(".heyon-note-status")).to_have_text("已发送")
    # The pointer still rests on the clicked result, and the theme's hover colour of links is
    # lighter than its resting one: judge the page as it is read, not as hovered.
    page.mouse.move(0, 0)
    snap(page, "admin-customer")

    # A manual extension needs a reason; with one, the page shows the new date.
    page.locator("#extend-days").fill("10")
    page.locator("#extend-reason").fill("abc")
    page.locator("#extend-submit").click()
    expect(page.locator("#form-error")).to_have_text("请填写原因（至少 5 个字）。")
    expect(line.locator(".heyon-line-until")).to_have_text(clock.local_date(valid_until))
    page.locator("#extend-reason").fill("Network outage compensation")
    page.locator("#extend-submit").click()
    expect(page.locator("#form-notice")).to_have_text("有效期已延长。")
    extended = valid_until + timedelta(days=10)
    expect(line.locator(".heyon-line-until")).to_have_text(clock.local_date(extended))

    # Refund: asked once, then the order shows refunded when Stripe's webhook is handled.
    paid.locator(".heyon-refund").click()
    expect(page.get_by_role("alertdialog")).to_contain_text(price(order.amount_minor))
    # The only dialog: its styles are there although Radix's CSS is trimmed.
    assert unstyled(page) == []
    snap(page, "admin-refund-dialog")
    page.locator("#refund-confirm").click()
    expect(page.locator("#form-notice")).to_contain_text("已向 Stripe 申请退款")
    expect(paid.locator(".heyon-order-status")).to_have_text("已退款", timeout=25_000)
    expect(paid.locator(".heyon-refund")).to_have_count(0)
    expect(paid.locator(".heyon-order-refund-pending")).to_have_count(0)
    # The month bought by the refunded order is taken back from the extended date.
    with session_scope() as session:
        assert session.get(Order, c.order_id).status == "refunded"
    expect(line.locator(".heyon-line-until")).not_to_have_text(clock.local_date(extended))
    snap(page, "admin-customer-refunded")

    page.locator("#language-switch").click()
    expect(paid.locator(".heyon-order-status")).to_have_text("Refunded")
    expect(page.locator("#customer-role")).to_have_text("Customer")
    expect(line.locator(".heyon-line-status")).to_have_text("Active")
    page.mouse.move(0, 0)
    snap(page, "admin-customer-en")
    page.locator("#language-switch").click()


def _answer_mail_status(c: Customer) -> str:
    with session_scope() as session:
        return session.exec(
            select(Notification.status).where(
                Notification.user_id == c.user_id,
                Notification.subject == f"Heyon 客服已回复您的工单 #{c.ticket_id}",
            )
        ).one()


def test_ticket_answered_and_closed_and_the_customer_reads_the_answer(page, mailbox):
    c = _customer_with_history()
    signed_in(page, ADMIN[0], at="/admin/tickets")
    card = page.locator(f'.heyon-admin-ticket[data-ticket="{c.ticket_id}"]')
    expect(card.locator(".heyon-ticket-subject")).to_have_text("Data abroad?")
    expect(card.locator(".heyon-ticket-message")).to_have_text("My data stops in Tokyo.")
    expect(card.locator(".heyon-ticket-customer")).to_have_text(c.email)
    expect(card.locator(".heyon-ticket-created")).to_have_text(clock.local_date(clock.now()))
    expect(card.locator(".heyon-ticket-status")).to_have_text("处理中")
    snap(page, "admin-tickets")

    answer = "Please switch on data roaming in Settings."
    card.get_by_label("回复内容").fill(answer)
    card.locator(".heyon-answer-submit").click()
    expect(page.locator("#form-notice")).to_have_text("已回复，客户会收到邮件。")
    expect(card).to_have_count(0)  # no longer open
    page.locator("#tickets-answered").click()
    expect(card.locator(".heyon-ticket-answer")).to_have_text(answer)
    expect(card.locator(".heyon-ticket-status")).to_have_text("已回复")
    expect(card.locator(".heyon-ticket-answered")).to_have_text(
        f"回复于 {clock.local_date(clock.now())}"
    )
    # The mail goes out from a thread after the notice shows: wait for it, not a moment.
    assert wait_for(lambda: _answer_mail_status(c) == "sent")
    (received,) = wait_for(
        lambda: [m for m in mailbox.to(c.email) if f"#{c.ticket_id}" in m["Subject"]]
    )
    assert answer in received.get_content()
    snap(page, "admin-tickets-answered")

    page.locator("#logout").click()
    signed_in(page, c.email, at="/support")
    mine = page.locator(".heyon-ticket", has_text="Data abroad?")
    expect(mine).to_contain_text("已回复")
    expect(mine.locator(".heyon-ticket-answer")).to_have_text(answer)
    expect(mine).to_contain_text("客服回复")
    snap(page, "support-answered")

    page.locator("#logout").click()
    signed_in(page, ADMIN[0], at="/admin/tickets")
    page.locator("#tickets-answered").click()
    card.locator(".heyon-close-ticket").click()
    expect(page.locator("#form-notice")).to_have_text("工单已关闭。")
    page.locator("#tickets-closed").click()
    expect(card.locator(".heyon-ticket-status")).to_have_text("已关闭")
    expect(card.locator(".heyon-answer-submit")).to_have_count(0)
    with session_scope() as session:
        assert session.get(SupportTicket, c.ticket_id).status == "closed"
