"""Two paid renewals of one line settled at the same moment, on PostgreSQL (where each
transaction sees the line as it was unless fulfilment locks the row)."""

from __future__ import annotations

import contextlib
import threading
import uuid
from datetime import timedelta

from sqlmodel import Session

from heyon_app import clock, db, seed
from heyon_app.models import EsimLine, Order
from heyon_app.services import billing, fulfilment
from heyon_app.services.periods import add_period
from tests import factories
from tests.concurrency import run_at_once


def test_month_and_quarter_paid_at_once_both_extend_the_line(pg_url, monkeypatch):
    db.migrate(pg_url)
    engine = db.engine(pg_url)
    with Session(engine, expire_on_commit=False) as session:
        seed.seed_catalogue(session)
        start = clock.now() + timedelta(days=5)
        line = factories.line(session, user=factories.customer(session), valid_until=start)
        orders = [
            factories.order(session, line=line, code="DATA_M"),
            factories.order(session, line=line, code="DATA_Q"),
        ]
        session.commit()
    # Hold each fulfilment after it has read the line, until both have (a fulfilment that
    # waits in vain, because the other is blocked on the row lock, goes on after 2 s).
    both_read = threading.Barrier(2, timeout=2)
    new_expiry = billing.new_expiry

    def held_new_expiry(*args):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return new_expiry(*args)

    monkeypatch.setattr(billing, "new_expiry", held_new_expiry)
    pending = list(orders)

    def fulfil() -> bool:
        order = pending.pop()
        with Session(engine, expire_on_commit=False) as session:
            outcome = fulfilment.fulfil_payment(
                session,
                payment_intent_id=order.payment_intent_id,
                amount_minor=order.amount_minor,
                currency=order.currency,
                source="test",
            )
            session.commit()
            return outcome.fulfilled

    assert run_at_once(fulfil) == [True, True]
    with Session(engine) as session:
        valid_until = session.get(EsimLine, line.id).valid_until
    # Month then quarter, or quarter then month: four months either way (calendar months).
    assert valid_until in {
        add_period(add_period(start, "month"), "quarter"),
        add_period(add_period(start, "quarter"), "month"),
    }


def test_refund_told_while_its_payment_is_being_fulfilled_is_not_lost(pg_url):
    db.migrate(pg_url)
    engine = db.engine(pg_url)
    with Session(engine, expire_on_commit=False) as session:
        seed.seed_catalogue(session)
        start = clock.now() + timedelta(days=5)
        line = factories.line(session, user=factories.customer(session), valid_until=start)
        order = factories.order(session, line=line, code="DATA_M")
        session.commit()
    fulfilled, release, refund_done = threading.Event(), threading.Event(), threading.Event()

    def fulfil() -> None:
        # The payment's transaction has done everything but commit when the refund arrives.
        with Session(engine, expire_on_commit=False) as session:
            fulfilment.fulfil_payment(
                session,
                payment_intent_id=order.payment_intent_id,
                amount_minor=order.amount_minor,
                currency=order.currency,
                source="test",
            )
            fulfilled.set()
            release.wait(10)
            session.commit()

    def refund() -> None:
        event = {
            "id": f"evt_{uuid.uuid4().hex}",
            "type": "charge.refunded",
            "data": {
                "object": {
                    "id": "ch_1",
                    "payment_intent": order.payment_intent_id,
                    "amount": order.amount_minor,
                    "amount_refunded": order.amount_minor,
                    "refunded": True,
                    "currency": "cny",
                }
            },
        }
        with Session(engine, expire_on_commit=False) as session:
            fulfilment.handle_event(session, event)
            session.commit()
        refund_done.set()

    payment = threading.Thread(target=fulfil)
    payment.start()
    assert fulfilled.wait(10)
    refunding = threading.Thread(target=refund)
    refunding.start()
    # Give the refund a second to finish before the payment commits, if it does not wait.
    refund_done.wait(1)
    release.set()
    payment.join(10)
    refunding.join(10)
    assert refund_done.is_set()
    with Session(engine) as session:
        assert session.get(Order, order.id).status == "refunded"
        assert session.get(EsimLine, line.id).valid_until == start
