"""Customer care by an admin: find a customer, see everything about them, extend a line by
hand and refund a paid order through Stripe. Every change is audited in its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, or_, select

from heyon_app import clock
from heyon_app.db import insert_once
from heyon_app.models import (
    EsimLine,
    Notification,
    Order,
    Package,
    Payment,
    PaymentReversal,
    Promotion,
    SupportTicket,
    User,
)
from heyon_app.money import Money
from heyon_app.services import audit, stripe_gateway
from heyon_app.services.errors import UserError

QUERY_MIN = 3
RESULTS_MAX = 50
EXTEND_DAYS_MAX = 366
REASON_MIN, REASON_MAX = 5, 500
# Our marker that an admin asked Stripe for a refund: the unique key makes it once per
# payment (Stripe's own idempotency key is not enough: the local server ignores it).
REFUND_KIND = "admin_refund"


@dataclass(frozen=True)
class OrderRow:
    order: Order
    package: Package | None
    promotion: Promotion | None
    refund_requested: bool


@dataclass(frozen=True)
class CustomerDetail:
    user: User
    lines: list[tuple[EsimLine, Package | None]]
    orders: list[OrderRow]
    payments: list[Payment]
    tickets: list[SupportTicket]
    notifications: list[Notification]


def search(session: Session, *, query: str) -> list[User]:
    """Customers whose e-mail, phone or one of whose line numbers contains `query`."""
    text = query.strip()
    if len(text) < QUERY_MIN:
        raise UserError("admin.customers.query_short", min=QUERY_MIN)
    pattern = f"%{text.lower()}%"
    with_line = select(EsimLine.user_id).where(col(EsimLine.number).contains(text))
    return list(
        session.exec(
            select(User)
            .where(
                or_(
                    col(User.email).ilike(pattern),
                    col(User.phone).contains(text),
                    col(User.id).in_(with_line),
                )
            )
            .order_by(col(User.email))
            .limit(RESULTS_MAX)
        )
    )


def _packages(session: Session, ids: set[int | None]) -> dict[int, Package]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {p.id: p for p in session.exec(select(Package).where(col(Package.id).in_(wanted)))}


def customer_detail(session: Session, *, user_id: int) -> CustomerDetail:
    user = session.get(User, user_id)
    if user is None:
        raise UserError("admin.customers.unknown")
    lines = list(
        session.exec(select(EsimLine).where(EsimLine.user_id == user_id).order_by(EsimLine.id))
    )
    orders = list(
        session.exec(
            select(Order)
            .where(Order.user_id == user_id)
            .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        )
    )
    packages = _packages(session, {x.package_id for x in lines} | {o.package_id for o in orders})
    promo_ids = {o.promotion_id for o in orders if o.promotion_id}
    promotions = (
        {p.id: p for p in session.exec(select(Promotion).where(col(Promotion.id).in_(promo_ids)))}
        if promo_ids
        else {}
    )
    requested = set(
        session.exec(
            select(PaymentReversal.order_id).where(
                PaymentReversal.kind == REFUND_KIND,
                col(PaymentReversal.order_id).in_([o.id for o in orders]),
            )
        )
    )
    payments = list(
        session.exec(
            select(Payment)
            .where(col(Payment.order_id).in_([o.id for o in orders]))
            .order_by(col(Payment.paid_at).desc())
        )
    )
    tickets = list(
        session.exec(
            select(SupportTicket)
            .where(SupportTicket.user_id == user_id)
            .order_by(col(SupportTicket.created_at).desc(), col(SupportTicket.id).desc())
        )
    )
    sent = list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(RESULTS_MAX)
        )
    )
    return CustomerDetail(
        user=user,
        lines=[(x, packages.get(x.package_id)) for x in lines],
        orders=[
            OrderRow(
                o, packages.get(o.package_id), promotions.get(o.promotion_id), o.id in requested
            )
            for o in orders
        ],
        payments=payments,
        tickets=tickets,
        notifications=sent,
    )


def extend_line(session: Session, *, actor: User, line_id: int, days: int, reason: str) -> EsimLine:
    """Add `days` to a line's validity (from now if it has lapsed), for the stated reason."""
    reason = reason.strip()
    if not 1 <= days <= EXTEND_DAYS_MAX:
        raise UserError("admin.customers.days_range", max=EXTEND_DAYS_MAX)
    if len(reason) < REASON_MIN:
        raise UserError("admin.customers.reason_missing", min=REASON_MIN)
    if len(reason) > REASON_MAX:
        raise UserError("admin.customers.reason_too_long", max=REASON_MAX)
    # Locked like a renewal's fulfilment, so a payment and a manual extension add up.
    line = session.exec(
        select(EsimLine)
        .where(EsimLine.id == line_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if line is None:
        raise UserError("admin.customers.line_unknown")
    now = clock.now()
    start = max(line.valid_until, now) if line.valid_until else now
    audit.change(
        session,
        actor=actor,
        obj=line,
        values={"valid_until": start + timedelta(days=days)},
        action="line.extend",
        target=f"line:{line.id}",
        detail=reason,
    )
    session.flush()
    return line


def _mark_refund_asked(session: Session, *, order: Order, payment: Payment) -> bool:
    """Record, once per payment, that an admin asked for its refund; False if already asked.

    A racing click waits for the first one's transaction and then inserts nothing; a
    failed Stripe call rolls the marker back with the rest (see db.insert_once).
    """
    now = clock.now()
    marker = PaymentReversal(
        key=f"{REFUND_KIND}:{payment.provider_ref}",
        kind=REFUND_KIND,
        payment_intent_id=payment.provider_ref,
        order_id=order.id,
        status="requested",
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        applied=False,
        taken_back_seconds=0,
        created_at=now,
        updated_at=now,
    )
    return insert_once(session, marker, unique="key")


def refund_order(session: Session, *, actor: User, order_id: int) -> bool:
    """Ask Stripe to give a fulfilled order's whole payment back; True the first time, False
    when a refund was already asked for (however many clicks, one refund).

    The order turns "refunded", the validity goes back and the customer is told when
    Stripe's `charge.refunded` webhook arrives (fulfilment.record_reversal). The Stripe call
    runs inside this transaction: if it fails, the marker is rolled back with the rest and
    the admin can retry.
    """
    order = session.get(Order, order_id)
    if order is None:
        raise UserError("admin.customers.order_unknown")
    payment = session.exec(select(Payment).where(Payment.order_id == order.id)).first()
    if order.status == "refunded":
        raise UserError("admin.customers.already_refunded")
    if order.status not in ("fulfilled", "disputed") or payment is None:
        raise UserError("admin.customers.not_refundable")
    if payment.amount_minor <= 0:
        raise UserError("admin.customers.nothing_to_refund")
    if not _mark_refund_asked(session, order=order, payment=payment):
        return False
    try:
        refund_id = stripe_gateway.refund_payment(
            payment.provider_ref, idempotency_key=f"heyon-admin-refund-{payment.provider_ref}"
        )
    except stripe_gateway.GatewayError as exc:
        raise UserError("admin.customers.refund_failed") from exc
    audit.record(
        session,
        actor=actor,
        action="order.refund",
        target=f"order:{order.id}",
        before={"status": order.status},
        after={
            "refund": refund_id,
            "amount": Money(payment.amount_minor, payment.currency).format(),
        },
    )
    return True
