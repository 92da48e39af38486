"""The one pricing module: what a package costs a customer, after the best promotion.

Checkout (billing.quote / create_order), the receipt and the admin preview all ask here, so
the price a customer is shown, the price an order stores and the price an admin previews
come from the same rules. One promotion per order: the one that takes the most off.

A promotion's redemption is reserved when an order is priced (a conditional UPDATE on the
promotion's counter, so the last one goes to one order only), redeemed when the order is
paid and released when the order ends unpaid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, update
from sqlmodel import Session, col, select

from heyon_app import clock
from heyon_app.db import insert_once
from heyon_app.models import (
    FreeMonthClaim,
    Order,
    Package,
    Promotion,
    PromotionRedemption,
    User,
)
from heyon_app.money import Money
from heyon_app.services import catalog
from heyon_app.services.errors import UserError

KINDS = ("first_month_free", "renewal_discount", "promo_code")
PREVIEW_CUSTOMERS = ("new", "returning")
# Orders in these states were paid (a refund afterwards does not make a customer new again,
# though it does not count as a paid order for the renewal discount either).
PAID_STATES = ("paid", "fulfilled", "disputed", "refunded")
# A redemption that counts against the limits: reserved by an open order, or paid.
COUNTED = ("reserved", "redeemed")
_CODE_KEYS = {
    "promo.reason.inactive": "promo.code.inactive",
    "promo.reason.not_started": "promo.code.not_started",
    "promo.reason.ended": "promo.code.expired",
    "promo.reason.used_up": "promo.code.used_up",
    "promo.reason.customer_limit": "promo.code.already_used",
    "promo.reason.package": "promo.code.not_for_package",
    "promo.reason.period": "promo.code.not_for_package",
}
# A typed code that cannot be used at all (not merely beaten by a better offer).
CODE_REFUSALS = frozenset([*_CODE_KEYS.values(), "promo.code.unknown"])


class FreeMonthTaken(UserError):
    """The number had its free month (another account claimed it first): the fulfilment
    that tried to claim it must be rolled back."""


@dataclass(frozen=True)
class Customer:
    """What the rules need to know about a customer (real or the admin preview's)."""

    user_id: int | None
    paid_orders: int  # earlier paid orders with money in them
    any_orders: int  # earlier paid orders, free ones included
    phone: str
    phone_verified: bool
    phone_claimed: bool  # the number has had the free month
    uses: dict[int, int]  # promotion id -> this customer's counted redemptions
    # The promotion the order being re-priced holds a reservation of (it is not taken twice).
    holding: int | None = None


@dataclass(frozen=True)
class Evaluation:
    promotion: Promotion
    applies: bool
    reason_key: str  # why it applies, or why not
    discount: Money


@dataclass(frozen=True)
class Price:
    list_price: Money
    discount: Money
    total: Money
    promotion: Promotion | None
    reason_key: str  # why the winner applies ("" without one)
    code_key: str  # a typed code that does not apply: why ("" otherwise)
    # The free month would apply once the customer verifies their mobile number.
    needs_phone: bool


@dataclass(frozen=True)
class PromotionPreview:
    promotion_id: int
    code: str
    kind: str
    name_zh: str
    name_en: str
    active: bool
    applies: bool
    reason_key: str
    list_price: Money
    discount: Money
    total: Money
    wins: bool  # the one a customer of this kind would get


def normalize_phone(raw: str) -> str:
    """A mobile number as stored for claims: '+' and digits only, so spacing cannot make a
    number look new."""
    digits = re.sub(r"\D", "", raw or "")
    return ("+" + digits) if digits else ""


def normalize_code(raw: str) -> str:
    return (raw or "").strip().upper()[:40]


def _split(csv: str) -> set[str]:
    return {part.strip() for part in (csv or "").split(",") if part.strip()}


# Built once (every quote runs them): building them anew cost more CPU than running them.
_PAID_ORDERS = select(Order.amount_minor, Order.status).where(
    Order.user_id == bindparam("user_id"),
    col(Order.status).in_(PAID_STATES),
    col(Order.id) != bindparam("exclude"),
)
_USES = (
    select(PromotionRedemption.promotion_id, func.count())
    .where(
        PromotionRedemption.user_id == bindparam("user_id"),
        col(PromotionRedemption.status).in_(COUNTED),
        col(PromotionRedemption.order_id) != bindparam("exclude"),
    )
    .group_by(col(PromotionRedemption.promotion_id))
)
# populate_existing: a promotion switched off a moment ago stops for this quote at once.
_PROMOTIONS = (
    select(Promotion).order_by(col(Promotion.id)).execution_options(populate_existing=True)
)


def customer_facts(
    session: Session, *, user: User, exclude_order_id: int | None = None
) -> Customer:
    params = {"user_id": user.id, "exclude": exclude_order_id or 0}
    orders = session.exec(_PAID_ORDERS, params=params).all()
    uses = session.exec(_USES, params=params).all()
    phone = normalize_phone(user.phone)
    claimed = bool(phone) and session.get(FreeMonthClaim, phone) is not None
    held = _redemption(session, exclude_order_id) if exclude_order_id else None
    return Customer(
        user_id=user.id,
        # Money kept: a refunded order does not make a returning customer.
        paid_orders=sum(1 for amount, status in orders if amount > 0 and status != "refunded"),
        any_orders=len(orders),
        phone=phone,
        phone_verified=user.phone_verified_at is not None,
        phone_claimed=claimed,
        uses={pid: n for pid, n in uses},
        holding=held.promotion_id if held is not None and held.status == "reserved" else None,
    )


def preview_customer(kind: str) -> Customer:
    """The admin preview's customer: "new" (verified number, never ordered) or "returning"."""
    returning = kind == "returning"
    return Customer(
        user_id=None,
        paid_orders=1 if returning else 0,
        any_orders=1 if returning else 0,
        phone="",
        phone_verified=True,
        phone_claimed=returning,
        uses={},
    )


def _discount(promotion: Promotion, price: Money) -> Money:
    if promotion.kind == "first_month_free":
        return price
    if promotion.percent_off:
        return price.percent(max(0, min(100, promotion.percent_off)))
    if promotion.amount_off_minor and promotion.currency == price.currency:
        return Money(max(0, min(promotion.amount_off_minor, price.minor)), price.currency)
    return Money(0, price.currency)


def evaluate(
    promotion: Promotion,
    *,
    package: Package,
    customer: Customer,
    code: str = "",
    now: datetime | None = None,
) -> Evaluation:
    """Whether `promotion` applies to this package and customer now, why, and how much."""
    price = catalog.price(package)
    now = now or clock.now()

    def no(reason: str) -> Evaluation:
        return Evaluation(promotion, False, reason, Money(0, price.currency))

    if not promotion.active:
        return no("promo.reason.inactive")
    if promotion.starts_at and now < promotion.starts_at:
        return no("promo.reason.not_started")
    if promotion.ends_at and now >= promotion.ends_at:
        return no("promo.reason.ended")
    if _split(promotion.package_codes) and package.code not in _split(promotion.package_codes):
        return no("promo.reason.package")
    if _split(promotion.periods) and package.period not in _split(promotion.periods):
        return no("promo.reason.period")
    taken = promotion.redemptions - (1 if promotion.id == customer.holding else 0)
    if promotion.max_redemptions is not None and taken >= promotion.max_redemptions:
        return no("promo.reason.used_up")
    used = customer.uses.get(promotion.id or 0, 0)
    if promotion.per_customer_limit is not None and used >= promotion.per_customer_limit:
        return no("promo.reason.customer_limit")
    if promotion.kind == "first_month_free":
        if package.period != "month":
            return no("promo.reason.not_monthly")
        if customer.any_orders:
            return no("promo.reason.not_new")
        if customer.phone_claimed:
            return no("promo.reason.phone_claimed")
        if not customer.phone_verified:
            return no("promo.reason.phone_unverified")
    elif promotion.kind == "renewal_discount":
        if not customer.paid_orders:
            return no("promo.reason.not_returning")
    elif promotion.kind == "promo_code":
        if normalize_code(code) != promotion.code:
            return no("promo.reason.code_needed")
    else:
        return no("promo.reason.unknown_kind")
    discount = _discount(promotion, price)
    if discount.minor <= 0:
        return no("promo.reason.nothing_off")
    return Evaluation(promotion, True, f"promo.why.{promotion.kind}", discount)


def _best(evaluations: list[Evaluation]) -> Evaluation | None:
    """The most off for the customer; on a tie the older promotion, so the choice is stable."""
    winners = [e for e in evaluations if e.applies]
    if not winners:
        return None
    return min(winners, key=lambda e: (-e.discount.minor, e.promotion.id or 0))


def _promotions(session: Session) -> list[Promotion]:
    return list(session.exec(_PROMOTIONS).all())


def price_for(
    session: Session,
    *,
    user: User,
    package: Package,
    code: str = "",
    exclude_order_id: int | None = None,
) -> Price:
    """What `package` costs `user` now, with `code` if they typed one."""
    list_price = catalog.price(package)
    customer = customer_facts(session, user=user, exclude_order_id=exclude_order_id)
    now = clock.now()
    evaluations = [
        evaluate(p, package=package, customer=customer, code=code, now=now)
        for p in _promotions(session)
    ]
    best = _best(evaluations)
    code_key = ""
    typed = normalize_code(code)
    if typed:
        mine = next(
            (
                e
                for e in evaluations
                if e.promotion.kind == "promo_code" and e.promotion.code == typed
            ),
            None,
        )
        if mine is None:
            code_key = "promo.code.unknown"
        elif not mine.applies:
            code_key = _CODE_KEYS.get(mine.reason_key, "promo.code.unknown")
        elif best is not None and best.promotion.id != mine.promotion.id:
            code_key = "promo.code.better_offer"
    needs_phone = best is None or best.discount.minor < list_price.minor
    needs_phone = needs_phone and any(
        e.reason_key == "promo.reason.phone_unverified" for e in evaluations
    )
    discount = best.discount if best else Money(0, list_price.currency)
    return Price(
        list_price=list_price,
        discount=discount,
        total=list_price - discount,
        promotion=best.promotion if best else None,
        reason_key=best.reason_key if best else "",
        code_key=code_key,
        needs_phone=needs_phone,
    )


def preview(session: Session, *, package_code: str, customer: str) -> list[PromotionPreview]:
    """For the admin: what each promotion (on or off) would make `package_code` cost a "new"
    or "returning" customer now, and which one such a customer would get. A promo code is
    previewed as if the customer typed it; a switched-off one says so in `reason_key`."""
    if customer not in PREVIEW_CUSTOMERS:
        raise UserError("promo.error.customer_kind")
    package = session.exec(select(Package).where(Package.code == package_code)).first()
    if package is None:
        raise UserError("checkout.error.no_package")
    who = preview_customer(customer)
    list_price = catalog.price(package)
    now = clock.now()
    evaluations = [
        evaluate(p, package=package, customer=who, code=p.code, now=now)
        for p in _promotions(session)
    ]
    # Codes compete only when typed: the winner for "a customer of this kind" is among the rest.
    best = _best([e for e in evaluations if e.promotion.kind != "promo_code"])
    return [
        PromotionPreview(
            promotion_id=e.promotion.id or 0,
            code=e.promotion.code,
            kind=e.promotion.kind,
            name_zh=e.promotion.name_zh,
            name_en=e.promotion.name_en,
            active=e.promotion.active,
            applies=e.applies,
            reason_key=e.reason_key,
            list_price=list_price,
            discount=e.discount,
            total=list_price - e.discount,
            wins=best is not None and best.promotion.id == e.promotion.id,
        )
        for e in evaluations
    ]


def order_lines(session: Session, *, order: Order) -> dict[str, str]:
    """What an order's receipt and the orders page say about its price: the amounts the
    order stored when it was created (never re-priced) and its promotion's names."""
    promotion = session.get(Promotion, order.promotion_id) if order.promotion_id else None
    return {
        "price": Money(order.list_price_minor, order.currency).format(),
        "discount": Money(-order.discount_minor, order.currency).format()
        if order.discount_minor
        else "",
        "total": Money(order.amount_minor, order.currency).format(),
        "promotion_zh": promotion.name_zh if promotion else "",
        "promotion_en": promotion.name_en if promotion else "",
    }


# Redemptions ---------------------------------------------------------------------------


def reserve(session: Session, *, promotion: Promotion, user: User) -> None:
    """Count one redemption of `promotion` before the order that uses it is written; the
    conditional UPDATE lets exactly one of two racing checkouts take the last one."""
    result = session.execute(
        update(Promotion)
        .where(
            col(Promotion.id) == promotion.id,
            col(Promotion.active) == True,  # noqa: E712 - switched off meanwhile: not any more
            col(Promotion.max_redemptions).is_(None)
            | (col(Promotion.redemptions) < col(Promotion.max_redemptions)),
        )
        .values(redemptions=Promotion.redemptions + 1, updated_at=clock.now())
    )
    if result.rowcount != 1:
        raise UserError("promo.code.used_up" if promotion.active else "promo.code.inactive")


def record_reservation(session: Session, *, order: Order) -> None:
    """The redemption row of an order that `reserve` counted."""
    if order.promotion_id is None:
        return
    session.add(
        PromotionRedemption(
            promotion_id=order.promotion_id,
            order_id=order.id,
            user_id=order.user_id,
            discount_minor=order.discount_minor,
            currency=order.currency,
        )
    )
    session.flush()


def _redemption(session: Session, order_id: int) -> PromotionRedemption | None:
    return session.exec(
        select(PromotionRedemption)
        .where(PromotionRedemption.order_id == order_id)
        .execution_options(populate_existing=True)
    ).first()


def redeem(session: Session, *, order: Order) -> None:
    """The order is paid: its reservation becomes a redemption (once, whoever calls)."""
    session.execute(
        update(PromotionRedemption)
        .where(
            col(PromotionRedemption.order_id) == order.id,
            col(PromotionRedemption.status) == "reserved",
        )
        .values(status="redeemed", updated_at=clock.now())
    )


def release(session: Session, *, order: Order) -> None:
    """The order ended unpaid: its reservation goes back to the promotion, once."""
    row = _redemption(session, order.id or 0)
    if row is None:
        return
    result = session.execute(
        update(PromotionRedemption)
        .where(col(PromotionRedemption.id) == row.id, col(PromotionRedemption.status) == "reserved")
        .values(status="released", updated_at=clock.now())
    )
    if result.rowcount == 1:
        session.execute(
            update(Promotion)
            .where(col(Promotion.id) == row.promotion_id, col(Promotion.redemptions) > 0)
            .values(redemptions=Promotion.redemptions - 1)
        )


def claim_free_month(session: Session, *, order: Order, user: User) -> bool:
    """Record that this number has had its free month, in the fulfilment's transaction;
    False (nothing recorded) when the number had it already."""
    phone = normalize_phone(user.phone)
    if not phone or user.phone_verified_at is None:
        return False
    claim = FreeMonthClaim(phone=phone, user_id=user.id, order_id=order.id)
    return insert_once(session, claim, unique="phone")


def is_free_month(session: Session, order: Order) -> bool:
    if order.promotion_id is None:
        return False
    promotion = session.get(Promotion, order.promotion_id)
    return promotion is not None and promotion.kind == "first_month_free"
