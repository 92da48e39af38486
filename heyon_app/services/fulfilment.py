"""Turning Stripe's word that money arrived into a renewal: the ONE fulfilment function.

The webhook, the reconciler and the result page's polling all end in `fulfil_payment`,
which does its work at most once per order, in the caller's transaction.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from heyon_app import clock
from heyon_app.db import insert_once
from heyon_app.i18n import name_in, translate
from heyon_app.models import (
    AuditLog,
    EsimLine,
    Notification,
    Order,
    Package,
    Payment,
    PaymentReversal,
    StripeEvent,
    User,
)
from heyon_app.money import Money
from heyon_app.services import billing, forms, notifications, pricing, stripe_gateway
from heyon_app.services.periods import period_start
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


def _audit(session: Session, action: str, detail: str, *, target: str = "") -> None:
    log.warning("%s: %s", action, detail)
    session.add(AuditLog(action=action, detail=detail[:2000], target=target))


def _flag_mismatch(
    session: Session,
    *,
    order: Order,
    payment_intent_id: str,
    amount_minor: int,
    currency: str,
    source: str,
) -> None:
    """Stripe says this order's intent took another amount or currency: fulfil nothing (a
    person refunds or honours it) and leave one audit entry on the order per mismatch, not
    one per redelivery or reconciliation pass (the order stays open, so each pass sees it)."""
    what = (
        f"order {order.id} expects {order.amount_minor} {order.currency}, "
        f"Stripe {payment_intent_id} says {amount_minor} {currency.upper()}"
    )
    target = f"order:{order.id}"
    told = session.exec(
        select(AuditLog.id).where(
            AuditLog.action == "payment.amount_mismatch",
            AuditLog.target == target,
            col(AuditLog.detail).startswith(what + " ("),
        )
    ).first()
    if told is None:
        _audit(session, "payment.amount_mismatch", f"{what} ({source})", target=target)


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
    until = clock.local_date(line.valid_until)
    amount = Money(order.amount_minor, order.currency).format()
    params = dict(
        receipt=order.receipt_number,
        package=name_in(package, loc),
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


def _locked_line(session: Session, line_id: int) -> EsimLine:
    """The line re-read under a row lock, so two renewals of one line add up (PostgreSQL's
    SELECT … FOR UPDATE; on SQLite the transaction already holds the database's write lock)."""
    return session.exec(
        select(EsimLine)
        .where(EsimLine.id == line_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _payment_of(session: Session, order_id: int) -> Payment | None:
    return session.exec(select(Payment).where(Payment.order_id == order_id)).first()


def fulfil_payment(
    session: Session,
    *,
    payment_intent_id: str,
    amount_minor: int,
    currency: str,
    source: str,
    order_id: int | None = None,
) -> Outcome:
    """Stripe says this intent succeeded: record the payment, extend or create the line,
    queue the receipt. Does nothing the second time; when the amount or currency does not
    match, fulfils nothing and flags the order for a person (_flag_mismatch).
    A zero-total order comes here too, with source "free" and no Stripe intent
    (checkout.confirm_free_order); its free month is claimed for the number in this
    transaction, and a number that had it already raises FreeMonthTaken (roll back).

    `order_id` is the order named in the intent's metadata: an intent the order does not
    record (a claim taken over while Stripe was slow) still fulfils its order, once; if
    another payment fulfilled the order first, this one is refunded.
    """
    order = session.exec(select(Order).where(Order.payment_intent_id == payment_intent_id)).first()
    if order is None and order_id:
        order = session.get(Order, order_id)
    if order is None:
        _audit(session, "payment.unknown_intent", f"{payment_intent_id} via {source}")
        return Outcome()
    if amount_minor != order.amount_minor or currency.upper() != order.currency:
        _flag_mismatch(
            session,
            order=order,
            payment_intent_id=payment_intent_id,
            amount_minor=amount_minor,
            currency=currency,
            source=source,
        )
        return Outcome()
    paid = _payment_of(session, order.id)
    if paid is not None:
        if paid.provider_ref == payment_intent_id:
            return Outcome()  # told before
        return _refund_surplus(
            session, order=order, payment_intent_id=payment_intent_id, paid=paid, source=source
        )
    if order.status not in billing.OPEN_STATES:
        # Money arrived for an order we closed: a person must refund or honour it.
        _audit(
            session,
            "payment.closed_order_paid",
            f"order {order.id} is {order.status} but {payment_intent_id} succeeded ({source})",
            target=f"order:{order.id}",
        )
        return Outcome()
    while not billing.transition(session, order, "paid", f"payment succeeded ({source})"):
        paid = _payment_of(session, order.id)  # someone else got here first: with which intent?
        if paid is not None and paid.provider_ref != payment_intent_id:
            return _refund_surplus(
                session, order=order, payment_intent_id=payment_intent_id, paid=paid, source=source
            )
        if paid is not None or order.status not in billing.OPEN_STATES:
            return Outcome()
        # Unpaid and still open: a late decline of an earlier attempt put it back to failed.
        # This payment succeeded all the same, so it moves on from the status read now.
    if pricing.is_free_month(session, order):
        user = session.get(User, order.user_id)
        assert user is not None
        if not pricing.claim_free_month(session, order=order, user=user):
            raise pricing.FreeMonthTaken("promo.error.free_month_claimed")
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
    if order.line_id:
        line = _locked_line(session, order.line_id)
    else:
        line = _new_line(session, user=user, package=package)
        order.line_id = line.id
    line.valid_until = billing.new_expiry(line.valid_until, package.period, now)
    line.package_id = package.id
    session.add(line)
    # The customer's calendar date, the same one the orders page shows for this payment.
    order.receipt_number = f"HY{clock.local_today():%Y%m%d}{order.id:06d}"
    order.valid_until = line.valid_until
    session.add(order)
    session.flush()
    billing.transition(session, order, "fulfilled", "validity extended")
    log.info("order %s fulfilled (%s)", order.id, source, extra={"order_id": order.id})
    ids = _queue_confirmation(session, user=user, order=order, package=package, line=line)
    # A refund or dispute Stripe told us about before the payment itself applies now.
    later = _settle_reversals(session, payment_intent_id=payment_intent_id, source=source)
    return Outcome(fulfilled=True, notifications=ids + later.notifications)


def _refund_surplus(
    session: Session, *, order: Order, payment_intent_id: str, paid: Payment, source: str
) -> Outcome:
    """A second payment of an order another payment already fulfilled: give it back, once.

    The refund runs inside the caller's transaction: if Stripe fails, nothing is recorded and
    the webhook answers an error, so Stripe delivers the event again.
    """
    marker = PaymentReversal(
        key=f"surplus:{payment_intent_id}",
        kind="surplus",
        payment_intent_id=payment_intent_id,
        order_id=order.id,
        status="refunded",
        amount_minor=order.amount_minor,
        currency=order.currency,
    )
    if not insert_once(session, marker, unique="key"):
        return Outcome()  # refunded before
    refund_id = stripe_gateway.refund_payment(
        payment_intent_id, idempotency_key=f"heyon-surplus-{payment_intent_id}"
    )
    _audit(
        session,
        "payment.surplus_refunded",
        f"order {order.id} was paid by {paid.provider_ref}; {payment_intent_id} "
        f"({order.amount_minor} {order.currency}) refunded as {refund_id} ({source})",
    )
    return Outcome()


def record_failure(session: Session, *, payment_intent_id: str, code: str, source: str) -> None:
    """A declined or failed attempt: the order may be retried, nothing is extended."""
    order = session.exec(select(Order).where(Order.payment_intent_id == payment_intent_id)).first()
    if order is None or order.status not in ("pending", "processing"):
        return
    billing.transition(session, order, "failed", f"{code or 'payment_failed'} ({source})"[:200])


def _retried_since(payment_intent_id: str) -> bool:
    """Whether the intent a decline's event is about has gone on to be paid (the customer
    retried on the same intent, and the decline's event came late): the order then is not
    shown failed while the success event is on its way. Stripe unreachable: as if not, so
    the order shows failed until that event lands, as it would have."""
    if not payment_intent_id:
        return False
    try:
        return stripe_gateway.retrieve_payment_intent(payment_intent_id).going_through
    except stripe_gateway.GatewayError:
        return False


def record_cancel(session: Session, *, payment_intent_id: str, source: str) -> None:
    order = session.exec(select(Order).where(Order.payment_intent_id == payment_intent_id)).first()
    if order is None or order.status not in billing.OPEN_STATES:
        return
    billing.transition(session, order, "canceled", f"payment canceled ({source})")


# How far each reversal status has got: a later event never moves a row back.
_RANK = {"partial": 0, "full": 1, "open": 0, "won": 1, "lost": 1}


def _wants_validity_back(row: PaymentReversal) -> bool:
    """A full refund, or a dispute not (yet) won: the money is gone, so is what it bought.
    An inquiry (a dispute Stripe later closes as "warning_closed") counts as won."""
    if row.kind == "refund":
        return row.status == "full"
    return row.kind == "dispute" and row.status in ("open", "lost")


def _without_period(current: datetime | None, period: str, at: datetime) -> datetime | None:
    """`current` less one period, never before `at`: the customer keeps what was used."""
    if current is None or current <= at:
        return current
    return max(period_start(current, period), at)


def record_reversal(
    session: Session,
    *,
    kind: str,
    key: str,
    payment_intent_id: str,
    status: str,
    amount_minor: int,
    currency: str,
    source: str,
) -> Outcome:
    """Stripe says money went back (refund) or is contested (dispute): remember it once per
    refund or dispute, then bring the order and the line in line with everything known.

    Partial refunds are recorded for a person and change nothing else.
    """
    first = PaymentReversal(
        key=key,
        kind=kind,
        payment_intent_id=payment_intent_id,
        status=status,
        amount_minor=amount_minor,
        currency=currency.upper(),
    )
    changed = insert_once(session, first, unique="key")
    if not changed:
        row = session.exec(
            select(PaymentReversal)
            .where(PaymentReversal.key == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        changed = _RANK[status] > _RANK[row.status] or (
            status == row.status and amount_minor > row.amount_minor
        )
        if changed:
            if _RANK[status] > _RANK[row.status]:
                row.status = status
            row.amount_minor = max(row.amount_minor, amount_minor)
            row.updated_at = clock.now()
            session.add(row)
    if changed:
        _audit(
            session,
            f"payment.{kind}_{status}",
            f"{key} of {payment_intent_id}: {amount_minor} {currency.upper()} ({source})",
        )
    session.flush()
    return _settle_reversals(session, payment_intent_id=payment_intent_id, source=source)


def _locked_order(session: Session, **where: object) -> Order | None:
    query = select(Order).with_for_update().execution_options(populate_existing=True)
    for name, value in where.items():
        query = query.where(getattr(Order, name) == value)
    return session.exec(query).first()


def _settle_reversals(session: Session, *, payment_intent_id: str, source: str) -> Outcome:
    """Make the order's status and the line's validity match the refunds and disputes of
    this payment, whatever order and however often Stripe told us: validity is taken back
    at most once per payment, given back when a dispute is won.

    The order row is locked first, so a refund racing its own payment's fulfilment waits
    for it (or the fulfilment waits for the refund) and one of them sees the other.
    """
    order = _locked_order(session, payment_intent_id=payment_intent_id)
    payment = session.exec(select(Payment).where(Payment.provider_ref == payment_intent_id)).first()
    if payment is None:
        return Outcome()  # not fulfilled (yet): fulfil_payment settles it when it is
    if order is None or order.id != payment.order_id:
        order = _locked_order(session, id=payment.order_id)
    assert order is not None and order.line_id is not None
    rows = session.exec(
        select(PaymentReversal)
        .where(
            PaymentReversal.payment_intent_id == payment_intent_id,
            col(PaymentReversal.kind).in_(("refund", "dispute")),
        )
        .order_by(col(PaymentReversal.id))
        .execution_options(populate_existing=True)
    ).all()
    if not rows:
        return Outcome()
    for row in rows:
        row.order_id = order.id
        session.add(row)
    wanted = [r for r in rows if _wants_validity_back(r)]
    holder = next((r for r in rows if r.applied), None)
    line = _locked_line(session, order.line_id)
    package = session.get(Package, order.package_id)
    assert package is not None
    now = clock.now()
    if wanted and holder is None:
        before = line.valid_until
        line.valid_until = _without_period(before, package.period, now)
        taken = int((before - line.valid_until).total_seconds()) if before else 0
        wanted[0].applied, wanted[0].taken_back_seconds = True, taken
        session.add(wanted[0])
        _audit(
            session,
            "payment.validity_taken_back",
            f"order {order.id} line {line.id}: {taken} s after {wanted[0].key} ({source})",
        )
    elif not wanted and holder is not None:
        line.valid_until = max(line.valid_until or now, now) + timedelta(
            seconds=holder.taken_back_seconds
        )
        _audit(
            session,
            "payment.validity_restored",
            f"order {order.id} line {line.id}: {holder.taken_back_seconds} s after "
            f"{holder.key} ({source})",
        )
        holder.applied, holder.taken_back_seconds = False, 0
        session.add(holder)
    session.add(line)
    if any(r.kind == "refund" and r.status == "full" for r in rows):
        target = "refunded"
    elif wanted:
        target = "disputed"
    else:
        target = "fulfilled"
    session.flush()
    if order.status == target or not billing.transition(session, order, target, source[:200]):
        return Outcome()
    user = session.get(User, order.user_id)
    assert user is not None
    return Outcome(notifications=_queue_reversal_mail(session, user=user, order=order, line=line))


def _queue_reversal_mail(
    session: Session, *, user: User, order: Order, line: EsimLine
) -> list[int]:
    """Tell the customer what happened to the payment and how long the number stays valid."""
    loc = user.locale
    params = dict(
        receipt=order.receipt_number or "—",
        order=order.id,
        number=line.number,
        amount=Money(order.amount_minor, order.currency).format(),
        until=clock.local_date(line.valid_until),
        link=f"{settings.public_url}/orders",
    )
    mail = notifications.email(
        session,
        user_id=user.id,
        recipient=user.email,
        subject=translate(f"checkout.mail.{order.status}.subject", loc, **params),
        body=translate(f"checkout.mail.{order.status}.body", loc, **params),
    )
    return [mail.id]


def _intent_of(obj: dict) -> str:
    ref = obj.get("payment_intent") or ""
    return forms.text(ref.get("id", "") if isinstance(ref, dict) else ref)


def _amount(obj: dict, name: str) -> int:
    """A minor-unit amount of a Stripe object; anything but a whole number counts as none."""
    value = obj.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def handle_event(session: Session, event: dict) -> Outcome:
    """A verified Stripe event, handled once per event id in the caller's transaction."""
    kind = event.get("type", "")
    obj = _mapping(_mapping(event.get("data")).get("object"))
    # Asked before the transaction writes anything: on SQLite a write would hold the whole
    # database while Stripe answers.
    retried = kind == "payment_intent.payment_failed" and _retried_since(forms.text(obj.get("id")))
    if not insert_once(session, StripeEvent(id=event["id"], type=kind), unique="id"):
        return Outcome()  # seen before
    source = f"webhook {event['id']}"
    if kind == "payment_intent.succeeded":
        return fulfil_payment(
            session,
            payment_intent_id=forms.text(obj.get("id")),
            amount_minor=_amount(obj, "amount_received") or _amount(obj, "amount"),
            currency=forms.text(obj.get("currency")),
            source=source,
            order_id=forms.row_id(_mapping(obj.get("metadata")).get("order_id")),
        )
    if kind == "payment_intent.payment_failed":
        if retried:
            return Outcome()
        error = _mapping(obj.get("last_payment_error"))
        record_failure(
            session,
            payment_intent_id=forms.text(obj.get("id")),
            code=forms.text(error.get("code")),
            source=source,
        )
    elif kind == "payment_intent.canceled":
        record_cancel(session, payment_intent_id=forms.text(obj.get("id")), source=source)
    elif kind in ("charge.refunded", "charge.dispute.created", "charge.dispute.closed"):
        intent_id = _intent_of(obj)
        if not intent_id:
            unmatched = f"{kind} {forms.text(obj.get('id'))} ({source})"
            _audit(session, "payment.reversal_unmatched", unmatched)
            return Outcome()
        if kind == "charge.refunded":
            refunded = _amount(obj, "amount_refunded")
            full = obj.get("refunded") is True or refunded >= _amount(obj, "amount") > 0
            return record_reversal(
                session,
                kind="refund",
                key=f"refund:{intent_id}",
                payment_intent_id=intent_id,
                status="full" if full else "partial",
                amount_minor=refunded,
                currency=forms.text(obj.get("currency")),
                source=source,
            )
        closed = kind == "charge.dispute.closed"
        return record_reversal(
            session,
            kind="dispute",
            key=f"dispute:{forms.text(obj.get('id')) or intent_id}",
            payment_intent_id=intent_id,
            status=("lost" if obj.get("status") == "lost" else "won") if closed else "open",
            amount_minor=_amount(obj, "amount"),
            currency=forms.text(obj.get("currency")),
            source=source,
        )
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
            order_id=view.order_id,
        )
    if view.status == "canceled":
        record_cancel(session, payment_intent_id=view.id, source=source)
    elif view.status == "requires_payment_method" and view.error_code:
        record_failure(session, payment_intent_id=view.id, code=view.error_code, source=source)
    if (
        order.status in billing.OPEN_STATES
        and order.created_at < clock.now() - EXPIRE_AFTER
        and not view.going_through
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
            log.exception("sending notification %s failed", nid, extra={"notification_id": nid})
