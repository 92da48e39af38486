"""Quotes, orders and their states: what a renewal costs and how an order moves to paid.

Amounts are always computed here from the database; the browser only names a package.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from heyon_app import clock
from heyon_app.models import EsimLine, Order, OrderTransition, Package, Promotion, User
from heyon_app.money import Money
from heyon_app.services import pricing, stripe_gateway
from heyon_app.services.errors import UserError
from heyon_app.services.periods import add_period

log = logging.getLogger(__name__)

METHODS = ("card", "alipay", "wechat_pay")
# A zero-total order (the free month) is fulfilled without Stripe under this method.
FREE = "free"
# An order can still be paid in these states; "failed" means the last attempt was declined.
OPEN_STATES = ("pending", "processing", "failed")
FINAL_STATES = ("fulfilled", "canceled", "expired", "refunded")
# An order that ends in these never took money: its promotion's redemption goes back.
UNPAID_ENDS = ("canceled", "expired")
# After fulfilment the money can go back (see fulfilment.record_reversal): a full refund
# makes the order "refunded" (final); a dispute makes it "disputed" until the dispute is
# won (back to "fulfilled") or lost (stays "disputed": the bank took the money back).
ALLOWED = {
    "pending": {"processing", "paid", "canceled", "expired"},
    "processing": {"paid", "failed", "canceled", "expired"},
    "failed": {"processing", "paid", "canceled", "expired"},
    "paid": {"fulfilled"},
    "fulfilled": {"refunded", "disputed"},
    "disputed": {"fulfilled", "refunded"},
    "refunded": set(),
    "canceled": set(),
    "expired": set(),
}
# Stripe keeps an idempotency key 24 hours; an order older than that is not reused.
ORDER_REUSE_WINDOW = timedelta(hours=24)
CLAIM_PREFIX = "claim:"
CLAIM_STALE_AFTER = timedelta(seconds=30)


@dataclass(frozen=True)
class Quote:
    package: Package
    line: EsimLine | None  # None: a first eSIM
    list_price: Money
    discount: Money
    promotion: Promotion | None
    total: Money
    current_expiry: datetime | None
    new_expiry: datetime
    reason_key: str = ""  # why the promotion applies
    code_key: str = ""  # why a typed promo code does not apply
    needs_phone: bool = False  # the free month waits for a verified mobile number


def _owned_line(session: Session, *, user: User, line_id: int | None) -> EsimLine | None:
    if not line_id:
        return None
    line = session.get(EsimLine, line_id)
    if line is None or line.user_id != user.id:
        raise UserError("checkout.error.no_line")
    return line


def new_expiry(current: datetime | None, period: str, now: datetime) -> datetime:
    """A renewal adds the period to the later of now and the current expiry."""
    start = max(current, now) if current else now
    return add_period(start, period)


_ACTIVE_PACKAGE = select(Package).where(Package.code == bindparam("code"), Package.active)


def quote(
    session: Session,
    *,
    user: User,
    line_id: int | None,
    package_code: str,
    code: str = "",
    exclude_order_id: int | None = None,
    active: list[Package] | None = None,
) -> Quote:
    """What this package costs this customer now; `exclude_order_id` re-prices an open
    order as if it were not there (its own reservation does not count against it).
    `active` is the active catalogue when the caller read it in this session."""
    package = (
        next((p for p in active if p.code == package_code), None)
        if active is not None
        else session.exec(_ACTIVE_PACKAGE, params={"code": package_code}).first()
    )
    if package is None:
        raise UserError("checkout.error.no_package")
    line = _owned_line(session, user=user, line_id=line_id)
    price = pricing.price_for(
        session, user=user, package=package, code=code, exclude_order_id=exclude_order_id
    )
    current = line.valid_until if line else None
    return Quote(
        package=package,
        line=line,
        list_price=price.list_price,
        discount=price.discount,
        promotion=price.promotion,
        total=price.total,
        current_expiry=current,
        new_expiry=new_expiry(current, package.period, clock.now()),
        reason_key=price.reason_key,
        code_key=price.code_key,
        needs_phone=price.needs_phone,
    )


def transition(session: Session, order: Order, to: str, reason: str = "") -> bool:
    """Move an order to `to` if nobody moved it first; records the transition.

    A conditional UPDATE on the status we read makes the move happen at most once even
    when a webhook, the reconciler and a polling page race for the same order.
    """
    source = order.status
    if to not in ALLOWED[source]:
        return False
    now = clock.now()
    result = session.execute(
        update(Order)
        .where(col(Order.id) == order.id, col(Order.status) == source)
        .values(status=to, updated_at=now)
    )
    if result.rowcount != 1:
        session.refresh(order)
        return False
    session.add(OrderTransition(order_id=order.id, from_status=source, to_status=to, reason=reason))
    # The promotion's redemption follows the order in the same transaction: counted once
    # when paid, given back when the order ends unpaid.
    if to == "paid":
        pricing.redeem(session, order=order)
    elif to in UNPAID_ENDS:
        pricing.release(session, order=order)
    session.flush()
    session.refresh(order)
    return True


def _new_idempotency_key() -> str:
    return f"heyon-order-{uuid.uuid4().hex}"


def create_order(
    session: Session,
    *,
    user: User,
    line_id: int | None,
    package_code: str,
    method: str,
    code: str = "",
    expected_minor: int | None = None,
    reuse_open: bool = True,
) -> Order:
    """The order for this quote; an open order for the same thing is reused (second tab),
    unless `reuse_open` is false (auto-renew: an order the customer may be paying by hand
    must not get a second intent).

    A new order reserves its promotion's redemption; a zero total needs no payment method.
    `expected_minor` is the total the customer was shown: if the price changed since (a
    promotion switched off or used up meanwhile) nothing is ordered and they are told, so
    nobody is charged more than the page said.
    """
    # Two tabs pressing Pay at once: lock the customer's row first (a write lock on
    # PostgreSQL's row, SQLite's database) so the second sees the first one's order.
    session.execute(update(User).where(col(User.id) == user.id).values(locale=User.locale))
    since = clock.now() - ORDER_REUSE_WINDOW
    line = _owned_line(session, user=user, line_id=line_id)
    reusable = None
    if reuse_open:
        reusable = session.exec(
            select(Order)
            .join(Package, col(Package.id) == col(Order.package_id))
            .where(
                Order.user_id == user.id,
                Order.line_id == (line.id if line else None),
                Package.code == package_code,
                col(Order.status).in_(OPEN_STATES),
                Order.created_at >= since,
            )
            .order_by(col(Order.id).desc())
        ).first()
    q = quote(
        session,
        user=user,
        line_id=line_id,
        package_code=package_code,
        code=code,
        exclude_order_id=reusable.id if reusable else None,
    )
    if code and q.code_key in pricing.CODE_REFUSALS:
        raise UserError(q.code_key)
    if expected_minor is not None and expected_minor != q.total.minor:
        raise UserError("promo.error.price_changed", total=q.total.format())
    if q.total.minor == 0:
        method = FREE
    elif method not in METHODS:
        raise UserError("checkout.error.method")
    if (
        reusable is not None
        and reusable.amount_minor == q.total.minor
        and reusable.currency == q.total.currency
        and reusable.promotion_id == (q.promotion.id if q.promotion else None)
    ):
        return reusable
    if q.promotion is not None:
        pricing.reserve(session, promotion=q.promotion, user=user)
    order = Order(
        user_id=user.id,
        line_id=q.line.id if q.line else None,
        package_id=q.package.id,
        list_price_minor=q.list_price.minor,
        discount_minor=q.discount.minor,
        amount_minor=q.total.minor,
        currency=q.total.currency,
        promotion_id=q.promotion.id if q.promotion else None,
        payment_method=method,
        idempotency_key=_new_idempotency_key(),
    )
    session.add(order)
    session.flush()
    pricing.record_reservation(session, order=order)
    return order


@dataclass(frozen=True)
class PaymentStart:
    order_id: int
    client_secret: str
    method: str


def _claim_intent(session: Session, order: Order) -> str | None:
    """Claim the right to create this order's PaymentIntent; the claim token if we won."""
    token = CLAIM_PREFIX + uuid.uuid4().hex
    stale = clock.now() - CLAIM_STALE_AFTER
    result = session.execute(
        update(Order)
        .where(
            col(Order.id) == order.id,
            (col(Order.payment_intent_id).is_(None))
            | (
                col(Order.payment_intent_id).startswith(CLAIM_PREFIX)
                & (col(Order.updated_at) < stale)
            ),
        )
        .values(payment_intent_id=token, updated_at=clock.now())
    )
    session.commit()
    return token if result.rowcount == 1 else None


def _wait_for_intent(session: Session, order: Order, timeout: float = 20.0) -> str:
    """Another request is creating the intent: wait for its id rather than make a second."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session.refresh(order)
        if order.payment_intent_id and not order.payment_intent_id.startswith(CLAIM_PREFIX):
            return order.payment_intent_id
        time.sleep(0.05)
    raise UserError("checkout.error.busy")


@dataclass(frozen=True)
class SavedCard:
    """A card saved at Stripe for charges without the customer (auto-renew)."""

    customer_id: str
    payment_method_id: str


def _create_claimed_intent(
    session: Session, *, order: Order, token: str, method: str, saved: SavedCard | None = None
) -> stripe_gateway.IntentView | None:
    """Create the intent we hold the claim for and record it on the order; None when our
    claim was taken over meanwhile (Stripe was slower than CLAIM_STALE_AFTER) and another
    intent is the order's: ours is then canceled and its secret never leaves the server.
    With a `saved` card the intent is confirmed at once, off-session."""
    try:
        if saved is None:
            view = stripe_gateway.create_payment_intent(
                amount_minor=order.amount_minor,
                currency=order.currency,
                method=method,
                order_id=order.id,
                idempotency_key=order.idempotency_key,
            )
        else:
            view = stripe_gateway.charge_saved_card(
                amount_minor=order.amount_minor,
                currency=order.currency,
                customer_id=saved.customer_id,
                payment_method_id=saved.payment_method_id,
                order_id=order.id,
                idempotency_key=order.idempotency_key,
            )
    except stripe_gateway.GatewayError:
        session.execute(
            update(Order)
            .where(col(Order.id) == order.id, col(Order.payment_intent_id) == token)
            .values(payment_intent_id=None)
        )
        session.commit()
        raise
    # Ours if we still hold the claim, or if nobody does (whoever took it over failed).
    recorded = session.execute(
        update(Order)
        .where(
            col(Order.id) == order.id,
            (col(Order.payment_intent_id) == token) | col(Order.payment_intent_id).is_(None),
        )
        .values(payment_intent_id=view.id, payment_method=method)
    )
    if recorded.rowcount != 1:
        session.commit()
        # Stripe's idempotency key may have handed the other request this very intent.
        if _wait_for_intent(session, order) != view.id:
            _cancel_unrecorded(view.id, order_id=order.id)
        return None
    session.refresh(order)
    transition(session, order, "processing", "payment intent created")
    session.commit()
    return view


def _cancel_unrecorded(intent_id: str, *, order_id: int) -> None:
    """An intent the order does not record must not stay payable; if canceling fails, a
    payment of it is still fulfilled or refunded through its metadata (fulfilment)."""
    try:
        stripe_gateway.cancel_payment_intent(intent_id)
    except stripe_gateway.GatewayError:
        log.warning(
            "could not cancel unrecorded intent %s of order %s",
            intent_id,
            order_id,
            extra={"order_id": order_id},
        )


def start_payment(session: Session, *, user: User, order_id: int, method: str) -> PaymentStart:
    """The PaymentIntent of this order, created once however many clicks or tabs ask.

    Stripe's idempotency key guards the Stripe side; the claim on the order row guards
    ours (and the local Stripe server ignores idempotency keys).
    """
    if method not in METHODS:
        raise UserError("checkout.error.method")
    order = session.get(Order, order_id)
    if order is None or order.user_id != user.id:
        raise UserError("checkout.error.no_order")
    if order.status not in OPEN_STATES:
        raise UserError("checkout.error.order_closed")
    if order.amount_minor == 0:
        raise UserError("promo.error.free_no_payment")  # checkout.confirm_free_order
    session.commit()  # the claim below must see and be seen by other sessions at once
    intent_id = order.payment_intent_id
    if intent_id is None or intent_id.startswith(CLAIM_PREFIX):
        token = _claim_intent(session, order)
        if token is not None:
            view = _create_claimed_intent(session, order=order, token=token, method=method)
            if view is not None:
                return PaymentStart(order.id, view.client_secret, method)
        intent_id = _wait_for_intent(session, order)
    view = stripe_gateway.retrieve_payment_intent(intent_id)
    if view.status == "succeeded":
        raise UserError("checkout.error.already_paid")
    if view.status == "canceled":
        raise UserError("checkout.error.order_closed")
    if method != order.payment_method:
        view = stripe_gateway.switch_method(intent_id, method)
        order.payment_method = method
        session.add(order)
        session.flush()
    session.refresh(order)
    if order.status in ("pending", "failed"):
        transition(session, order, "processing", "payment retried")
    session.commit()
    return PaymentStart(order.id, view.client_secret, method)


def charge_saved_card(
    session: Session, *, order: Order, saved: SavedCard
) -> stripe_gateway.IntentView | None:
    """Auto-renew: pay the order with the customer's saved card, off-session, through the
    same one-intent-per-order claim and idempotency key as a payment by hand. The intent as
    Stripe left it (succeeded, or declined with its error code); None when another caller
    holds the order's intent. Fulfilment stays with the webhook and reconciliation."""
    if order.status not in OPEN_STATES or order.payment_intent_id:
        return None
    if order.amount_minor == 0:
        raise UserError("promo.error.free_no_payment")
    session.commit()  # the claim below must see and be seen by other sessions at once
    token = _claim_intent(session, order)
    if token is None:
        return None
    view = _create_claimed_intent(session, order=order, token=token, method="card", saved=saved)
    if view is not None and view.status == "requires_payment_method" and view.error_code:
        session.refresh(order)
        transition(session, order, "failed", f"{view.error_code} (auto-renew)"[:200])
        session.commit()
    return view


_LAST_METHOD = (
    select(Order.payment_method)
    .where(Order.user_id == bindparam("user_id"), Order.payment_method != "")
    .order_by(col(Order.id).desc())
    .limit(1)
)


def last_method(session: Session, *, user: User) -> str:
    """The method the customer chose last time, offered first next time."""
    return session.exec(_LAST_METHOD, params={"user_id": user.id}).first() or "card"


def orders_for(session: Session, *, user: User) -> list[tuple[Order, Package]]:
    rows = session.exec(
        select(Order, Package)
        .join(Package, col(Package.id) == col(Order.package_id))
        .where(Order.user_id == user.id)
        .order_by(col(Order.id).desc())
    ).all()
    return [(o, p) for o, p in rows]


def order_for(session: Session, *, user: User, order_id: int) -> Order:
    """The customer's own order; anyone else's is 'not found', never shown."""
    order = session.get(Order, order_id) if order_id else None
    if order is None or order.user_id != user.id:
        raise UserError("checkout.error.no_order")
    return order
