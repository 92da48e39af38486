"""Auto-renew (opt-in per line): a card saved with a SetupIntent, charged off-session one
day before the line ends through the same order -> PaymentIntent -> fulfilment path as a
renewal by hand, at most once per line and expiry date however many workers run (a unique
row, not timing). A decline, or a bank that wants the customer to authenticate, is told
by mail and SMS with a link to renew by hand; the reminders go on as usual.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from heyon_app import clock, routes
from heyon_app.db import insert_once
from heyon_app.i18n import name_in, translate
from heyon_app.models import (
    AutoRenewal,
    AutoRenewAttempt,
    EsimLine,
    Order,
    Package,
    StripeCustomer,
    User,
)
from heyon_app.money import Money
from heyon_app.services import billing, checkout, notifications, stripe_gateway
from heyon_app.services.errors import UserError
from heyon_app.settings import settings

log = logging.getLogger(__name__)

# The charge is due from this long before the line ends (the last reminder's moment).
CHARGE_BEFORE = timedelta(days=1)


@dataclass(frozen=True)
class CardOnFile:
    """What the dashboard shows of a line's auto-renew."""

    line_id: int
    enabled: bool
    brand: str = ""
    last4: str = ""


def _owned_line(session: Session, *, user: User, line_id: int) -> EsimLine:
    line = session.get(EsimLine, line_id) if line_id else None
    if line is None or line.user_id != user.id:
        raise UserError("checkout.error.no_line")
    return line


def card_on_file(session: Session, *, user: User, line_id: int) -> CardOnFile:
    line = _owned_line(session, user=user, line_id=line_id)
    return card_of(line.id, session.get(AutoRenewal, line.id))


def card_of(line_id: int, row: AutoRenewal | None) -> CardOnFile:
    """What the dashboard shows of a line's auto-renew row (None: never switched on)."""
    if row is None:
        return CardOnFile(line_id, False)
    return CardOnFile(line_id, row.enabled, row.brand, row.last4)


def customer_for(session: Session, *, user: User) -> str:
    """The user's Stripe Customer, created the first time (one per user: the idempotency
    key makes Stripe answer a second request with the first customer)."""
    row = session.get(StripeCustomer, user.id)
    if row is not None:
        return row.customer_id
    made = stripe_gateway.create_customer(
        email=user.email, user_id=user.id, idempotency_key=f"heyon-customer-{user.id}"
    )
    insert_once(session, StripeCustomer(user_id=user.id, customer_id=made), unique="user_id")
    kept = session.exec(
        select(StripeCustomer.customer_id).where(StripeCustomer.user_id == user.id)
    ).one()
    return kept


@dataclass(frozen=True)
class SetupStart:
    setup_intent_id: str
    client_secret: str


def start_setup(session: Session, *, user: User, line_id: int) -> SetupStart:
    """A SetupIntent for saving a card for this line; the page confirms it with Stripe.js."""
    line = _owned_line(session, user=user, line_id=line_id)
    customer = customer_for(session, user=user)
    session.commit()
    view = stripe_gateway.create_setup_intent(
        customer_id=customer, line_id=line.id, idempotency_key=f"heyon-setup-{uuid.uuid4().hex}"
    )
    return SetupStart(view.id, view.client_secret)


def finish_setup(session: Session, *, user: User, line_id: int, setup_intent_id: str) -> CardOnFile:
    """Switch auto-renew on with the card the SetupIntent saved, once Stripe (never the
    page) says it succeeded for this customer and line."""
    line = _owned_line(session, user=user, line_id=line_id)
    view = stripe_gateway.retrieve_setup_intent(setup_intent_id)
    customer = session.get(StripeCustomer, user.id)
    if (
        view.status != "succeeded"
        or customer is None
        or view.customer_id != customer.customer_id
        or view.line_id != line.id
        or not view.payment_method_id
    ):
        raise UserError("autorenew.error.not_saved")
    card = stripe_gateway.card_of(view.payment_method_id)
    # Two tabs saving at once: one creates the row, both then update it.
    insert_once(
        session,
        AutoRenewal(line_id=line.id, user_id=user.id, payment_method_id=view.payment_method_id),
        unique="line_id",
    )
    session.execute(
        update(AutoRenewal)
        .where(col(AutoRenewal.line_id) == line.id)
        .values(
            enabled=True,
            payment_method_id=view.payment_method_id,
            brand=card.brand[:16],
            last4=card.last4[:4],
            updated_at=clock.now(),
        )
    )
    session.flush()
    return card_on_file(session, user=user, line_id=line.id)


def switch_off(session: Session, *, user: User, line_id: int) -> CardOnFile:
    """From now on the worker charges nothing for this line (the card stays at Stripe)."""
    line = _owned_line(session, user=user, line_id=line_id)
    session.execute(
        update(AutoRenewal)
        .where(col(AutoRenewal.line_id) == line.id)
        .values(enabled=False, updated_at=clock.now())
    )
    session.flush()
    return card_on_file(session, user=user, line_id=line.id)


def _due(valid_until: datetime | None, now: datetime) -> bool:
    return valid_until is not None and now < valid_until <= now + CHARGE_BEFORE


def due_lines(session: Session) -> list[int]:
    """Lines with auto-renew on whose charge is due now (some may have been charged
    already: `charge_line` knows)."""
    now = clock.now()
    return list(
        session.exec(
            select(EsimLine.id)
            .join(AutoRenewal, col(AutoRenewal.line_id) == col(EsimLine.id))
            .where(
                col(AutoRenewal.enabled).is_(True),
                col(EsimLine.valid_until) > now,
                col(EsimLine.valid_until) <= now + CHARGE_BEFORE,
            )
            .order_by(EsimLine.id)
        ).all()
    )


def _settle_attempt(
    session: Session, *, line_id: int, valid_until: datetime, outcome: str, code: str = ""
) -> bool:
    """Record how the attempt ended, once: only the caller that moves it from "started"."""
    result = session.execute(
        update(AutoRenewAttempt)
        .where(
            col(AutoRenewAttempt.line_id) == line_id,
            col(AutoRenewAttempt.valid_until) == valid_until,
            col(AutoRenewAttempt.outcome) == "started",
        )
        .values(outcome=outcome, error_code=code[:64], updated_at=clock.now())
    )
    return result.rowcount == 1


def _attempt_order(
    session: Session, *, user: User, line: EsimLine, package: Package | None
) -> Order | str:
    """The order this expiry's charge pays: a new one when this caller claims the attempt,
    the claimed one again when Stripe could not be reached last time (same order, same
    idempotency key: still one charge). Else why there is nothing to do."""
    assert line.valid_until is not None
    claimed = insert_once(
        session,
        AutoRenewAttempt(line_id=line.id, valid_until=line.valid_until),
        unique=("line_id", "valid_until"),
    )
    if not claimed:
        attempt = session.exec(
            select(AutoRenewAttempt).where(
                AutoRenewAttempt.line_id == line.id,
                AutoRenewAttempt.valid_until == line.valid_until,
            )
        ).one()
        order = session.get(Order, attempt.order_id) if attempt.order_id else None
        if (
            attempt.outcome == "started"
            and order is not None
            and order.status == "pending"
            and not order.payment_intent_id
        ):
            return order
        return "charged_before"
    if package is None or not package.active:
        return "unavailable"
    try:
        order = billing.create_order(
            session,
            user=user,
            line_id=line.id,
            package_code=package.code,
            method="card",
            reuse_open=False,
        )
    except UserError:
        return "unavailable"
    session.execute(
        update(AutoRenewAttempt)
        .where(
            col(AutoRenewAttempt.line_id) == line.id,
            col(AutoRenewAttempt.valid_until) == line.valid_until,
        )
        .values(order_id=order.id)
    )
    session.commit()
    return order


def charge_line(session: Session, *, line_id: int) -> str:
    """The worker's auto-renew of one line, committing as it goes: claim this expiry's
    attempt, order the line's package at today's price (promotions as at checkout) and
    charge the saved card. Returns the outcome: charged | declined |
    authentication_required | unavailable | error | charged_before | not_due."""
    line = session.get(EsimLine, line_id)
    plan = session.get(AutoRenewal, line_id)
    if line is None or plan is None or not plan.enabled or not _due(line.valid_until, clock.now()):
        return "not_due"
    assert line.valid_until is not None
    expiry = line.valid_until
    user = session.get(User, line.user_id)
    customer = session.get(StripeCustomer, line.user_id)
    package = session.get(Package, line.package_id) if line.package_id else None
    assert user is not None
    found = _attempt_order(session, user=user, line=line, package=package)
    if found == "charged_before":
        session.rollback()
        return found
    if isinstance(found, str) or customer is None:
        _settle_attempt(session, line_id=line.id, valid_until=expiry, outcome="unavailable")
        _queue_failure_notice(session, user=user, line=line, package=package, why="unavailable")
        session.commit()
        return "unavailable"
    order = found
    if order.amount_minor == 0:
        # A free month renews without Stripe, through the one fulfilment path.
        checkout.confirm_free_order(session, user=user, order_id=order.id)
        _settle_attempt(session, line_id=line.id, valid_until=expiry, outcome="charged")
        session.commit()
        return "charged"
    try:
        view = billing.charge_saved_card(
            session,
            order=order,
            saved=billing.SavedCard(customer.customer_id, plan.payment_method_id),
        )
    except stripe_gateway.GatewayError:
        # The order keeps its idempotency key: the next pass asks again for the same charge.
        session.rollback()
        log.exception(
            "auto-renew: Stripe did not answer for order %s",
            order.id,
            extra={"order_id": order.id},
        )
        return "error"
    if view is None:
        return "charged_before"  # another worker holds this order's intent
    if view.going_through:
        _settle_attempt(session, line_id=line.id, valid_until=expiry, outcome="charged")
        session.commit()
        log.info("auto-renew: order %s charged", order.id, extra={"order_id": order.id})
        return "charged"
    code = view.error_code or view.status
    outcome = "authentication_required" if code == "authentication_required" else "declined"
    if view.status == "requires_action":
        outcome = "authentication_required"
    if _settle_attempt(session, line_id=line.id, valid_until=expiry, outcome=outcome, code=code):
        why = "authentication" if outcome == "authentication_required" else "declined"
        _queue_failure_notice(session, user=user, line=line, package=package, why=why, order=order)
    session.commit()
    log.info("auto-renew: order %s not paid (%s)", order.id, code, extra={"order_id": order.id})
    return outcome


def _queue_failure_notice(
    session: Session,
    *,
    user: User,
    line: EsimLine,
    package: Package | None,
    why: str,
    order: Order | None = None,
) -> list[int]:
    """Mail and SMS in the customer's language, through the outbox (the worker sends them),
    with the link that opens the renewal of this line by hand."""
    loc = user.locale
    card = session.get(AutoRenewal, line.id)
    params = dict(
        number=line.number,
        package=name_in(package, loc),
        until=clock.local_date(line.valid_until),
        amount=Money(order.amount_minor, order.currency).format() if order else "—",
        card=f"{card.brand.title()} •••• {card.last4}" if card and card.last4 else "—",
        why=translate(f"autorenew.why.{why}", loc),
        link=settings.public_url + routes.renew_url(line.id),
    )
    ids = []
    if user.email:
        mail = notifications.email(
            session,
            user_id=user.id,
            recipient=user.email,
            subject=translate("autorenew.mail.subject", loc, **params),
            body=translate("autorenew.mail.body", loc, **params),
        )
        ids.append(mail.id)
    if user.phone:
        text = notifications.sms(
            session,
            user_id=user.id,
            recipient=user.phone,
            body=translate("autorenew.sms", loc, **params),
        )
        ids.append(text.id)
    return [i for i in ids if i is not None]
