"""Admin overview, customers and tickets as services: search, manual extension, refunds
asked once, answers mailed in the customer's language, and the overview's figures."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from heyon_app import clock
from heyon_app.models import (
    AuditLog,
    EsimLine,
    Notification,
    Order,
    OrderTransition,
    Payment,
    PaymentReversal,
    SupportTicket,
    User,
)
from heyon_app.services import admin_customers, admin_overview, admin_tickets, stripe_gateway
from heyon_app.services.errors import UserError
from heyon_app.settings import settings
from tests.unit import helpers


@pytest.fixture
def admin(session: Session) -> User:
    helpers.catalogue(session)
    user = helpers.customer(session)
    user.role = "admin"
    session.add(user)
    session.flush()
    return user


def _audits(session: Session, action: str) -> list[AuditLog]:
    return list(session.exec(select(AuditLog).where(AuditLog.action == action)))


# Search ---------------------------------------------------------------------------------


def test_search_finds_a_customer_by_email_phone_or_line_number(session, admin):
    wanted = helpers.customer(session)
    other = helpers.customer(session)
    line = helpers.line(session, user=wanted)
    by = lambda q: [u.id for u in admin_customers.search(session, query=q)]  # noqa: E731
    assert by(wanted.email.upper()[2:14]) == [wanted.id]  # part of the address, any case
    assert by(wanted.phone[-8:]) == [wanted.id]
    assert by(line.number) == [wanted.id]
    assert other.id not in by(line.number)
    assert by("nobody-has-this") == []


@pytest.mark.parametrize("query", ["", "  ", "ab"])
def test_search_needs_three_characters(session, admin, query):
    with pytest.raises(UserError) as caught:
        admin_customers.search(session, query=query)
    assert caught.value.key == "admin.customers.query_short"


def test_customer_detail_holds_lines_orders_payments_tickets_and_notifications(session, admin):
    user = helpers.customer(session)
    line = helpers.line(session, user=user, valid_until=clock.now() + timedelta(days=3))
    order = helpers.paid_order(session, line, "DATA_M", clock.now())
    session.add(
        Payment(
            order_id=order.id,
            provider_ref="pi_x",
            amount_minor=order.amount_minor,
            currency="CNY",
            method="card",
        )
    )
    session.add(SupportTicket(user_id=user.id, subject="Help", message="Please help me"))
    session.add(Notification(user_id=user.id, channel="email", recipient=user.email, body="x"))
    helpers.customer(session)  # someone else's data stays out
    session.flush()
    found = admin_customers.customer_detail(session, user_id=user.id)
    assert [x.id for x, _ in found.lines] == [line.id]
    assert [r.order.id for r in found.orders] == [order.id]
    assert [p.order_id for p in found.payments] == [order.id]
    assert [t.subject for t in found.tickets] == ["Help"]
    assert [n.recipient for n in found.notifications] == [user.email]
    with pytest.raises(UserError):
        admin_customers.customer_detail(session, user_id=10**8)


# Manual extension -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "    ", "abc"])
def test_extension_without_a_reason_is_refused_and_changes_nothing(session, admin, reason):
    until = clock.now() + timedelta(days=2)
    line = helpers.line(session, valid_until=until)
    with pytest.raises(UserError) as caught:
        admin_customers.extend_line(session, actor=admin, line_id=line.id, days=7, reason=reason)
    assert caught.value.key == "admin.customers.reason_missing"
    session.refresh(line)
    assert line.valid_until == until
    assert _audits(session, "line.extend") == []


@pytest.mark.parametrize("days", [0, -1, 367])
def test_extension_days_out_of_range_are_refused(session, admin, days):
    line = helpers.line(session, valid_until=clock.now())
    with pytest.raises(UserError) as caught:
        admin_customers.extend_line(
            session, actor=admin, line_id=line.id, days=days, reason="goodwill"
        )
    assert caught.value.key == "admin.customers.days_range"


def test_extension_adds_days_and_audits_before_and_after_with_the_reason(session, admin, now):
    until = now + timedelta(days=2)
    line = helpers.line(session, valid_until=until)
    admin_customers.extend_line(
        session, actor=admin, line_id=line.id, days=10, reason="  Network outage on 3 May  "
    )
    session.refresh(line)
    assert line.valid_until == until + timedelta(days=10)
    (entry,) = _audits(session, "line.extend")
    assert entry.actor_user_id == admin.id and entry.target == f"line:{line.id}"
    assert entry.detail == "Network outage on 3 May"
    assert json.loads(entry.before) == {"valid_until": str(until)}
    assert json.loads(entry.after) == {"valid_until": str(until + timedelta(days=10))}


def test_extension_of_a_lapsed_line_counts_from_now(session, admin, now):
    line = helpers.line(session, valid_until=now - timedelta(days=30))
    admin_customers.extend_line(session, actor=admin, line_id=line.id, days=5, reason="goodwill")
    session.refresh(line)
    assert line.valid_until == now + timedelta(days=5)


def test_extension_of_an_unknown_line_is_refused(session, admin):
    with pytest.raises(UserError) as caught:
        admin_customers.extend_line(session, actor=admin, line_id=10**8, days=5, reason="goodwill")
    assert caught.value.key == "admin.customers.line_unknown"


# Refunds (the Stripe call replaced; the race against real Stripe is an integration test) --


def _paid(session: Session, amount: int | None = None) -> Order:
    line = helpers.line(session, valid_until=clock.now() + timedelta(days=30))
    order = helpers.paid_order(session, line, "DATA_M", clock.now())
    if amount is not None:
        order.amount_minor = amount
    order.payment_intent_id = "pi_" + uuid.uuid4().hex[:12]
    session.add(order)
    session.add(
        Payment(
            order_id=order.id,
            provider_ref=order.payment_intent_id,
            amount_minor=order.amount_minor,
            currency="CNY",
            method="card",
        )
    )
    session.flush()
    return order


@pytest.fixture
def stripe_refunds(monkeypatch) -> list[str]:
    asked: list[str] = []

    def refund(intent_id: str, *, idempotency_key: str) -> str:
        asked.append(intent_id)
        return f"re_{len(asked)}"

    monkeypatch.setattr(stripe_gateway, "refund_payment", refund)
    return asked


def test_refund_is_asked_of_stripe_once_however_many_clicks(session, admin, stripe_refunds):
    order = _paid(session)
    clicks = [
        admin_customers.refund_order(session, actor=admin, order_id=order.id) for _ in range(3)
    ]
    assert clicks == [True, False, False]
    assert stripe_refunds == [order.payment_intent_id]
    (entry,) = _audits(session, "order.refund")
    assert entry.actor_user_id == admin.id and entry.target == f"order:{order.id}"
    assert json.loads(entry.before) == {"status": "fulfilled"}
    assert (
        json.loads(entry.after) == {"refund": "re_1", "amount": "¥59.00"}
        or json.loads(entry.after)["refund"] == "re_1"
    )
    # The order turns refunded only when Stripe's webhook says so.
    session.refresh(order)
    assert order.status == "fulfilled"


def test_refund_that_stripe_refuses_keeps_nothing_and_can_be_retried(session, admin, monkeypatch):
    order = _paid(session)
    session.commit()

    def down(intent_id: str, *, idempotency_key: str) -> str:
        raise stripe_gateway.GatewayError("unreachable")

    monkeypatch.setattr(stripe_gateway, "refund_payment", down)
    with pytest.raises(UserError) as caught:
        admin_customers.refund_order(session, actor=admin, order_id=order.id)
    assert caught.value.key == "admin.customers.refund_failed"
    session.rollback()  # what the admin handler's transaction does with a UserError
    assert session.exec(select(PaymentReversal)).all() == []
    monkeypatch.setattr(stripe_gateway, "refund_payment", lambda i, **_: "re_ok")
    assert admin_customers.refund_order(session, actor=admin, order_id=order.id) is True


@pytest.mark.parametrize(
    ("status", "amount", "key"),
    [
        ("pending", None, "admin.customers.not_refundable"),
        ("refunded", None, "admin.customers.already_refunded"),
        ("fulfilled", 0, "admin.customers.nothing_to_refund"),
    ],
)
def test_refund_refuses_orders_that_cannot_be_refunded(
    session, admin, stripe_refunds, status, amount, key
):
    order = _paid(session, amount)
    order.status = status
    session.add(order)
    session.flush()
    with pytest.raises(UserError) as caught:
        admin_customers.refund_order(session, actor=admin, order_id=order.id)
    assert caught.value.key == key
    assert stripe_refunds == []


# Tickets --------------------------------------------------------------------------------


def _ticket(session: Session, user: User) -> SupportTicket:
    ticket = SupportTicket(
        user_id=user.id, subject="No data abroad", message="My data stops in Tokyo"
    )
    session.add(ticket)
    session.flush()
    return ticket


@pytest.mark.parametrize(("locale", "word"), [("zh-CN", "客服已回复"), ("en", "support answered")])
def test_answer_is_stored_audited_and_mailed_in_the_customers_language(
    session, admin, locale, word
):
    user = helpers.customer(session, locale=locale)
    ticket = _ticket(session, user)
    mail_id = admin_tickets.answer_ticket(
        session, actor=admin, ticket_id=ticket.id, answer="  Turn on data roaming.  "
    )
    session.refresh(ticket)
    assert (ticket.status, ticket.answer, ticket.answered_by_user_id) == (
        "answered",
        "Turn on data roaming.",
        admin.id,
    )
    mail = session.get(Notification, mail_id)
    assert mail.recipient == user.email and mail.status == "queued"
    assert word in mail.subject and f"#{ticket.id}" in mail.subject
    assert "Turn on data roaming." in mail.body and f"{settings.public_url}/support" in mail.body
    (entry,) = _audits(session, "ticket.answer")
    assert entry.actor_user_id == admin.id and entry.target == f"ticket:{ticket.id}"
    assert json.loads(entry.before)["status"] == "open"
    assert json.loads(entry.after)["status"] == "answered"


def test_typed_text_in_the_answer_mail_cannot_reverse_the_text_after_it(session, admin):
    """A right-to-left override typed into a ticket's subject or the answer would reverse the
    rest of the plain-text mail; each stays inside a Unicode isolate."""
    user = helpers.customer(session)
    ticket = _ticket(session, user)
    ticket.subject = "No data \u202eabroad"
    mail = session.get(
        Notification,
        admin_tickets.answer_ticket(
            session, actor=admin, ticket_id=ticket.id, answer="Roaming \u202eis on."
        ),
    )
    for typed in ("No data \u202eabroad", "Roaming \u202eis on."):
        assert f"\u2068{typed}\u2069" in mail.body
    # Nothing else of ours is inside an isolate.
    assert mail.body.count("\u2068") == mail.body.count("\u2069") == 2


def test_empty_answer_is_refused_and_changes_nothing(session, admin):
    ticket = _ticket(session, helpers.customer(session))
    with pytest.raises(UserError) as caught:
        admin_tickets.answer_ticket(session, actor=admin, ticket_id=ticket.id, answer="  ")
    assert caught.value.key == "admin.tickets.answer_missing"
    session.refresh(ticket)
    assert ticket.status == "open" and ticket.answer == ""
    assert session.exec(select(Notification)).all() == []


def test_closed_ticket_is_audited_and_takes_no_answer(session, admin):
    ticket = _ticket(session, helpers.customer(session))
    admin_tickets.close_ticket(session, actor=admin, ticket_id=ticket.id)
    assert ticket.status == "closed"
    (entry,) = _audits(session, "ticket.close")
    assert json.loads(entry.after) == {"status": "closed"}
    for action in (
        lambda: admin_tickets.answer_ticket(
            session, actor=admin, ticket_id=ticket.id, answer="hi there"
        ),
        lambda: admin_tickets.close_ticket(session, actor=admin, ticket_id=ticket.id),
    ):
        with pytest.raises(UserError) as caught:
            action()
        assert caught.value.key == "admin.tickets.closed"


def test_ticket_list_filters_by_status(session, admin):
    user = helpers.customer(session)
    waiting, done = _ticket(session, user), _ticket(session, user)
    admin_tickets.close_ticket(session, actor=admin, ticket_id=done.id)
    ids = lambda status: [t.id for t, _ in admin_tickets.list_tickets(session, status=status)]  # noqa: E731
    assert ids("open") == [waiting.id]
    assert ids("closed") == [done.id]
    assert ids("") == [waiting.id, done.id]
    with pytest.raises(UserError):
        ids("bogus")


# Overview -------------------------------------------------------------------------------


def _local_midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.display_timezone))


def _payment_at(session: Session, at: datetime, *, amount: int, status: str = "fulfilled") -> Order:
    line = helpers.line(session)
    order = helpers.paid_order(session, line, "DATA_M", at)
    order.status, order.amount_minor = status, amount
    session.add(order)
    session.add(
        Payment(
            order_id=order.id,
            provider_ref="pi_" + uuid.uuid4().hex[:12],
            amount_minor=amount,
            currency="CNY",
            method="card",
            paid_at=at,
        )
    )
    session.flush()
    return order


def test_overview_counts_renewals_and_revenue_per_customers_day(session, admin, now, today):
    just_before_today = _local_midnight(today) - timedelta(seconds=1)  # yesterday, locally
    first_day = today - timedelta(days=29)
    _payment_at(session, now, amount=1000)
    _payment_at(session, _local_midnight(today), amount=500)
    _payment_at(session, just_before_today, amount=300)
    _payment_at(session, just_before_today, amount=7000, status="refunded")  # money went back
    _payment_at(session, _local_midnight(first_day), amount=40)  # the window's first moment
    _payment_at(session, _local_midnight(first_day) - timedelta(seconds=1), amount=9999)  # before
    days = admin_overview.daily_figures(session)
    assert [d.day for d in days] == [first_day + timedelta(days=i) for i in range(30)]
    by_day = {d.day: (d.renewals, d.revenue_minor) for d in days}
    assert by_day[today] == (2, 1500)
    assert by_day[today - timedelta(days=1)] == (2, 300)
    assert by_day[first_day] == (1, 40)
    assert sum(d.renewals for d in days) == 5
    assert sum(d.revenue_minor for d in days) == 1840


def test_overview_counts_failed_payments_and_notifications_per_day(session, admin, now, today):
    order = _payment_at(session, now, amount=100, status="failed")
    session.add(
        OrderTransition(
            order_id=order.id,
            from_status="processing",
            to_status="failed",
            reason="card_declined",
            at=now,
        )
    )
    session.add(
        OrderTransition(order_id=order.id, from_status="pending", to_status="processing", at=now)
    )
    session.add(
        Notification(
            channel="sms",
            recipient="+86139",
            body="x",
            status="failed",
            last_error="Timeout",
            created_at=now,
        )
    )
    session.add(
        Notification(channel="email", recipient="a@b", body="x", status="sent", created_at=now)
    )
    session.flush()
    (last,) = [d for d in admin_overview.daily_figures(session) if d.day == today]
    assert (last.failed_payments, last.failed_notifications) == (1, 1)
    (failed,) = admin_overview.failed_payments(session)
    assert (failed.order_id, failed.reason, failed.status_now) == (
        order.id,
        "card_declined",
        "failed",
    )
    (undelivered,) = admin_overview.failed_notifications(session)
    assert (undelivered.recipient, undelivered.last_error) == ("+86139", "Timeout")


def test_failed_payments_older_than_a_week_leave_the_list(session, admin, now):
    order = _payment_at(session, now, amount=100, status="failed")
    session.add(
        OrderTransition(
            order_id=order.id,
            from_status="processing",
            to_status="failed",
            at=now - timedelta(days=8),
        )
    )
    session.flush()
    assert admin_overview.failed_payments(session) == []


def test_expiring_lines_are_those_ending_within_seven_days_soonest_first(session, admin, now):
    soon = helpers.line(session, valid_until=now + timedelta(days=1))
    edge = helpers.line(session, valid_until=now + timedelta(days=7))
    helpers.line(session, valid_until=now + timedelta(days=7, seconds=1))  # later
    helpers.line(session, valid_until=now - timedelta(seconds=1))  # already lapsed
    helpers.line(session, valid_until=None)  # not installed yet
    found = admin_overview.expiring_lines(session)
    assert [x.line_id for x in found] == [soon.id, edge.id]
    assert admin_overview.expiring_count(session) == 2
    owner = session.get(User, session.get(EsimLine, soon.id).user_id)
    assert found[0].email == owner.email
