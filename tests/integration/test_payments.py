"""Orders, PaymentIntents, the webhook and reconciliation, against the local Stripe server.

Every bad way a webhook can arrive (duplicated, reordered, late, forged, unknown, for
another amount) is in test_payment_faults.py.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from heyon_app import clock, payments
from heyon_app.db import engine, session_scope
from heyon_app.models import EsimLine, Notification, Order, OrderTransition, Payment
from heyon_app.services import billing, fulfilment, stripe_gateway
from heyon_app.services.errors import UserError
from heyon_app.services.periods import add_period
from tests.concurrency import run_at_once
from tests.integration.payment_helpers import (
    intent_event,
    make_customer,
    order_with_intent,
    pay_with_card,
    place_order,
    post_event,
)


def test_quote_adds_period_to_later_of_now_and_expiry(stripe_db):
    with session_scope() as session:
        user, line = make_customer(session)
        now = clock.now()
        line.valid_until = now + timedelta(days=5)
        q = billing.quote(session, user=user, line_id=line.id, package_code="DATA_Q")
        assert q.total.minor == 15_900 and q.total.currency == "CNY"
        assert q.discount.minor == 0 and q.promotion is None
        assert (q.new_expiry - q.current_expiry).days in range(89, 93)
        line.valid_until = now - timedelta(days=40)  # lapsed: counts from now
        q = billing.quote(session, user=user, line_id=line.id, package_code="DATA_M")
        assert q.new_expiry > now + timedelta(days=27)


def test_quote_refuses_someone_elses_line(stripe_db):
    with session_scope() as session:
        _, line = make_customer(session)
        stranger, _ = make_customer(session, with_line=False)
        with pytest.raises(UserError) as err:
            billing.quote(session, user=stranger, line_id=line.id, package_code="DATA_M")
        assert err.value.key == "checkout.error.no_line"


def test_second_click_reuses_order_and_intent(stripe_db):
    with session_scope() as session:
        user, line, order = place_order(session)
        again = billing.create_order(
            session, user=user, line_id=line.id, package_code="DATA_M", method="card"
        )
        assert again.id == order.id
        first = billing.start_payment(session, user=user, order_id=order.id, method="card")
        second = billing.start_payment(session, user=user, order_id=order.id, method="card")
        assert first.client_secret == second.client_secret
        session.refresh(order)
        assert order.status == "processing"
        assert order.payment_intent_id and order.payment_intent_id.startswith("pi_")
        intent = stripe_gateway.retrieve_payment_intent(order.payment_intent_id)
        assert (intent.amount_minor, intent.currency) == (5_900, "CNY")


def test_two_tabs_ordering_at_once_make_one_order(stripe_db, monkeypatch):
    with session_scope() as session:
        user, line = make_customer(session)
    # Hold each request just before it inserts its new order, so both would insert if
    # both had found no open order; a request that waits in vain goes on after 2 s.
    inserting = threading.Barrier(2, timeout=2)
    new_key = billing._new_idempotency_key

    def slow_new_key() -> str:
        with contextlib.suppress(threading.BrokenBarrierError):
            inserting.wait()
        return new_key()

    monkeypatch.setattr(billing, "_new_idempotency_key", slow_new_key)

    def order() -> int:
        with Session(engine(), expire_on_commit=False) as s:
            row = billing.create_order(
                s, user=user, line_id=line.id, package_code="DATA_M", method="card"
            )
            s.commit()
            return row.id

    first, second = run_at_once(order)
    assert first == second


def test_two_sessions_paying_at_once_make_one_intent_and_one_extension(stripe_db, no_webhooks):
    with session_scope() as session:
        user, line, order = place_order(session)
        before = line.valid_until

    def pay() -> str:
        with Session(engine(), expire_on_commit=False) as s:
            return billing.start_payment(
                s, user=user, order_id=order.id, method="card"
            ).client_secret

    first, second = run_at_once(pay)
    assert first == second
    with session_scope() as session:
        order = session.get(Order, order.id)
        pay_with_card(order.payment_intent_id)

    def settle() -> None:
        with Session(engine(), expire_on_commit=False) as s:
            fulfilment.sync_order(s, order=s.get(Order, order.id), source="test")
            s.commit()

    run_at_once(settle)
    with session_scope() as session:
        line = session.get(EsimLine, line.id)
        # The line was valid 5 more days: one month is added to that date, once.
        assert line.valid_until == add_period(before, "month")
        assert len(session.exec(select(Payment).where(Payment.order_id == order.id)).all()) == 1


def _fulfilled_count(session: Session, order_id: int) -> int:
    return len(
        session.exec(
            select(OrderTransition).where(
                OrderTransition.order_id == order_id, OrderTransition.to_status == "fulfilled"
            )
        ).all()
    )


def test_reconcile_fulfils_a_payment_whose_webhook_was_lost(stripe_db, no_webhooks, mailbox):
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    pay_with_card(order.payment_intent_id)
    counts = payments.reconcile()
    assert counts["fulfilled"] >= 1 and counts["errors"] == 0
    payments.reconcile()  # a second run finds nothing more to do
    with session_scope() as session:
        order = session.get(Order, order.id)
        assert order.status == "fulfilled"
        assert session.get(EsimLine, line.id).valid_until > before
        assert _fulfilled_count(session, order.id) == 1
        reasons = [
            t.reason
            for t in session.exec(
                select(OrderTransition).where(OrderTransition.order_id == order.id)
            ).all()
        ]
        assert any("reconcile" in r for r in reasons)
    assert len(mailbox.to(user.email)) == 1


def test_declined_card_marks_order_failed_and_retry_succeeds(stripe_db, no_webhooks):
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    declined = pay_with_card(order.payment_intent_id, "4000000000000002")
    assert declined["error"]["code"] == "card_declined"
    with session_scope() as session:
        row = session.get(Order, order.id)
        fulfilment.sync_order(session, order=row, source="test")
        assert row.status == "failed"
        assert session.get(EsimLine, line.id).valid_until == before
        again = billing.start_payment(session, user=user, order_id=order.id, method="card")
        assert again.order_id == order.id
    pay_with_card(order.payment_intent_id)
    with session_scope() as session:
        row = session.get(Order, order.id)
        fulfilment.sync_order(session, order=row, source="test")
        assert row.status == "fulfilled"


def test_first_esim_is_created_on_payment(stripe_db, no_webhooks):
    with session_scope() as session:
        user, _, order = order_with_intent(session, line=False)
    pay_with_card(order.payment_intent_id)
    with session_scope() as session:
        row = session.get(Order, order.id)
        assert fulfilment.sync_order(session, order=row, source="test").fulfilled
        line = session.get(EsimLine, row.line_id)
        assert line.user_id == user.id and line.status == "not_installed"
        assert line.activation_code.startswith("LPA:1$smdp.heyon.local$")
        assert line.valid_until > clock.now() + timedelta(days=27)


def test_mail_failure_never_undoes_fulfilment(stripe_db, no_webhooks, monkeypatch):
    from heyon_app.services import notifications

    def smtp_down(*_args, **_kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(notifications, "deliver_email", smtp_down)
    with session_scope() as session:
        user, line, order = order_with_intent(session)
    event = intent_event("payment_intent.succeeded", order.payment_intent_id, 5_900)
    assert post_event(event).status_code == 200
    with session_scope() as session:
        assert session.get(Order, order.id).status == "fulfilled"
        mail = session.exec(
            select(Notification).where(
                Notification.user_id == user.id, Notification.channel == "email"
            )
        ).one()
        # Kept for the worker's outbox to retry after its back-off.
        assert mail.status == "queued" and "smtp down" in mail.last_error
        assert mail.attempts == 1 and mail.next_attempt_at is not None


def test_unpaid_order_expires_and_its_intent_is_canceled(stripe_db, no_webhooks):
    with session_scope() as session:
        user, line, order = order_with_intent(session, method="alipay")
    with clock.freeze(clock.now() + timedelta(hours=25)):
        payments.reconcile()
    with session_scope() as session:
        assert session.get(Order, order.id).status == "expired"
    assert stripe_gateway.retrieve_payment_intent(order.payment_intent_id).status == "canceled"


def test_chosen_method_is_remembered_and_switching_keeps_one_intent(stripe_db):
    with session_scope() as session:
        user, line, order = place_order(session)
        assert billing.last_method(session, user=user) == "card"
        first = billing.start_payment(session, user=user, order_id=order.id, method="card")
        second = billing.start_payment(session, user=user, order_id=order.id, method="wechat_pay")
        assert first.client_secret == second.client_secret
        assert billing.last_method(session, user=user) == "wechat_pay"


def test_someone_elses_order_cannot_be_paid_or_seen(stripe_db):
    with session_scope() as session:
        _, _, order = place_order(session)
        stranger, _ = make_customer(session, with_line=False)
        with pytest.raises(UserError):
            billing.start_payment(session, user=stranger, order_id=order.id, method="card")
        with pytest.raises(UserError):
            billing.order_for(session, user=stranger, order_id=order.id)


def test_reconcile_command_line(stripe_db, capsys):
    assert payments.main(["bogus"]) == 2
    assert payments.main(["reconcile"]) == 0
    assert "checked" in capsys.readouterr().out
