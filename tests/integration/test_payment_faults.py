"""Payments under fault: a backend killed mid-fulfilment, and what reconciliation makes of it.

Each test injects one fault at the worst moment and then checks the one thing that
matters: a payment Stripe took is fulfilled exactly once (one transition to fulfilled,
one Payment, the line extended by one period, one receipt), and nothing half-done survives.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from heyon_app.db import session_scope
from heyon_app.models import EsimLine, Notification, Order, OrderTransition, Payment
from heyon_app.services import stripe_gateway
from heyon_app.services.periods import add_period
from tests.concurrency import wait_for
from tests.integration.payment_helpers import (
    intent_event,
    order_with_intent,
    pay_with_card,
    post_event,
)

ROOT = Path(__file__).resolve().parents[2]
LOST = "http://127.0.0.1:9/lost"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _spawn_crashing(*args: str, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.integration.crashing_backend", *args],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _restarted_worker_reconciles() -> None:
    """What the worker does on its first pass after the restart, in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-m", "heyon_app.payments", "reconcile"],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Other tests' orders share the database (some with made-up intents Stripe does not
    # know), so the exit code says nothing about this order: the database does.
    assert "checked" in done.stdout, done.stderr


def _transitions_to(session: Session, order_id: int, status: str) -> int:
    return len(
        session.exec(
            select(OrderTransition).where(
                OrderTransition.order_id == order_id, OrderTransition.to_status == status
            )
        ).all()
    )


def _assert_fulfilled_once(order_id: int, line_id: int, before, user, mailbox) -> None:
    with session_scope() as session:
        order = session.get(Order, order_id)
        assert order.status == "fulfilled" and order.receipt_number
        assert _transitions_to(session, order_id, "fulfilled") == 1
        assert len(session.exec(select(Payment).where(Payment.order_id == order_id)).all()) == 1
        assert session.get(EsimLine, line_id).valid_until == add_period(before, "month")
        queued = session.exec(select(Notification).where(Notification.user_id == user.id)).all()
        assert sorted(n.channel for n in queued) == ["email", "sms"]
    receipts = mailbox.to(user.email)
    assert len(receipts) == 1 and order.receipt_number in receipts[0].get_payload()


@pytest.mark.parametrize("dying", ["webhook", "reconcile"])
def test_backend_killed_between_stripe_success_and_commit_is_fulfilled_once_after_restart(
    stripe_db, no_webhooks, mailbox, tmp_path, dying
):
    """SIGKILL the process that is fulfilling (the webhook's backend, or the worker's
    reconciliation) after Stripe took the money and before the commit: the restarted worker
    fulfils the order once, and Stripe's late retry of the webhook adds nothing."""
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    held = tmp_path / "held-before-commit"
    log = tmp_path / "backend.log"
    if dying == "webhook":
        port = _free_port()
        backend = _spawn_crashing("webhook", str(port), str(held), log=log)
        assert wait_for(lambda: _listening(port) or backend.poll() is not None, timeout=60)
        stripe_gateway.register_local_webhook(
            f"http://127.0.0.1:{port}{stripe_gateway.WEBHOOK_PATH}"
        )
    try:
        assert pay_with_card(order.payment_intent_id)["status"] == "succeeded"
        if dying == "reconcile":
            backend = _spawn_crashing("reconcile", str(held), log=log)
        assert wait_for(held.exists, timeout=60), log.read_text()
        assert held.read_text() == order.payment_intent_id
        backend.send_signal(signal.SIGKILL)
        assert backend.wait(timeout=10) == -signal.SIGKILL
    finally:
        if backend.poll() is None:
            backend.kill()
            backend.wait()
        stripe_gateway.register_local_webhook(LOST)

    # The killed transaction left nothing behind: no payment, no extension, no receipt.
    with session_scope() as session:
        assert session.get(Order, order.id).status == "processing"
        assert session.exec(select(Payment).where(Payment.order_id == order.id)).first() is None
        assert session.get(EsimLine, line.id).valid_until == before
        assert session.exec(select(Notification).where(Notification.user_id == user.id)).all() == []

    _restarted_worker_reconciles()
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)

    # Stripe retries the delivery the dead backend never answered, to the restarted one.
    late = intent_event(
        "payment_intent.succeeded", order.payment_intent_id, 5_900, metadata={"order_id": order.id}
    )
    assert post_event(late).status_code == 200
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)
