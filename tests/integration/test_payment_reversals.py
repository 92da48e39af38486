"""Races around one order's intent, refunds and disputes through the real webhook endpoint,
and the webhook's work kept off the event loop."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
import time
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from heyon_app import clock
from heyon_app.api import build_api
from heyon_app.db import engine, session_scope
from heyon_app.models import AuditLog, EsimLine, Order
from heyon_app.services import billing, fulfilment, stripe_gateway
from heyon_app.services.periods import add_period
from tests.concurrency import run_coroutine
from tests.integration.payment_helpers import (
    make_customer,
    pay_with_card,
    place_order,
    post_event,
    signed,
)


def test_claim_taken_over_while_stripe_is_slow_hands_out_only_the_recorded_intent(
    stripe_db, no_webhooks, monkeypatch
):
    with session_scope() as session:
        user, line, order = place_order(session)
    inside, release = threading.Event(), threading.Event()
    create = stripe_gateway.create_payment_intent
    calls, created = [], []

    def slow_first_create(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:  # the first request's Stripe call outlasts its claim
            inside.set()
            assert release.wait(20)
        view = create(**kwargs)
        created.append(view.id)
        return view

    monkeypatch.setattr(stripe_gateway, "create_payment_intent", slow_first_create)
    first: list[billing.PaymentStart] = []

    def first_request() -> None:
        with Session(engine(), expire_on_commit=False) as s:
            first.append(billing.start_payment(s, user=user, order_id=order.id, method="card"))

    thread = threading.Thread(target=first_request)
    thread.start()
    assert inside.wait(10)
    later = clock.now() + billing.CLAIM_STALE_AFTER + timedelta(seconds=1)
    with clock.freeze(later), Session(engine(), expire_on_commit=False) as s:
        second = billing.start_payment(s, user=user, order_id=order.id, method="card")
    release.set()
    thread.join(30)
    assert len(calls) == 2  # two intents exist on the Stripe side
    with session_scope() as session:
        recorded = session.get(Order, order.id).payment_intent_id
    secret_of = stripe_gateway.retrieve_payment_intent(recorded).client_secret
    assert first[0].client_secret == second.client_secret == secret_of
    # The first request's own intent can no longer be paid.
    others = [stripe_gateway.retrieve_payment_intent(i) for i in created if i != recorded]
    assert others and all(i.status == "canceled" for i in others)


class Catcher:
    """An HTTP endpoint the local Stripe server sends its signed webhooks to, kept as sent."""

    def __init__(self) -> None:
        self.events: list[tuple[bytes, str]] = []
        catcher = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's hook
                body = self.rfile.read(int(self.headers["Content-Length"]))
                catcher.events.append((body, self.headers.get("Stripe-Signature", "")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_args) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, kind: str, intent: str, timeout: float = 10) -> tuple[bytes, str]:
        """The first `kind` event about PaymentIntent `intent`: the local Stripe server may
        still be sending an earlier test's events when this one registers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body, signature in list(self.events):
                event = json.loads(body)
                about = event["data"]["object"]
                if event["type"] == kind and intent in (
                    about.get("id"),
                    about.get("payment_intent"),
                ):
                    return body, signature
            time.sleep(0.05)
        raise AssertionError(f"the local Stripe server sent no {kind} for {intent}")


@pytest.fixture
def catcher(no_webhooks):
    caught = Catcher()
    stripe_gateway.register_local_webhook(caught.url)
    yield caught
    caught.server.shutdown()


def _deliver(body: bytes, signature: str) -> int:
    with TestClient(build_api()) as http_client:
        return http_client.post(
            stripe_gateway.WEBHOOK_PATH, content=body, headers={"Stripe-Signature": signature}
        ).status_code


def test_refund_made_at_stripe_takes_the_month_back_once_and_mails_the_customer(
    stripe_db, catcher, mailbox
):
    with session_scope() as session:
        user, line, order = place_order(session)
        before = line.valid_until
        billing.start_payment(session, user=user, order_id=order.id, method="card")
        session.refresh(order)
    pay_with_card(order.payment_intent_id)
    assert _deliver(*catcher.wait_for("payment_intent.succeeded", order.payment_intent_id)) == 200
    with session_scope() as session:
        assert session.get(EsimLine, line.id).valid_until == add_period(before, "month")
    stripe_gateway.client().v1.refunds.create(params={"payment_intent": order.payment_intent_id})
    refunded = catcher.wait_for("charge.refunded", order.payment_intent_id)
    for _ in range(3):
        assert _deliver(*refunded) == 200
    with session_scope() as session:
        assert session.get(Order, order.id).status == "refunded"
        assert session.get(EsimLine, line.id).valid_until == before
        logs = session.exec(
            select(AuditLog).where(AuditLog.action == "payment.validity_taken_back")
        ).all()
        assert len([entry for entry in logs if f"order {order.id} " in entry.detail]) == 1
    receipt, refund = mailbox.to(user.email)
    assert str(order.id) in refund["Subject"] and "退款" in refund["Subject"]


def _dispute_event(intent_id: str, kind: str, status: str, dispute_id: str) -> dict:
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": f"charge.dispute.{kind}",
        "data": {
            "object": {
                "id": dispute_id,
                "object": "dispute",
                "payment_intent": intent_id,
                "amount": 5_900,
                "currency": "cny",
                "status": status,
            }
        },
    }


@pytest.mark.parametrize("closed_first", [False, True])
def test_lost_dispute_posted_to_the_webhook_withholds_the_month(
    stripe_db, no_webhooks, closed_first
):
    with session_scope() as session:
        user, line, order = place_order(session)
        before = line.valid_until
        billing.start_payment(session, user=user, order_id=order.id, method="card")
        session.refresh(order)
    pay_with_card(order.payment_intent_id)
    with session_scope() as session:
        fulfilment.sync_order(session, order=session.get(Order, order.id), source="test")
    dispute_id = f"dp_{uuid.uuid4().hex[:12]}"
    created = _dispute_event(order.payment_intent_id, "created", "needs_response", dispute_id)
    lost = _dispute_event(order.payment_intent_id, "closed", "lost", dispute_id)
    for event in [lost, created, lost] if closed_first else [created, created, lost]:
        assert post_event(event).status_code == 200
    with session_scope() as session:
        assert session.get(Order, order.id).status == "disputed"
        assert session.get(EsimLine, line.id).valid_until == before


def test_webhook_refused_when_signed_with_another_secret_changes_nothing(stripe_db):
    with session_scope() as session:
        user, line = make_customer(session)
    event = _dispute_event("pi_forged", "created", "needs_response", "dp_forged")
    assert post_event(event, secret="whsec_someone_else").status_code == 400


def test_webhook_waits_for_the_database_off_the_event_loop(stripe_db, monkeypatch):
    def slow_handle(session, event):
        time.sleep(0.5)  # as if waiting on a row lock
        return fulfilment.Outcome()

    monkeypatch.setattr(fulfilment, "handle_event", slow_handle)
    payload, header = signed({"id": "evt_slow", "type": "customer.created", "data": {}})

    async def scenario() -> int:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        transport = httpx.ASGITransport(app=build_api())
        async with httpx.AsyncClient(transport=transport, base_url="http://heyon.test") as http:
            response = await http.post(
                stripe_gateway.WEBHOOK_PATH, content=payload, headers={"Stripe-Signature": header}
            )
        task.cancel()
        assert response.status_code == 200
        return ticks

    assert run_coroutine(scenario()) >= 20  # other work went on while the event was handled
