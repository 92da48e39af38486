"""Turning Stripe's word that money arrived into a renewal: the ONE fulfilment function.

The webhook, the reconciler and the result page's polling all end in `fulfil_payment`,
which does its work at most once per order, in the caller's transaction.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from heyon_app import clock
from heyon_app.i18n import translate
from heyon_app.models import (
    AuditLog,
    EsimLine,
    Notification,
    Order,
    Package,
    Payment,
    StripeEvent,
    User,
)
from heyon_app.money import Money
from heyon_app.services import billing, notifications, stripe_gateway
from heyon_app.settings import settings

log = logging.getLogger(__name__)

SMDP_ADDRESS = "smdp.heyon.local"
# Orders nobody paid are closed after this long (and their intent canceled).
EXPIRE_AFTER = timedelta(hours=24)


@dataclass
class Outcome:
    """What a call changed; `notifications` are sent by the caller after commit."""

    fulfilled: bool = False
    notifications: list[int] = field(default_factory=list)


def _audit(session: Session, action: str, detail: str) -> None:
    log.warning("%s: %s", action, detail)
    session.add(AuditLog(action=action, detail=detail[:2000]))


def _new_line(session: Session, *, user: User, package: Package) -> EsimLine:
    """A first eSIM: a fresh number, ICCID and LPA activation code, not yet installed."""
    while True:
        number = "+86170" + "".join(secrets.choice("0123456789") for _ in range(8))
        iccid = "898600" + "".join(secrets.choice("0123456789") for _ in range(13))
        clash = session.exec(
            select(EsimLine).where((EsimLine.number == number) | (EsimLine.iccid == iccid))
        ).first()
        if clash is None:
            break
    matching_id = "HEYON-" + secrets.token_hex(8).upper()
    line = EsimLine(
        user_id=user.id,
        number=number,
        iccid=iccid,
        status="not_installed",
        activation_code=f"LPA:1${SMDP_ADDRESS}${matching_id}",
        package_id=package.id,
    )
    session.add(line)
    session.flush()
    return line


def _queue_confirmation(
    session: Session, *, user: User, order: Order, package: Package, line: EsimLine
) -> list[int]:
    loc = user.locale
    name = package.name_en if loc == "en" else package.name_zh
    until = clock.local_date(line.valid_until)
    amount = Money(order.amount_minor, order.currency).format()
    params = dict(
        receipt=order.receipt_number,
        package=name,
        number=line.number,
        amount=amount,
        until=until,
        order=order.id,
        link=f"{settings.public_url}/orders/receipt?order={order.id}",
    )
    mail = notifications.email(
        session,
        user_id=user.id,
        recipient=user.email,
        subject=translate("checkout.mail.subject", loc, **params),
        body=translate("checkout.mail.body", loc, **params),
    )
    text = notifications.sms(
        session,
        user_id=user.id,
        recipient=user.phone,
        body=translate("checkout.sms", loc, **params),
    )
    return [mail.id, text.id]


def fulfil_payment(
    session: Session, *, payment_intent_id: str, amount_minor: int, currency: str, source: str
) -> Outcome:
    """Stripe says this intent succeeded: record the payment, extend or create the line,
    queue the receipt. Does nothing the second time, or when the amount does not match."""
    order = session.exec(select(Order).where(Order.payment_intent_id == payment_intent_id)).first()
    if order is None:
        _audit(session, "payment.unknown_intent", f"{payment_intent_id} via {source}")
        return Outcome()
    if amount_minor != order.amount_minor or currency.upper() != order.currency:
        _audit(
            session,
            "payment.amount_mismatch",
            f"order {order.id} expects {order.amount_minor} {order.currency}, "
            f"Stripe {payment_intent_id} says {amount_minor} {currency.upper()} ({source})",
        )
        return Outcome()
    if order.status in ("paid", "fulfilled"):
        return Outcome()
    if order.status not in billing.OPEN_STATES:
        # Money arrived for an order we closed: a person must refund or honour it.
        _audit(
            session,
            "payment.closed_order_paid",
            f"order {order.id} is {order.status} but {payment_intent_id} succeeded ({source})",
        )
        return Outcome()
    if not billing.transition(session, order, "paid", f"payment succeeded ({source})"):
        return Outcome()  # someone else got here first
    now = clock.now()
    session.add(
        Payment(
            order_id=order.id,
            provider_ref=payment_intent_id,
            amount_minor=amount_minor,
            currency=order.currency,
            method=order.payment_method,
            paid_at=now,
        )
    )
    user = session.get(User, order.user_id)
    package = session.get(Package, order.package_id)
    assert user is not None and package is not None
    line = session.get(EsimLine, order.line_id) if order.line_id else None
    if line is None:
        line = _new_line(session, user=user, package=package)
        order.line_id = line.id
    line.valid_until = billing.new_expiry(line.valid_until, package.period, now)
    line.package_id = package.id
    session.add(line)
    order.receipt_number = f"HY{now:%Y%m%d}{order.id:06d}"
    order.valid_until = line.valid_until
    session.add(order)
    session.flush()
    billing.transition(session, order, "fulfilled", "validity extended")
    ids = _queue_confirmation(session, user=user, order=order, package=package, line=line)
    return Outcome(fulfilled=True, notifications=ids)


def record_failure(session: Session, *, payment_intent_id: str, code: str, source: str) -> None:
    """A declined or failed attempt: the order may be retried, nothing is extended."""
    order = session.exec(select(Order).where(Order.payment_intent_id == payment_intent_id)).first()
    if order is None or order.status not in ("pending", "processing"):
        return
    billing.transition(session, order, "failed", f"{code or 'payment_failed'} ({source})"[:200])


def record_cancel(session: Session, *, payment_intent_id: str, source: str) -> None:
    order = session.exec(select(Order).where(Order.payment_intent_id == payment_intent_id)).first()
    if order is None or order.status not in billing.OPEN_STATES:
        return
    billing.transition(session, order, "canceled", f"payment canceled ({source})")


def handle_event(session: Session, event: dict) -> Outcome:
    """A verified Stripe event, handled once per event id in the caller's transaction."""
    try:
        with session.begin_nested():
            session.add(StripeEvent(id=event["id"], type=event.get("type", "")))
    except IntegrityError:
        return Outcome()  # seen before
    kind = event.get("type", "")
    obj = (event.get("data") or {}).get("object") or {}
    if kind == "payment_intent.succeeded":
        return fulfil_payment(
            session,
            payment_intent_id=obj.get("id", ""),
            amount_minor=int(obj.get("amount_received") or obj.get("amount") or 0),
            currency=str(obj.get("currency", "")),
            source=f"webhook {event['id']}",
        )
    if kind == "payment_intent.payment_failed":
        error = obj.get("last_payment_error") or {}
        record_failure(
            session,
            payment_intent_id=obj.get("id", ""),
            code=str(error.get("code", "")),
            source=f"webhook {event['id']}",
        )
    elif kind == "payment_intent.canceled":
        record_cancel(session, payment_intent_id=obj.get("id", ""), source=f"webhook {event['id']}")
    return Outcome()


def sync_order(session: Session, *, order: Order, source: str) -> Outcome:
    """Ask Stripe how this order's payment stands and act on it (reconcile, result page)."""
    intent_id = order.payment_intent_id
    if order.status not in billing.OPEN_STATES:
        return Outcome()
    if not intent_id or intent_id.startswith(billing.CLAIM_PREFIX):
        if order.created_at < clock.now() - EXPIRE_AFTER:
            billing.transition(session, order, "expired", f"never paid ({source})")
        return Outcome()
    view = stripe_gateway.retrieve_payment_intent(intent_id)
    if view.status == "succeeded":
        return fulfil_payment(
            session,
            payment_intent_id=view.id,
            amount_minor=view.amount_minor,
            currency=view.currency,
            source=source,
        )
    if view.status == "canceled":
        record_cancel(session, payment_intent_id=view.id, source=source)
    elif view.status == "requires_payment_method" and view.error_code:
        record_failure(session, payment_intent_id=view.id, code=view.error_code, source=source)
    if (
        order.status in billing.OPEN_STATES
        and order.created_at < clock.now() - EXPIRE_AFTER
        and view.status not in ("processing", "succeeded")
    ):
        stripe_gateway.cancel_payment_intent(view.id)
        billing.transition(session, order, "expired", f"never paid ({source})")
    return Outcome()


def open_orders(session: Session) -> list[Order]:
    return list(
        session.exec(
            select(Order).where(col(Order.status).in_(billing.OPEN_STATES)).order_by(Order.id)
        ).all()
    )


def send_queued(session: Session, notification_ids: list[int]) -> None:
    """After commit: try each queued message once; a failure stays recorded, never raised."""
    for nid in notification_ids:
        try:
            row = session.get(Notification, nid)
            if row is not None and row.status == "queued":
                notifications.send_now(session, row)
            session.commit()
        except Exception:  # noqa: BLE001 - sending must never undo or block fulfilment
            session.rollback()
            log.exception("sending notification %s failed", nid)
