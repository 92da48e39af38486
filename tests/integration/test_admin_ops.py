"""Admin refunds against the local Stripe server and its webhook, and admin handlers end to
end: an answered ticket's mail goes out after commit, a refused refund changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import uuid
from datetime import timedelta

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import select

from heyon_app import clock, db, seed
from heyon_app.models import (
    AuditLog,
    EsimLine,
    Order,
    Payment,
    PaymentReversal,
    SupportTicket,
    User,
)
from heyon_app.services import accounts, admin_customers, billing, stripe_gateway, support
from heyon_app.services.errors import UserError
from heyon_app.state.admin.customers import CustomersState
from heyon_app.state.admin.tickets import TicketsState
from tests import factories
from tests.concurrency import run_at_once, run_coroutine
from tests.integration.payment_helpers import pay_with_card, place_order
from tests.integration.test_payment_reversals import Catcher, _deliver


@pytest.fixture
def catcher(no_webhooks):
    """The local Stripe server's webhooks, caught to be delivered when the test says."""
    caught = Catcher()
    stripe_gateway.register_local_webhook(caught.url)
    yield caught
    caught.server.shutdown()


def _admin() -> tuple[int, str]:
    with db.session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash("x" * 12))
        user.role = "admin"
        session.add(user)
        session.flush()
        return user.id, accounts.open_session(session, user)


def _state(state_cls, token: str):
    async def make():
        root = rx.State(_reflex_internal_init=True)
        root.router = RouterData.from_router_data({"headers": {}, "ip": "127.0.0.1"})
        state = await root.get_state(state_cls)
        state.auth_token = token
        return state

    return run_coroutine(make())


def _run(outcome) -> None:
    async def drain():
        if hasattr(outcome, "__anext__"):
            async for _ in outcome:
                pass
        else:
            await outcome

    run_coroutine(drain())


def test_racing_refund_clicks_refund_once_and_the_webhook_makes_the_order_refunded(
    stripe_db, catcher, mailbox
):
    admin_id, _token = _admin()
    with db.session_scope() as session:
        user, line, order = place_order(session)
        before = line.valid_until
        billing.start_payment(session, user=user, order_id=order.id, method="card")
        session.refresh(order)
    pay_with_card(order.payment_intent_id)
    assert _deliver(*catcher.wait_for("payment_intent.succeeded", order.payment_intent_id)) == 200

    def click() -> bool:
        with db.session_scope() as session:
            admin = session.get(User, admin_id)
            return admin_customers.refund_order(session, actor=admin, order_id=order.id)

    assert sorted(run_at_once(click, times=3)) == [False, False, True]
    refunds = stripe_gateway.client().v1.refunds.list(
        params={"payment_intent": order.payment_intent_id}
    )
    assert len([r for r in refunds.data if r.payment_intent == order.payment_intent_id]) == 1
    with db.session_scope() as session:
        assert session.get(Order, order.id).status == "fulfilled"  # until Stripe says so
        entries = session.exec(select(AuditLog).where(AuditLog.target == f"order:{order.id}")).all()
        assert [(e.action, e.actor_user_id) for e in entries] == [("order.refund", admin_id)]

    assert _deliver(*catcher.wait_for("charge.refunded", order.payment_intent_id)) == 200
    with db.session_scope() as session:
        assert session.get(Order, order.id).status == "refunded"
        assert session.get(EsimLine, line.id).valid_until == before
        with pytest.raises(UserError) as caught:
            admin_customers.refund_order(
                session, actor=session.get(User, admin_id), order_id=order.id
            )
        assert caught.value.key == "admin.customers.already_refunded"
        detail = admin_customers.customer_detail(session, user_id=user.id)
        (row,) = detail.orders
        assert row.order.status == "refunded" and row.refund_requested
    receipt, refund_mail = mailbox.to(user.email)
    assert str(order.id) in refund_mail["Subject"]


def _paid_by_card(catcher):
    """A customer's order paid by card, its success webhook handled: (user, line, order)."""
    with db.session_scope() as session:
        user, line, order = place_order(session)
        billing.start_payment(session, user=user, order_id=order.id, method="card")
        session.refresh(order)
    pay_with_card(order.payment_intent_id)
    assert _deliver(*catcher.wait_for("payment_intent.succeeded", order.payment_intent_id)) == 200
    return user, line, order


def test_refund_handler_for_an_admin_watches_until_the_webhook_arrives(stripe_db, catcher):
    _admin_id, token = _admin()
    user, _line, order = _paid_by_card(catcher)
    state = _state(CustomersState, token)
    state.customer = {"id": str(user.id)}
    refund = CustomersState.event_handlers["refund"].fn(state, str(order.id))

    async def drive() -> list[str]:
        watching = asyncio.ensure_future(refund)
        while not (state.orders and state.orders[0]["refund_pending"] == "1"):
            assert not watching.done(), state.error
            await asyncio.sleep(0.05)
        first = [o["status"] for o in state.orders]
        assert state.orders[0]["refundable"] == ""
        # Stripe's event arrives while the page watches.
        await asyncio.to_thread(
            lambda: _deliver(*catcher.wait_for("charge.refunded", order.payment_intent_id))
        )
        await watching
        return first

    assert run_coroutine(drive()) == ["fulfilled"]
    assert [o["status"] for o in state.orders] == ["refunded"]
    assert state.orders[0]["refund_pending"] == ""


def test_the_refund_watch_shows_the_line_taken_back_even_if_its_first_read_was_stale(
    stripe_db, catcher, monkeypatch
):
    """The customer detail reads the lines before the orders: the read that first sees the
    order refunded may have read the line just before the webhook's commit. The page must
    not stop on that read and keep showing the old date."""
    from heyon_app.state.admin import customers as customers_state

    _admin_id, token = _admin()
    user, line, order = _paid_by_card(catcher)
    with db.session_scope() as session:
        paid_until = clock.local_date(session.get(EsimLine, line.id).valid_until)
    real = customers_state.detail_view
    stale = []

    def lines_read_before_the_commit(session, admin, *, user_id):
        view = real(session, admin, user_id=user_id)
        if view["orders"][0]["status"] == "refunded" and not stale:
            stale.append(view["lines"][0]["valid_until"])
            view["lines"][0]["valid_until"] = paid_until
        return view

    monkeypatch.setattr(customers_state, "detail_view", lines_read_before_the_commit)
    state = _state(CustomersState, token)
    state.customer = {"id": str(user.id)}
    refund = CustomersState.event_handlers["refund"].fn(state, str(order.id))

    async def drive() -> None:
        watching = asyncio.ensure_future(refund)
        while not (state.orders and state.orders[0]["refund_pending"] == "1"):
            assert not watching.done(), state.error
            await asyncio.sleep(0.05)
        await asyncio.to_thread(
            lambda: _deliver(*catcher.wait_for("charge.refunded", order.payment_intent_id))
        )
        await watching

    run_coroutine(drive())
    with db.session_scope() as session:
        taken_back = clock.local_date(session.get(EsimLine, line.id).valid_until)
    assert stale == [taken_back] and taken_back != paid_until
    assert [o["status"] for o in state.orders] == ["refunded"]
    assert state.lines[0]["valid_until"] == taken_back


def test_answer_handler_mails_the_customer_after_commit(app_db, mailbox):
    _admin_id, token = _admin()
    with db.session_scope() as session:
        customer = factories.customer(session, locale="en")
        ticket = support.create_ticket(
            session, user_id=customer.id, subject="Roaming", message="No data in Tokyo at all"
        )
    state = _state(TicketsState, token)
    answer = TicketsState.event_handlers["answer"].fn
    _run(answer(state, {"id": str(ticket.id), "answer": "Switch data roaming on, please."}))
    assert state.error == ""
    (mail,) = mailbox.to(customer.email)
    assert mail["Subject"] == f"Heyon support answered your ticket #{ticket.id}"
    assert "Switch data roaming on, please." in mail.get_content()
    with db.session_scope() as session:
        stored = session.get(SupportTicket, ticket.id)
        assert (stored.status, stored.answer) == ("answered", "Switch data roaming on, please.")
        assert [t.answer for t in support.tickets_of(session, user_id=customer.id)] == [
            "Switch data roaming on, please."
        ]


def test_extend_handler_without_reason_shows_the_message_and_changes_nothing(app_db):
    _admin_id, token = _admin()
    with db.session_scope() as session:
        line = factories.line(session)
        until = line.valid_until
    state = _state(CustomersState, token)
    _run(state.extend({"line": str(line.id), "days": "7", "reason": " "}))
    assert state.error == "请填写原因（至少 5 个字）。"
    with db.session_scope() as session:
        assert session.get(EsimLine, line.id).valid_until == until
        assert not session.exec(select(AuditLog).where(AuditLog.target == f"line:{line.id}")).all()
    _run(state.extend({"line": str(line.id), "days": "7", "reason": "Outage on 3 May"}))
    assert state.error == "" and state.notice == "有效期已延长。"
    with db.session_scope() as session:
        (entry,) = session.exec(select(AuditLog).where(AuditLog.target == f"line:{line.id}"))
        assert entry.detail == "Outage on 3 May" and json.loads(entry.before) == {
            "valid_until": None
        }


def test_racing_refund_clicks_on_postgresql_ask_stripe_once(pg_url, monkeypatch):
    """On PostgreSQL the racing clicks wait on the marker's unique key, not a database lock."""
    db.migrate(pg_url)
    with db.session_scope(pg_url) as session:
        seed.seed_catalogue(session)
        admin = factories.customer(session)
        admin.role = "admin"
        line = factories.line(session, valid_until=clock.now() + timedelta(days=30))
        package = factories.package(session, "DATA_M")
        order = Order(
            user_id=line.user_id,
            line_id=line.id,
            package_id=package.id,
            status="fulfilled",
            list_price_minor=package.price_minor,
            amount_minor=package.price_minor,
            currency=package.currency,
            payment_method="card",
            idempotency_key=f"key-{uuid.uuid4().hex}",
            payment_intent_id=f"pi_{uuid.uuid4().hex[:16]}",
        )
        session.add(order)
        session.flush()
        session.add(
            Payment(
                order_id=order.id,
                provider_ref=order.payment_intent_id,
                amount_minor=order.amount_minor,
                currency=order.currency,
                method="card",
            )
        )
        admin_id, order_id = admin.id, order.id
    asked: list[str] = []
    all_in = threading.Barrier(3, timeout=2)

    def slow_refund(intent_id: str, *, idempotency_key: str) -> str:
        asked.append(intent_id)
        with contextlib.suppress(threading.BrokenBarrierError):
            all_in.wait()  # hold the first click's transaction open while the others arrive
        return "re_1"

    monkeypatch.setattr(stripe_gateway, "refund_payment", slow_refund)

    def click() -> bool:
        with db.session_scope(pg_url) as session:
            admin = session.get(User, admin_id)
            return admin_customers.refund_order(session, actor=admin, order_id=order_id)

    assert sorted(run_at_once(click, times=3)) == [False, False, True]
    assert len(asked) == 1
    with db.session_scope(pg_url) as session:
        markers = session.exec(
            select(PaymentReversal).where(PaymentReversal.order_id == order_id)
        ).all()
        assert [(m.kind, m.status) for m in markers] == [("admin_refund", "requested")]
