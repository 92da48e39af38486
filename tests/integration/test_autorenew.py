"""Auto-renew with a saved card, against the local Stripe server: paid (extended once, one
order, one intent, one receipt), declined and needing authentication (told once by mail and
SMS, reminders go on, nothing extended), switched off (no charge), and two workers at once
on SQLite and PostgreSQL (one charge).

The clock is frozen a minute into the charge's day before an expiry derived from now."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from heyon_app import clock, db, jobs, routes, seed
from heyon_app.i18n import translate
from heyon_app.models import (
    AutoRenewal,
    AutoRenewAttempt,
    EsimLine,
    Notification,
    Order,
    Payment,
    Promotion,
    User,
)
from heyon_app.services import autorenew, billing, stripe_gateway
from heyon_app.services.errors import UserError
from heyon_app.services.periods import add_period
from heyon_app.settings import settings
from tests import factories
from tests.concurrency import run_at_once

PASSES = 4242424242424242
DECLINES = 4000000000000341  # saved fine, declined when charged
NEEDS_AUTH = 4000002760003184  # authentication on every off-session charge


def _fresh_db(url: str) -> str:
    db.migrate(url)
    with Session(db.engine(url), expire_on_commit=False) as session:
        seed.seed_catalogue(session)
        session.commit()
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, local_stripe: str, no_webhooks) -> Iterator[str]:
    """A database of its own; Stripe's webhooks are lost, so reconciliation must fulfil."""
    url = f"sqlite:///{tmp_path / 'autorenew.db'}"
    yield _fresh_db(url)
    db._engines.pop(url).dispose()


def _expiry() -> datetime:
    return clock.now().replace(microsecond=0) + timedelta(days=30)


def _charge_day(end: datetime) -> datetime:
    return end - autorenew.CHARGE_BEFORE + timedelta(minutes=1)


def _confirm_setup(secret: str, number: int) -> dict:
    """What the page's Stripe.js does with the card element (test mode), over HTTP."""
    seti = secret.split("_secret_")[0]
    base = f"{settings.stripe_api_base}/_config/heyon/setup_intents/{seti}"
    card = {"number": str(number), "exp_month": "12", "exp_year": "2034", "cvc": "123"}
    body = httpx.post(
        f"{base}/confirm_card", json={"client_secret": secret, "card": card}, timeout=10
    ).json()
    if body.get("status") == "requires_action":  # the tester completes 3-D Secure
        body = httpx.post(
            f"{base}/authenticate", json={"client_secret": secret, "success": True}, timeout=10
        ).json()
    return body


def _customer_with_card(
    url: str, *, valid_until: datetime, number: int = PASSES, locale: str = "zh-CN"
) -> tuple[User, EsimLine]:
    with Session(db.engine(url), expire_on_commit=False) as session:
        user = factories.customer(session, locale=locale)
        line = factories.line(session, user=user, valid_until=valid_until)
        session.commit()
        start = autorenew.start_setup(session, user=user, line_id=line.id)
        assert _confirm_setup(start.client_secret, number)["status"] == "succeeded"
        shown = autorenew.finish_setup(
            session, user=user, line_id=line.id, setup_intent_id=start.setup_intent_id
        )
        session.commit()
    assert (shown.enabled, shown.brand, shown.last4) == (True, "visa", str(number)[-4:])
    return user, line


def _orders(url: str, line_id: int) -> list[Order]:
    with Session(db.engine(url)) as session:
        return list(session.exec(select(Order).where(Order.line_id == line_id)).all())


def _line(url: str, line_id: int) -> EsimLine:
    with Session(db.engine(url)) as session:
        return session.get(EsimLine, line_id)


def _messages(url: str, user: User) -> list[Notification]:
    with Session(db.engine(url)) as session:
        return list(
            session.exec(
                select(Notification)
                .where(Notification.user_id == user.id)
                .order_by(col(Notification.id))
            ).all()
        )


def _sms_to(phone: str) -> list[str]:
    files = sorted(settings.sms_outbox_dir.glob(f"*-{phone.lstrip('+')}.json"))
    return [p.read_text("utf-8") for p in files]


def _run_passes(url: str, end: datetime) -> None:
    """The worker's passes on the charge's day: at once, a few minutes and two hours later."""
    for later in (timedelta(0), timedelta(minutes=5), timedelta(hours=2)):
        with clock.freeze(_charge_day(end) + later):
            jobs.run_pass(url)


def test_auto_renew_charges_once_and_extends_the_line(sqlite_url, mailbox):
    end = _expiry()
    user, line = _customer_with_card(sqlite_url, valid_until=end)
    _run_passes(sqlite_url, end)

    (order,) = _orders(sqlite_url, line.id)
    assert order.status == "fulfilled" and order.payment_method == "card"
    intent = stripe_gateway.retrieve_payment_intent(order.payment_intent_id)
    assert (intent.status, intent.amount_minor, intent.order_id) == (
        "succeeded",
        order.amount_minor,
        order.id,
    )
    package = factories.package(Session(db.engine(sqlite_url)), "DATA_M")
    assert order.amount_minor == package.price_minor
    assert _line(sqlite_url, line.id).valid_until == add_period(end, package.period)
    with Session(db.engine(sqlite_url)) as session:
        payments = session.exec(select(Payment).where(Payment.order_id == order.id)).all()
        assert [p.provider_ref for p in payments] == [order.payment_intent_id]
        (attempt,) = session.exec(
            select(AutoRenewAttempt).where(AutoRenewAttempt.line_id == line.id)
        ).all()
        assert (attempt.outcome, attempt.order_id) == ("charged", order.id)
    receipts = [m for m in mailbox.to(user.email) if order.receipt_number in m["Subject"]]
    assert len(receipts) == 1
    # Renewed before the reminders looked: no "ends tomorrow" for a line that does not.
    assert mailbox.to(user.email) == receipts


def test_auto_renew_prices_the_order_as_checkout_would(sqlite_url, mailbox):
    end = _expiry()
    user, line = _customer_with_card(sqlite_url, valid_until=end)
    with Session(db.engine(sqlite_url), expire_on_commit=False) as session:
        session.add(
            Promotion(
                code="AUTO-RENEW-TEST",
                kind="renewal_discount",
                name_zh="老客户续费优惠",
                name_en="Returning customer",
                percent_off=15,
                active=True,
            )
        )
        factories.order(session, line=session.get(EsimLine, line.id), status="fulfilled")
        session.commit()
        with clock.freeze(_charge_day(end)):
            shown = billing.quote(session, user=user, line_id=line.id, package_code="DATA_M")
    assert shown.discount.minor > 0
    _run_passes(sqlite_url, end)
    renewal = [o for o in _orders(sqlite_url, line.id) if o.payment_intent_id.startswith("pi_")]
    charged = [o for o in renewal if o.status == "fulfilled" and o.promotion_id]
    assert len(charged) == 1
    assert (charged[0].amount_minor, charged[0].discount_minor) == (
        shown.total.minor,
        shown.discount.minor,
    )
    intent = stripe_gateway.retrieve_payment_intent(charged[0].payment_intent_id)
    assert intent.amount_minor == shown.total.minor


@pytest.mark.parametrize(
    ("number", "outcome", "why"),
    [(DECLINES, "declined", "declined"), (NEEDS_AUTH, "authentication_required", "authentication")],
)
def test_a_failed_charge_is_told_once_and_the_reminders_go_on(
    sqlite_url, mailbox, number, outcome, why
):
    end = _expiry()
    user, line = _customer_with_card(sqlite_url, valid_until=end, number=number)
    _run_passes(sqlite_url, end)

    assert _line(sqlite_url, line.id).valid_until == end  # nothing extended
    (order,) = _orders(sqlite_url, line.id)
    assert order.status == "failed"
    intent = stripe_gateway.retrieve_payment_intent(order.payment_intent_id)
    assert intent.status == "requires_payment_method"
    assert intent.error_code == ("card_declined" if number == DECLINES else outcome)
    with Session(db.engine(sqlite_url)) as session:
        (attempt,) = session.exec(
            select(AutoRenewAttempt).where(AutoRenewAttempt.line_id == line.id)
        ).all()
        assert attempt.outcome == outcome
        assert session.exec(select(Payment).where(Payment.order_id == order.id)).all() == []

    link = settings.public_url + routes.renew_url(line.id)
    subject = translate("autorenew.mail.subject", "zh-CN", number=line.number)
    notices = [m for m in mailbox.to(user.email) if m["Subject"] == subject]
    assert len(notices) == 1
    body = notices[0].get_content()
    assert link in body and translate(f"autorenew.why.{why}", "zh-CN") in body
    assert f"•••• {str(number)[-4:]}" in body
    texts = [t for t in _sms_to(user.phone) if "自动续费未成功" in t]
    assert len(texts) == 1 and link in texts[0]
    # The reminders go on as usual: the day-before one by mail and SMS.
    reminder = translate("reminder.1d.subject", "zh-CN", number=line.number)
    assert [m["Subject"] for m in mailbox.to(user.email)].count(reminder) == 1
    assert len(_sms_to(user.phone)) == 2
    assert all(n.status == "sent" for n in _messages(sqlite_url, user))


def test_renewing_by_hand_after_a_decline_pays_the_same_order(sqlite_url, mailbox):
    end = _expiry()
    user, line = _customer_with_card(sqlite_url, valid_until=end, number=DECLINES)
    _run_passes(sqlite_url, end)
    (failed,) = _orders(sqlite_url, line.id)
    with Session(db.engine(sqlite_url), expire_on_commit=False) as session:
        person = session.get(User, user.id)
        again = billing.create_order(
            session, user=person, line_id=line.id, package_code="DATA_M", method="card"
        )
        session.commit()
        billing.start_payment(session, user=person, order_id=again.id, method="card")
    assert again.id == failed.id  # the link opens the very order: one intent, one charge
    from tests.integration.payment_helpers import pay_with_card

    assert pay_with_card(failed.payment_intent_id)["status"] == "succeeded"
    with clock.freeze(_charge_day(end) + timedelta(hours=3)):
        jobs.run_pass(sqlite_url)
    assert _line(sqlite_url, line.id).valid_until > end
    assert [o.status for o in _orders(sqlite_url, line.id)] == ["fulfilled"]


def test_stripe_unreachable_the_next_pass_charges_the_same_order_once(
    sqlite_url, mailbox, monkeypatch
):
    end = _expiry()
    _, line = _customer_with_card(sqlite_url, valid_until=end)
    reachable = stripe_gateway.charge_saved_card

    def unreachable(**_: object) -> stripe_gateway.IntentView:
        raise stripe_gateway.GatewayError("connection refused")

    monkeypatch.setattr(stripe_gateway, "charge_saved_card", unreachable)
    with clock.freeze(_charge_day(end)):
        assert jobs.run_pass(sqlite_url)["autorenew"] == {"error": 1}
    (waiting,) = _orders(sqlite_url, line.id)
    assert (waiting.status, waiting.payment_intent_id) == ("pending", None)

    monkeypatch.setattr(stripe_gateway, "charge_saved_card", reachable)
    _run_passes(sqlite_url, end)
    (order,) = _orders(sqlite_url, line.id)
    assert (order.id, order.status) == (waiting.id, "fulfilled")
    assert order.idempotency_key == waiting.idempotency_key
    assert _line(sqlite_url, line.id).valid_until == add_period(end, "month")


def test_switched_off_the_line_is_not_charged(sqlite_url, mailbox):
    end = _expiry()
    user, line = _customer_with_card(sqlite_url, valid_until=end)
    with Session(db.engine(sqlite_url), expire_on_commit=False) as session:
        shown = autorenew.switch_off(session, user=session.get(User, user.id), line_id=line.id)
        session.commit()
    assert (shown.enabled, shown.last4) == (False, "4242")
    _run_passes(sqlite_url, end)
    assert _orders(sqlite_url, line.id) == []
    assert _line(sqlite_url, line.id).valid_until == end
    reminder = translate("reminder.1d.subject", "zh-CN", number=line.number)
    assert [m["Subject"] for m in mailbox.to(user.email)] == [reminder]


def test_someone_elses_line_cannot_be_switched(sqlite_url):
    _, line = _customer_with_card(sqlite_url, valid_until=_expiry())
    with Session(db.engine(sqlite_url), expire_on_commit=False) as session:
        stranger = factories.customer(session)
        session.commit()
        for attempt in (
            lambda: autorenew.switch_off(session, user=stranger, line_id=line.id),
            lambda: autorenew.start_setup(session, user=stranger, line_id=line.id),
        ):
            with pytest.raises(UserError) as err:
                attempt()
            assert err.value.key == "checkout.error.no_line"
        assert session.get(AutoRenewal, line.id).enabled is True


def test_a_setup_intent_not_confirmed_switches_nothing_on(sqlite_url):
    with Session(db.engine(sqlite_url), expire_on_commit=False) as session:
        user = factories.customer(session)
        line = factories.line(session, user=user, valid_until=_expiry())
        session.commit()
        start = autorenew.start_setup(session, user=user, line_id=line.id)
        with pytest.raises(UserError) as err:
            autorenew.finish_setup(
                session, user=user, line_id=line.id, setup_intent_id=start.setup_intent_id
            )
        assert err.value.key == "autorenew.error.not_saved"
        assert session.get(AutoRenewal, line.id) is None


def _two_workers_at_once(url: str, mailbox, monkeypatch) -> None:
    from tests.integration.test_worker import _held_once

    end = _expiry()
    people = [_customer_with_card(url, valid_until=end) for _ in range(3)]
    # Both workers list the same due lines before either claims one.
    monkeypatch.setattr(autorenew, "due_lines", _held_once(autorenew.due_lines, after=True))
    with clock.freeze(_charge_day(end)):
        run_at_once(lambda: jobs.run_pass(url))
    with clock.freeze(_charge_day(end) + timedelta(minutes=5)):
        jobs.run_pass(url)
    for user, line in people:
        (order,) = _orders(url, line.id)
        assert order.status == "fulfilled"
        assert _line(url, line.id).valid_until == add_period(end, "month")
        receipts = [m for m in mailbox.to(user.email) if order.receipt_number in m["Subject"]]
        assert len(receipts) == 1


def test_two_workers_at_once_charge_each_line_once_on_sqlite(sqlite_url, mailbox, monkeypatch):
    _two_workers_at_once(sqlite_url, mailbox, monkeypatch)


def test_two_workers_at_once_charge_each_line_once_on_postgresql(
    pg_url, local_stripe, no_webhooks, mailbox, monkeypatch
):
    _two_workers_at_once(_fresh_db(pg_url), mailbox, monkeypatch)
