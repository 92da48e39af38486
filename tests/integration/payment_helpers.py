"""Customers, lines and signed Stripe events for payment tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import timedelta

from sqlmodel import Session

from heyon_app import clock
from heyon_app.models import EsimLine, User
from heyon_app.services import stripe_gateway
from tests import factories


def make_customer(session: Session, *, with_line: bool = True) -> tuple[User, EsimLine | None]:
    """A customer, with a line valid 5 more days unless `with_line` is false."""
    user = factories.customer(session)
    valid_until = clock.now() + timedelta(days=5)
    return user, factories.line(session, user=user, valid_until=valid_until) if with_line else None


def signed(event: dict, secret: str | None = None) -> tuple[bytes, str]:
    payload = json.dumps(event).encode()
    stamp = int(time.time())
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
