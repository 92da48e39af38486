"""A whole renewal with every log line captured: each is JSON, none carries a secret."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from heyon_app import clock, logs
from heyon_app.api import build_api
from heyon_app.db import session_scope
from heyon_app.models import Order
from heyon_app.services import accounts, billing, stripe_gateway
from tests import factories
from tests.integration.payment_helpers import intent_event, pay_with_card, signed

PASSWORD = "Renew-Pass-7319!"
CARD = "4242424242424242"
CVC = "123"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every record of every logger, at DEBUG, through the production handler."""
    out = io.StringIO()
    handler = logs.json_handler(out)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _post_webhook(event: dict, request_id: str):
    payload, header = signed(event)
    with TestClient(build_api()) as http:
        return http.post(
            stripe_gateway.WEBHOOK_PATH,
            content=payload,
            headers={"Stripe-Signature": header, "X-Request-ID": request_id},
        )


def test_renewal_logs_are_json_and_leak_no_secret(stripe_db, no_webhooks, mailbox, log_lines):
    email = f"renew-{clock.now().timestamp():.0f}@example.com"
    with session_scope() as session:
        user = accounts.register(session, email=email, phone="+86 138 0013 8001", password=PASSWORD)
        session.commit()
        login = accounts.log_in(session, email=email, password=PASSWORD, address="198.51.100.7")
        session.commit()
        session_token = login.token
        reset = accounts.start_password_reset(session, email=email, address="198.51.100.7")
        session.commit()
        assert reset is not None and accounts.send_reset_mail(session, reset)
        line = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=5))
        order = billing.create_order(
            session, user=user, line_id=line.id, package_code="DATA_M", method="card"
        )
        session.commit()
        start = billing.start_payment(session, user=user, order_id=order.id, method="card")
        session.refresh(order)
        order_id, intent_id, amount = order.id, order.payment_intent_id, order.amount_minor
    reset_token = re.search(r"token=(\S+)", mailbox.to(email)[0].get_content()).group(1)
    assert pay_with_card(intent_id, CARD)["status"] == "succeeded"
    event = intent_event(
        "payment_intent.succeeded", intent_id, amount, metadata={"order_id": str(order_id)}
    )
    assert _post_webhook(event, "renewal-req-1").status_code == 200
    with session_scope() as session:
        assert session.get(Order, order_id).status == "fulfilled"
    assert len(mailbox.to(email)) == 2  # the reset link, then the receipt

    text = log_lines.getvalue()
    lines = [json.loads(raw) for raw in text.splitlines()]
    assert lines and all({"time", "level", "logger", "message"} <= set(r) for r in lines)
    secrets = [PASSWORD, session_token, reset_token, "reset-password?token=", start.client_secret]
    secrets += [CARD, '"cvc": "123"', "cvc=123"]
    for secret in secrets:
        assert secret not in text
    fulfilled = [r for r in lines if r["message"].startswith(f"order {order_id} fulfilled")]
    assert len(fulfilled) == 1
    assert fulfilled[0]["order_id"] == order_id and fulfilled[0]["request_id"] == "renewal-req-1"
