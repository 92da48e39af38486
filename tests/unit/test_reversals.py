"""Refunds, disputes and second payments, told by Stripe events in any order and any number."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from heyon_app import clock, i18n
from heyon_app.models import AuditLog, EsimLine, Notification, Order, Payment, PaymentReversal
from heyon_app.services import billing, fulfilment, stripe_gateway
from heyon_app.services.periods import add_period, period_start
from tests import factories
from tests.unit.helpers import catalogue, customer, line

T0 = datetime(2026, 3, 10, 4, tzinfo=UTC)


@pytest.fixture
def db(session: Session) -> Session:
    catalogue(session)
    return session


def _event(kind: str, obj: dict) -> dict:
    return {"id": f"evt_{uuid.uuid4().hex}", "type": kind, "data": {"object": obj}}


def _succeeded(order: Order, intent_id: str | None = None) -> dict:
    return _event(
        "payment_intent.succeeded",
        {
            "id": intent_id or order.payment_intent_id,
            "amount": order.amount_minor,
            "amount_received": order.amount_minor,
            "currency": order.currency.lower(),
            "metadata": {"order_id": str(order.id)},
        },
    )


def _refunded(order: Order, amount: int | None = None) -> dict:
    refunded = order.amount_minor if amount is None else amount
    return _event(
        "charge.refunded",
        {
            "id": "ch_" + order.payment_intent_id[3:],
            "payment_intent": order.payment_intent_id,
            "amount": order.amount_minor,
            "amount_refunded": refunded,
            "refunded": refunded >= order.amount_minor,
            "currency": order.currency.lower(),
        },
    )


def _dispute(order: Order, kind: str, status: str, dispute_id: str = "dp_1") -> dict:
    return _event(
        f"charge.dispute.{kind}",
        {
            "id": dispute_id,
            "charge": "ch_" + order.payment_intent_id[3:],
            "payment_intent": order.payment_intent_id,
            "amount": order.amount_minor,
            "currency": order.currency.lower(),
            "status": status,
        },
    )


def _customer_line(session: Session, *, valid_until: datetime) -> EsimLine:
    return line(session, user=customer(session), valid_until=valid_until)


def _handle(session: Session, event: dict) -> fulfilment.Outcome:
    outcome = fulfilment.handle_event(session, event)
    session.commit()
    return outcome


def _mails(session: Session, user_id: int) -> list[Notification]:
    return list(
        session.exec(
            select(Notification).where(
                Notification.user_id == user_id, Notification.channel == "email"
            )
        ).all()
    )


def _audits(session: Session, action: str) -> list[AuditLog]:
    return list(session.exec(select(AuditLog).where(AuditLog.action == action)).all())


def test_receipt_number_carries_the_customers_date_not_utcs(db):
    # 17:00 UTC on 25 November is 01:00 on 26 November in Beijing.
    evening = datetime(2026, 11, 25, 17, tzinfo=UTC)
    with clock.freeze(evening):
        ln = _customer_line(db, valid_until=evening + timedelta(days=5))
        order = factories.order(db, line=ln)
        assert _handle(db, _succeeded(order)).fulfilled
        paid_on = clock.local_date(db.exec(select(Payment)).one().paid_at)
        assert paid_on == clock.local_today().isoformat() == "2026-11-26"
    assert order.receipt_number == f"HY20261126{order.id:06d}"


@pytest.mark.parametrize("twice", [False, True])
def test_full_refund_takes_back_the_period_once_and_tells_the_customer(db, twice):
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0 + timedelta(days=20))
        before = ln.valid_until
        order = factories.order(db, line=ln)
        _handle(db, _succeeded(order))
        refund = _refunded(order)
        _handle(db, refund)
        if twice:
            _handle(db, refund)  # the same event again
            _handle(db, _refunded(order))  # and another event saying the same
    db.refresh(ln)
    db.refresh(order)
    assert order.status == "refunded"
    assert ln.valid_until == before
    subjects = [m.subject for m in _mails(db, order.user_id)]
    assert len(subjects) == 2 and any(str(order.id) in s for s in subjects)
    assert len(_audits(db, "payment.validity_taken_back")) == 1
    assert len(_audits(db, "payment.refund_full")) == 1


def test_refund_never_takes_validity_back_before_the_refund_moment(db):
    # Lapsed 10 days ago, renewed for a month today, refunded 3 days later: the customer
    # keeps those 3 days and no more; validity never ends before the refund.
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0 - timedelta(days=10))
        order = factories.order(db, line=ln)
        _handle(db, _succeeded(order))
    refund_at = T0 + timedelta(days=3)
    with clock.freeze(refund_at):
        _handle(db, _refunded(order))
    db.refresh(ln)
    assert ln.valid_until == refund_at


def test_refund_of_an_order_followed_by_a_renewal_removes_only_its_own_period(db):
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0 + timedelta(days=5))
        month, quarter = (
            factories.order(db, line=ln, code="DATA_M"),
            factories.order(db, line=ln, code="DATA_Q"),
        )
        _handle(db, _succeeded(month))
        _handle(db, _succeeded(quarter))
        db.refresh(ln)
        both = ln.valid_until
        assert both == add_period(add_period(T0 + timedelta(days=5), "month"), "quarter")
        _handle(db, _refunded(month))
    db.refresh(ln)
    db.refresh(quarter)
    assert ln.valid_until == period_start(both, "month")
    assert quarter.status == "fulfilled"


def test_partial_refund_is_recorded_and_changes_nothing_else(db):
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0)
        order = factories.order(db, line=ln)
        _handle(db, _succeeded(order))
        db.refresh(ln)
        extended = ln.valid_until
        _handle(db, _refunded(order, amount=100))
    db.refresh(ln)
    db.refresh(order)
    assert order.status == "fulfilled" and ln.valid_until == extended
    assert len(_audits(db, "payment.refund_partial")) == 1


def test_refund_told_before_the_payment_still_takes_the_period_back(db):
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0 + timedelta(days=20))
        before = ln.valid_until
        order = factories.order(db, line=ln)
        _handle(db, _refunded(order))
        assert order.status == "processing"
        _handle(db, _succeeded(order))
    db.refresh(ln)
    db.refresh(order)
    assert order.status == "refunded" and ln.valid_until == before
    assert len(_audits(db, "payment.validity_taken_back")) == 1


DISPUTE_EVENTS = {
    "won": [("created", "needs_response"), ("closed", "won")],
    "lost": [("created", "needs_response"), ("closed", "lost")],
}


@pytest.mark.parametrize(
    ("outcome", "order_of_events"),
    [
        (outcome, perm)
        for outcome, events in DISPUTE_EVENTS.items()
        for perm in itertools.permutations([*events, events[-1]])  # closed twice
    ],
)
def test_dispute_ends_the_same_whatever_the_delivery_order(db, outcome, order_of_events):
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0 + timedelta(days=20))
        before = ln.valid_until
        order = factories.order(db, line=ln)
        _handle(db, _succeeded(order))
        db.refresh(ln)
        paid_until = ln.valid_until
        for kind, status in order_of_events:
            _handle(db, _dispute(order, kind, status))
    db.refresh(ln)
    db.refresh(order)
    if outcome == "won":
        assert order.status == "fulfilled" and ln.valid_until == paid_until
    else:
        assert order.status == "disputed" and ln.valid_until == before
    taken = len(_audits(db, "payment.validity_taken_back"))
    restored = len(_audits(db, "payment.validity_restored"))
    if outcome == "won":  # taken back and given back, or never taken if "closed" came first
        assert taken == restored <= 1
    else:
        assert (taken, restored) == (1, 0)
    assert len(_audits(db, f"payment.dispute_{outcome}")) == 1
    row = db.exec(select(PaymentReversal).where(PaymentReversal.kind == "dispute")).one()
    assert row.status == outcome and row.order_id == order.id


def test_dispute_opened_tells_the_customer_and_withholds_the_period(db):
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0 + timedelta(days=20))
        before = ln.valid_until
        order = factories.order(db, line=ln)
        _handle(db, _succeeded(order))
        outcome = _handle(db, _dispute(order, "created", "needs_response"))
    db.refresh(ln)
    assert ln.valid_until == before
    assert len(outcome.notifications) == 1
    mail = db.get(Notification, outcome.notifications[0])
    assert str(order.id) in mail.subject and "争议" in mail.subject  # the customer's language


def test_won_dispute_gives_back_what_was_withheld_counted_from_now(db):
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0 - timedelta(days=1))
        order = factories.order(db, line=ln)
        _handle(db, _succeeded(order))
        db.refresh(ln)
        bought = ln.valid_until - T0
        _handle(db, _dispute(order, "created", "needs_response"))
    later = T0 + timedelta(days=60)  # the dispute took two months; the line lapsed meanwhile
    with clock.freeze(later):
        _handle(db, _dispute(order, "closed", "won"))
    db.refresh(ln)
    assert ln.valid_until == later + bought


def test_second_payment_of_a_fulfilled_order_is_refunded_once(db, monkeypatch):
    refunds: list[str] = []
    monkeypatch.setattr(
        stripe_gateway,
        "refund_payment",
        lambda intent_id, *, idempotency_key: refunds.append(intent_id) or "re_1",
    )
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0)
        order = factories.order(db, line=ln)
        _handle(db, _succeeded(order))
        db.refresh(ln)
        extended = ln.valid_until
        surplus = _succeeded(order, intent_id="pi_surplus_" + uuid.uuid4().hex[:8])
        _handle(db, surplus)
        _handle(db, {**surplus, "id": "evt_again_" + uuid.uuid4().hex})
    db.refresh(ln)
    assert refunds == [surplus["data"]["object"]["id"]]
    assert ln.valid_until == extended
    logs = _audits(db, "payment.surplus_refunded")
    assert len(logs) == 1 and f"order {order.id} " in logs[0].detail


def test_payment_of_an_intent_the_order_does_not_record_fulfils_the_order(db):
    # The customer paid pi_0, but a takeover recorded pi_1 on the order.
    with clock.freeze(T0):
        ln = _customer_line(db, valid_until=T0)
        order = factories.order(db, line=ln)
        outcome = _handle(db, _succeeded(order, intent_id="pi_0_" + uuid.uuid4().hex[:8]))
    db.refresh(order)
    assert outcome.fulfilled and order.status == "fulfilled"
    assert not _audits(db, "payment.unknown_intent")
    assert db.exec(select(Payment).where(col(Payment.order_id) == order.id)).one()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_order_status_and_reversal_mail_has_words_in_both_languages(locale):
    keys = [f"orders.status.{status}" for status in billing.ALLOWED]
    keys += ["result.refunded", "result.disputed"]
    for status in ("refunded", "disputed", "fulfilled"):  # what a reversal can lead to
        keys += [f"checkout.mail.{status}.subject", f"checkout.mail.{status}.body"]
    catalogue = i18n.catalogue(locale)
    assert [key for key in keys if key not in catalogue] == []


def test_an_event_whose_handling_failed_is_handled_when_stripe_sends_it_again(db, monkeypatch):
    """The 'seen' mark goes back with a failed handling (SQLite's driver would commit a
    savepoint opened first in a transaction, keeping the mark of an event never handled)."""
    ln = line(db, user=customer(db), valid_until=T0)
    order = factories.order(db, line=ln)
    db.commit()  # the webhook's transaction starts with the event's mark
    event = _succeeded(order)

    def stripe_down(*args, **kwargs):
        raise stripe_gateway.GatewayError("Stripe did not answer")

    monkeypatch.setattr(fulfilment, "_settle_reversals", stripe_down)
    with pytest.raises(stripe_gateway.GatewayError):
        fulfilment.handle_event(db, event)
    db.rollback()
    monkeypatch.undo()
    assert fulfilment.handle_event(db, event).fulfilled
    db.commit()
    db.refresh(order)
    assert order.status == "fulfilled"
