"""Payments under fault: a backend killed mid-fulfilment, every bad way a webhook arrives,
the database down or out of reach during a checkout.

Each test injects one fault at the worst moment and then checks the one thing that
matters: a payment Stripe took is fulfilled exactly once (one transition to fulfilled,
one Payment, the line extended by one period, one receipt), or refused with nothing
changed, and nothing half-done survives.

A payment whose amount or currency differs from its order's is never fulfilled: the order
stays open (nothing extended, no receipt) and gets one `payment.amount_mismatch` audit
entry (target "order:<id>") however often Stripe or reconciliation reports it, so a person
refunds or honours it.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import make_url
from sqlmodel import Session, col, select

from heyon_app import clock, db, jobs, payments, seed
from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.models import (
    AuditLog,
    EsimLine,
    Notification,
    Order,
    OrderTransition,
    Payment,
    StripeEvent,
    User,
)
from heyon_app.services import accounts, billing, checkout, stripe_gateway
from heyon_app.services.periods import add_period
from heyon_app.state import checkout as checkout_state
from heyon_app.state.checkout import CheckoutState, ResultState
from tests.concurrency import Tab, run_at_once, run_coroutine, wait_for
from tests.integration.payment_helpers import (
    intent_event,
    make_customer,
    order_with_intent,
    pay_with_card,
    post_event,
    signed,
)
from tests.paying import press_pay
from tests.tcp_proxy import TcpProxy

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
        # Reminders may be queued beside it (a worker pass ran): count the receipts.
        queued = session.exec(
            select(Notification).where(
                Notification.user_id == user.id,
                col(Notification.body).contains(order.receipt_number),
            )
        ).all()
        assert sorted(n.channel for n in queued) == ["email", "sms"]
    receipts = [m for m in mailbox.to(user.email) if order.receipt_number in m.get_payload()]
    assert len(receipts) == 1


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
    backend: subprocess.Popen | None = None
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
        if backend is not None and backend.poll() is None:
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


# --- Webhooks: every way Stripe, or someone posing as Stripe, can deliver an event -------


def point_app_at(url: str, monkeypatch) -> str:
    """The app's default database (webhook, reconcile, pages) becomes `url`, migrated and
    with the catalogue."""
    db.migrate(url)
    with session_scope(url) as session:
        seed.seed_catalogue(session)
    monkeypatch.setattr(db, "settings", dataclasses.replace(db.settings, db_url=url))
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request, stripe_db, no_webhooks, monkeypatch) -> str:
    """SQLite serialises whole transactions; PostgreSQL really runs them side by side."""
    if request.param == "sqlite":
        return stripe_db
    return point_app_at(request.getfixturevalue("pg_url"), monkeypatch)


def _succeeded(order: Order, amount: int = 5_900, currency: str = "cny") -> dict:
    return intent_event(
        "payment_intent.succeeded",
        order.payment_intent_id,
        amount,
        currency,
        metadata={"order_id": str(order.id)},
    )


def _unchanged(order_id: int, line_id: int, before, status: str = "processing") -> None:
    with session_scope() as session:
        assert session.get(Order, order_id).status == status
        assert session.exec(select(Payment).where(Payment.order_id == order_id)).first() is None
        assert session.get(EsimLine, line_id).valid_until == before


@pytest.mark.parametrize("delivery", ["one after another", "all at once"])
def test_same_event_delivered_ten_times_extends_once(any_db, mailbox, delivery):
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    event = _succeeded(order)
    if delivery == "all at once":
        answers = run_at_once(lambda: post_event(event).status_code, times=10)
    else:
        answers = [post_event(event).status_code for _ in range(10)]
    assert answers == [200] * 10
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)


def test_webhook_worker_and_result_page_settling_at_once_fulfil_once(any_db, mailbox):
    """The three paths to fulfilment race for one payment (each with its own event or
    Stripe call): one of them fulfils, the others find it done."""
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    assert pay_with_card(order.payment_intent_id)["status"] == "succeeded"

    def result_page() -> None:
        with session_scope() as session:
            customer = session.get(type(user), user.id)
            checkout.settle_order(session, user=customer, order_id=order.id)

    paths = [
        lambda: post_event(_succeeded(order)),
        lambda: post_event(_succeeded(order)),
        payments.reconcile,
        result_page,
    ]
    run_at_once(lambda: paths.pop()(), times=len(paths))
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)


@pytest.mark.parametrize(
    "late",
    ["payment_intent.payment_failed", "payment_intent.canceled", "payment_intent.processing"],
)
def test_events_delivered_after_the_success_they_preceded_change_nothing(
    stripe_db, no_webhooks, mailbox, late
):
    """Stripe does not promise order: a decline of an earlier attempt, a cancel request that
    lost the race or the intent's processing step arrive after the success."""
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    assert post_event(_succeeded(order)).status_code == 200
    stale = intent_event(
        late,
        order.payment_intent_id,
        5_900,
        last_payment_error={"code": "card_declined"},
    )
    assert post_event(stale).status_code == 200
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)


def test_a_late_decline_landing_while_the_result_page_settles_a_retry_shows_it_paid(
    any_db, mailbox, monkeypatch
):
    """A card is declined, the customer pays with another, and the result page opens. The
    decline's webhook, slow to come, lands just after the page read the order: it puts the
    retried order back to failed. Stripe says the retry succeeded, so the page fulfils it
    from there and says paid, not "payment failed" (the browser test met this race when
    its decline's webhook was the run's first and slow)."""
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    assert pay_with_card(order.payment_intent_id, "4000000000000002")["error"]
    with session_scope() as session:
        customer = session.get(User, user.id)
        assert checkout.settle_order(session, user=customer, order_id=order.id).status == "failed"
        billing.start_payment(session, user=customer, order_id=order.id, method="card")
    assert pay_with_card(order.payment_intent_id)["status"] == "succeeded"
    decline = intent_event(
        "payment_intent.payment_failed",
        order.payment_intent_id,
        5_900,
        last_payment_error={"code": "card_declined"},
    )
    ask_stripe = stripe_gateway.retrieve_payment_intent
    landed = []

    def decline_lands_meanwhile(intent_id: str):
        if landed:  # the webhook's own look at Stripe: unreachable, so it marks the order failed
            raise stripe_gateway.GatewayError("unreachable")
        landed.append(True)
        assert post_event(decline).status_code == 200
        return ask_stripe(intent_id)

    monkeypatch.setattr(stripe_gateway, "retrieve_payment_intent", decline_lands_meanwhile)
    with session_scope() as session:
        customer = session.get(User, user.id)
        shown = checkout.result_view(session, user=customer, order_id=order.id)
    assert landed and shown.status == "paid"
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)


def test_a_late_decline_of_an_attempt_retried_since_does_not_show_the_order_failed(
    stripe_db, no_webhooks, mailbox
):
    """A card is declined and another pays at once; the decline's event comes after the
    retry went through, before the success event. Stripe says the intent is paid, so the
    order is not shown failed meanwhile; the success event then fulfils it once. A decline
    with no retry after it still shows failed."""
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
        declined_user, _declined_line, declined = order_with_intent(session)
    for target in (order, declined):
        assert pay_with_card(target.payment_intent_id, "4000000000000002")["error"]
    with session_scope() as session:
        billing.start_payment(
            session, user=session.get(User, user.id), order_id=order.id, method="card"
        )
    assert pay_with_card(order.payment_intent_id)["status"] == "succeeded"
    for target in (order, declined):
        decline = intent_event(
            "payment_intent.payment_failed",
            target.payment_intent_id,
            5_900,
            last_payment_error={"code": "card_declined"},
        )
        assert post_event(decline).status_code == 200
    with session_scope() as session:
        assert session.get(Order, order.id).status != "failed"
        assert session.get(Order, declined.id).status == "failed"
    assert post_event(_succeeded(order)).status_code == 200
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)


@pytest.mark.parametrize("reconciled_first", [False, True])
def test_success_delivered_an_hour_late_fulfils_once(
    stripe_db, no_webhooks, mailbox, reconciled_first
):
    """The webhook comes an hour after the payment (Stripe retried): it fulfils, counted
    from the order's line, not from the hour; if the worker fulfilled it meanwhile, the
    late event adds nothing."""
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    assert pay_with_card(order.payment_intent_id)["status"] == "succeeded"
    if reconciled_first:
        payments.reconcile()
    an_hour_later = clock.now() + timedelta(hours=1)
    with clock.freeze(an_hour_later):
        assert post_event(_succeeded(order)).status_code == 200
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)
    with session_scope() as session:
        paid = session.exec(select(Payment).where(Payment.order_id == order.id)).one()
        assert (paid.paid_at == an_hour_later) is not reconciled_first


def _forged(event: dict, how: str) -> dict[str, object]:
    payload, header = signed(event)
    if how == "another secret":
        payload, header = signed(event, "whsec_someone_else")
    elif how == "no signature":
        header = ""
    elif how == "body changed after signing":
        payload = payload.replace(b'"amount": 5900', b'"amount": 1')
    elif how == "signed an hour ago (a replay)":
        payload, header = signed(event, age=3600)
    elif how == "not JSON":
        payload, header = signed(event)
        payload = payload[:-1]
    return {"content": payload, "headers": {"Stripe-Signature": header}}


@pytest.mark.parametrize(
    "how",
    [
        "another secret",
        "no signature",
        "body changed after signing",
        "signed an hour ago (a replay)",
        "not JSON",
    ],
)
def test_webhook_not_signed_by_stripe_now_is_refused_and_changes_nothing(
    stripe_db, no_webhooks, mailbox, how
):
    """Even for an intent that really succeeded: only Stripe's fresh word counts (the
    worker's reconciliation, which asks Stripe itself, still fulfils it)."""
    from starlette.testclient import TestClient

    from heyon_app.api import build_api

    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    assert pay_with_card(order.payment_intent_id)["status"] == "succeeded"
    event = _succeeded(order)
    with TestClient(build_api()) as http:
        answer = http.post(stripe_gateway.WEBHOOK_PATH, **_forged(event, how))
    assert answer.status_code == 400
    _unchanged(order.id, line.id, before)
    with session_scope() as session:
        assert session.get(StripeEvent, event["id"]) is None  # Stripe's real delivery counts
    assert post_event(event).status_code == 200
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)


@pytest.mark.parametrize(
    "kind", ["customer.created", "payment_intent.amount_capturable_updated", "made.up"]
)
def test_unknown_event_type_is_acknowledged_and_changes_nothing(stripe_db, no_webhooks, kind):
    with session_scope() as session:
        _, line, order = order_with_intent(session)
        before = line.valid_until
    event = intent_event(kind, order.payment_intent_id, 5_900, status="succeeded")
    assert post_event(event).status_code == 200  # else Stripe retries it for days
    _unchanged(order.id, line.id, before)


def _mismatch_entries(order_id: int) -> list[AuditLog]:
    with session_scope() as session:
        return list(
            session.exec(
                select(AuditLog).where(
                    AuditLog.action == "payment.amount_mismatch",
                    AuditLog.target == f"order:{order_id}",
                )
            ).all()
        )


@pytest.mark.parametrize(
    ("amount", "currency"), [(100, "cny"), (590_000, "cny"), (5_900, "usd"), (5_900, "CNH")]
)
def test_success_for_another_amount_or_currency_never_fulfils_and_flags_the_order_once(
    stripe_db, no_webhooks, mailbox, amount, currency
):
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
    for _ in range(3):  # Stripe retries; each delivery its own event
        assert post_event(_succeeded(order, amount, currency)).status_code == 200
    _unchanged(order.id, line.id, before)
    flagged = _mismatch_entries(order.id)
    assert len(flagged) == 1
    assert f"says {amount} {currency.upper()}" in flagged[0].detail
    assert mailbox.to(user.email) == []


def test_payment_stripe_took_for_another_amount_is_flagged_once_however_often_reconciled(
    stripe_db, no_webhooks, mailbox
):
    """The intent itself says another amount than the order (a bug or a hand edit at
    Stripe): every worker pass sees the open order, none fulfils it or adds an entry."""
    with session_scope() as session:
        user, line, order = order_with_intent(session)
        before = line.valid_until
        row = session.get(Order, order.id)
        row.amount_minor += 1
        session.add(row)
    assert pay_with_card(order.payment_intent_id)["status"] == "succeeded"
    for _ in range(3):
        payments.reconcile()
    _unchanged(order.id, line.id, before)
    assert len(_mismatch_entries(order.id)) == 1
    assert mailbox.to(user.email) == []


# --- The database out of reach during a checkout (PostgreSQL behind a proxy we cut) ------


@pytest.fixture
def db_behind_proxy(pg_url, stripe_db, no_webhooks, monkeypatch) -> Iterator[TcpProxy]:
    """The app's database reached through a proxy: `cut()` is an outage (connections
    dropped, new ones refused), `restore()` its end. The shared server is never stopped."""
    url = make_url(pg_url)
    # The shortest timeout libpq takes: a test of the unanswering server waits 2 s, not 5.
    monkeypatch.setattr(db, "CONNECT_TIMEOUT_SECONDS", 2)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        point_app_at(url.set(port=proxy.port).render_as_string(hide_password=False), monkeypatch)
        yield proxy


def _press_pay(tab: Tab) -> None:
    run_coroutine(press_pay(tab))


def _customer_tab(locale: str, *, order: Order | None = None) -> tuple[User, EsimLine, Tab]:
    with session_scope() as session:
        if order is None:
            user, line = make_customer(session)
        else:
            user, line = session.get(User, order.user_id), session.get(EsimLine, order.line_id)
        user.locale = locale
        session.add(user)
        token = accounts.open_session(session, user)
    # The tab the checkout and result pages share here: its review showed DATA_M at ¥59.00,
    # and the result page's URL names the order.
    tab = Tab(
        CheckoutState,
        ResultState,
        auth_token=token,
        locale=locale,
        line_id=line.id,
        selected="DATA_M",
        _shown_minor=5_900,
        router=SimpleNamespace(
            url=SimpleNamespace(query_parameters={"order": order.id if order else 0})
        ),
    )
    return user, line, tab


def _orders_of(user: User) -> list[Order]:
    with session_scope() as session:
        return list(session.exec(select(Order).where(Order.user_id == user.id)).all())


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_paying_while_the_database_is_down_says_so_and_works_once_it_is_back(
    db_behind_proxy, locale
):
    """The whole Pay step inside the outage: the customer is told in their language, the
    button comes back, nothing is ordered; the same click after the outage starts paying."""
    user, line, tab = _customer_tab(locale)
    db_behind_proxy.cut()
    _press_pay(tab)
    assert not tab.busy and tab._pay_order_id == 0
    assert tab.error == translate("checkout.error.unavailable", locale)
    db_behind_proxy.restore()
    assert _orders_of(user) == []
    _press_pay(tab)
    assert tab.error == "" and tab.busy and tab._pay_order_id
    [order] = _orders_of(user)
    assert order.status == "processing" and order.payment_intent_id.startswith("pi_")


def test_database_lost_after_stripe_made_the_intent_ends_in_one_paid_renewal(
    db_behind_proxy, monkeypatch, mailbox
):
    """The outage starts while Stripe creates the PaymentIntent: its id never reaches our
    database and its secret never reaches the page. Once the database is back and the
    half-made claim is stale, paying again charges once and renews once."""
    user, line, tab = _customer_tab("zh-CN")
    before = line.valid_until
    create = stripe_gateway.create_payment_intent

    def created_then_outage(**kwargs) -> stripe_gateway.IntentView:
        view = create(**kwargs)
        db_behind_proxy.cut()
        return view

    monkeypatch.setattr(stripe_gateway, "create_payment_intent", created_then_outage)
    _press_pay(tab)
    assert not tab.busy and tab.error == translate("checkout.error.unavailable", "zh-CN")
    monkeypatch.setattr(stripe_gateway, "create_payment_intent", create)
    db_behind_proxy.restore()
    with clock.freeze(clock.now() + billing.CLAIM_STALE_AFTER + timedelta(seconds=1)):
        _press_pay(tab)
    assert tab.error == "" and tab._pay_order_id
    [order] = _orders_of(user)  # the order made before the outage, paid now
    assert tab._pay_order_id == order.id and order.payment_intent_id.startswith("pi_")
    assert pay_with_card(order.payment_intent_id)["status"] == "succeeded"
    assert post_event(_succeeded(order)).status_code == 200
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)


@pytest.mark.parametrize("settled_by", ["result page", "worker"])
def test_payment_made_while_the_database_is_down_is_fulfilled_once_when_it_returns(
    db_behind_proxy, monkeypatch, mailbox, settled_by
):
    """Stripe takes the money during the outage. The webhook is refused with 503 (Stripe
    retries), the worker's pass fails softly, the result page keeps saying "processing";
    when the database returns, whichever asks Stripe first fulfils, once."""
    with session_scope() as session:
        _, _, order = order_with_intent(session)
    user, line, tab = _customer_tab("en", order=order)
    before = line.valid_until
    db_behind_proxy.cut()
    assert pay_with_card(order.payment_intent_id)["status"] == "succeeded"
    assert post_event(_succeeded(order)).status_code == 503
    assert jobs.run_pass()["reconcile"] == "error"
    if settled_by == "result page":
        asked: list[int] = []
        view = checkout_state._result_view

        def outage_ends_after_three_polls(token: str, order_id: int):
            asked.append(order_id)
            if len(asked) == 4:
                db_behind_proxy.restore()
            return view(token, order_id)

        monkeypatch.setattr(checkout_state, "_result_view", outage_ends_after_three_polls)
        monkeypatch.setattr(checkout_state, "POLL_SECONDS", 0.01)
        run_coroutine(tab.handle("load_result"))
        assert len(asked) == 4 and (tab.status, tab.message_key) == ("paid", "result.paid")
    else:
        db_behind_proxy.restore()
        assert jobs.run_pass()["reconcile"]["fulfilled"] >= 1
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)
    # Stripe's retry of the refused delivery, and the next worker pass, add nothing.
    assert post_event(_succeeded(order)).status_code == 200
    jobs.run_pass()
    _assert_fulfilled_once(order.id, line.id, before, user, mailbox)


def test_database_restarted_between_two_clicks_goes_unnoticed(db_behind_proxy):
    """A restart or failover while nobody asks: the pooled connections are dead, yet the
    next customer's click works (each is checked before use), with no error shown."""
    user, line, tab = _customer_tab("zh-CN")
    _press_pay(tab)  # the pool now holds connections
    assert tab.error == "" and tab._pay_order_id
    used = db_behind_proxy.connections
    db_behind_proxy.cut()
    db_behind_proxy.restore()
    _, _, other = _customer_tab("en")
    _press_pay(other)
    assert other.error == "" and other._pay_order_id
    assert db_behind_proxy.connections > used  # it reconnected


def test_paying_while_the_database_does_not_answer_gives_up_with_a_message(db_behind_proxy):
    """Out of reach rather than down (connecting hangs instead of failing): the click ends
    with the message after the connect timeout, not with a button spinning for ever."""
    user, line, tab = _customer_tab("en")
    db_behind_proxy.hold()
    _press_pay(tab)
    assert not tab.busy and tab.error == translate("checkout.error.unavailable", "en")
    db_behind_proxy.restore()
    assert _orders_of(user) == []
