"""Customers, lines and signed Stripe events for payment tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import timedelta

import httpx
from sqlmodel import Session
from starlette.testclient import TestClient

from heyon_app import clock
from heyon_app.api import build_api
from heyon_app.models import EsimLine, User
from heyon_app.services import billing, stripe_gateway
from tests import factories


def make_customer(session: Session, *, with_line: bool = True) -> tuple[User, EsimLine | None]:
    """A customer, with a line valid 5 more days unless `with_line` is false."""
    user = factories.customer(session)
    valid_until = clock.now() + timedelta(days=5)
    return user, factories.line(session, user=user, valid_until=valid_until) if with_line else None


def signed(event: dict, secret: str | None = None, *, age: float = 0) -> tuple[bytes, str]:
    """The body and Stripe-Signature header Stripe would send, signed `age` seconds ago
    (Stripe's own clock, not the app's: the SDK checks it against the real time)."""
    payload = json.dumps(event).encode()
    stamp = int(time.time() - age)
    digest = hmac.new(
        (secret or stripe_gateway.webhook_secret()).encode(),
        f"{stamp}.".encode() + payload,
        hashlib.sha256,
    ).hexdigest()
    return payload, f"t={stamp},v1={digest}"


def intent_event(kind: str, intent_id: str, amount: int, currency: str = "cny", **extra) -> dict:
    return {
        "id": "evt_" + uuid.uuid4().hex,
        "object": "event",
        "type": kind,
        "data": {
            "object": {
                "id": intent_id,
                "object": "payment_intent",
                "amount": amount,
                "amount_received": amount,
                "currency": currency,
                **extra,
            }
        },
    }


def place_order(session: Session, *, package: str = "DATA_M", method: str = "card", line=True):
    user, line_row = make_customer(session, with_line=line)
    order = billing.create_order(
        session,
        user=user,
        line_id=line_row.id if line_row else None,
        package_code=package,
        method=method,
    )
    session.commit()
    return user, line_row, order


def order_with_intent(session: Session, *, method: str = "card", line=True):
    """An order whose PaymentIntent exists (the customer pressed Pay), refreshed."""
    user, line_row, order = place_order(session, line=line)
    billing.start_payment(session, user=user, order_id=order.id, method=method)
    session.refresh(order)
    return user, line_row, order


def pay_with_card(intent_id: str, number: str = "4242424242424242") -> dict:
    """What the page's Stripe.js does with a card (test-mode confirm), done over HTTP."""
    intent = stripe_gateway.retrieve_payment_intent(intent_id)
    response = httpx.post(
        f"{stripe_gateway.settings.stripe_api_base}/_config/heyon/payment_intents/"
        f"{intent_id}/confirm_card",
        json={
            "client_secret": intent.client_secret,
            "card": {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"},
        },
        timeout=10,
    )
    return response.json()


def post_event(event: dict, secret: str | None = None, *, age: float = 0):
    payload, header = signed(event, secret, age=age)
    with TestClient(build_api()) as http:
        return http.post(
            stripe_gateway.WEBHOOK_PATH, content=payload, headers={"Stripe-Signature": header}
        )
