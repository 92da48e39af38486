"""Customers, lines and signed Stripe events for payment tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import timedelta

from sqlmodel import Session, select

from heyon_app import clock
from heyon_app.models import EsimLine, Package, User
from heyon_app.services import stripe_gateway


def make_customer(session: Session, *, with_line: bool = True) -> tuple[User, EsimLine | None]:
    tag = uuid.uuid4().hex[:10]
    user = User(
        email=f"pay-{tag}@example.com", phone="+8613912345678", password_hash="x", locale="zh-CN"
    )
    session.add(user)
    session.flush()
    line = None
    if with_line:
        package = session.exec(select(Package).where(Package.code == "DATA_M")).one()
        line = EsimLine(
            user_id=user.id,
            number=f"+86171{int(tag, 16) % 10**8:08d}",
            iccid=f"8986{int(tag, 16) % 10**15:015d}",
            status="active",
            activation_code="LPA:1$smdp.heyon.local$TEST",
            package_id=package.id,
            valid_until=clock.now() + timedelta(days=5),
        )
        session.add(line)
        session.flush()
    return user, line


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
