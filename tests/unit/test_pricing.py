"""Pricing rules: each kind of promotion, the best-of choice, limits, time windows, a
switched-off promotion, and the admin preview built on the same rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from heyon_app import clock
from heyon_app.models import FreeMonthClaim, Order, Promotion, PromotionRedemption, User
from heyon_app.money import Money
from heyon_app.services import billing, pricing
from heyon_app.services.errors import UserError
from tests.unit.helpers import catalogue, customer, line, package


@pytest.fixture
def db(session: Session) -> Session:
    catalogue(session)
    return session


def promo(db: Session, code: str, **fields) -> Promotion:
    row = db.exec(select(Promotion).where(Promotion.code == code)).first()
    if row is None:
        row = Promotion(code=code, kind="promo_code", name_zh=code, name_en=code)
    for name, value in {"active": True, **fields}.items():
        setattr(row, name, value)
    db.add(row)
    db.flush()
    return row


def paid_before(db: Session, user: User, code: str = "DATA_M", amount: int | None = None) -> Order:
    pkg = package(db, code)
    order = Order(
        user_id=user.id,
        package_id=pkg.id,
        status="fulfilled",
        list_price_minor=pkg.price_minor,
        amount_minor=pkg.price_minor if amount is None else amount,
        currency="CNY",
        idempotency_key=f"t-{user.id}-{code}-{amount}",
    )
    db.add(order)
    db.flush()
    return order


def verified(db: Session, user: User) -> User:
    user.phone_verified_at = clock.now()
    db.add(user)
    db.flush()
    return user


def price(db: Session, user: User, code: str = "DATA_M", typed: str = "") -> pricing.Price:
    return pricing.price_for(db, user=user, package=package(db, code), code=typed)


def test_no_promotion_switched_on_means_list_price(db):
    p = price(db, customer(db))
    assert p.promotion is None and p.total == p.list_price == Money(5_900, "CNY")


def test_first_month_free_for_a_new_customer_with_a_verified_number(db):
    promo(db, "FIRST_MONTH_FREE")
    p = price(db, verified(db, customer(db)))
    assert p.total == Money(0, "CNY") and p.promotion.code == "FIRST_MONTH_FREE"
    assert p.reason_key == "promo.why.first_month_free" and not p.needs_phone


def test_first_month_free_waits_for_a_verified_number(db):
    promo(db, "FIRST_MONTH_FREE")
    p = price(db, customer(db))
    assert p.promotion is None and p.total == p.list_price and p.needs_phone


def test_first_month_free_only_for_monthly_packages(db):
    promo(db, "FIRST_MONTH_FREE")
    p = price(db, verified(db, customer(db)), "DATA_Q")
    assert p.promotion is None and not p.needs_phone


def test_first_month_free_not_for_a_customer_who_ordered_before(db):
    promo(db, "FIRST_MONTH_FREE")
    user = verified(db, customer(db))
    paid_before(db, user, amount=0)
    assert price(db, user).promotion is None


def test_a_number_that_had_the_free_month_never_gets_it_again(db):
    promo(db, "FIRST_MONTH_FREE")
    first = verified(db, customer(db))
    order = paid_before(db, first, amount=0)
    db.add(
        FreeMonthClaim(
            phone=pricing.normalize_phone(first.phone), user_id=first.id, order_id=order.id
        )
    )
    second = customer(db)
    second.phone = first.phone.replace("+86", "+86 ")  # the same number, typed differently
    verified(db, second)
    evaluations = pricing.price_for(db, user=second, package=package(db, "DATA_M"))
    assert evaluations.promotion is None and not evaluations.needs_phone


def test_renewal_discount_for_a_customer_with_an_earlier_paid_order(db):
    promo(db, "RENEWAL_10", percent_off=10)
    user = customer(db)
    assert price(db, user).promotion is None
    paid_before(db, user)
    p = price(db, user)
    assert p.discount == Money(590, "CNY") and p.total == Money(5_310, "CNY")
    assert p.reason_key == "promo.why.renewal_discount"


def test_a_refunded_order_makes_no_returning_customer_nor_a_new_one(db):
    promo(db, "RENEWAL_10", percent_off=10)
    promo(db, "FIRST_MONTH_FREE")
    user = verified(db, customer(db))
    order = paid_before(db, user)
    order.status = "refunded"
    db.add(order)
    db.flush()
    assert price(db, user).promotion is None


def test_a_free_month_is_not_an_earlier_paid_order(db):
    promo(db, "RENEWAL_10", percent_off=10)
    user = customer(db)
    paid_before(db, user, amount=0)
    assert price(db, user).promotion is None


def test_promo_code_percent_and_fixed_amount(db):
    promo(db, "SPRING20", percent_off=20)
    promo(db, "MINUS5", amount_off_minor=500)
    user = customer(db)
    assert price(db, user, typed=" spring20 ").discount == Money(1_180, "CNY")
    assert price(db, user, typed="minus5").total == Money(5_400, "CNY")
    assert price(db, user).promotion is None  # a code applies only when typed


def test_a_fixed_amount_never_makes_the_price_negative(db):
    promo(db, "BIG", amount_off_minor=100_000)
    assert price(db, customer(db), typed="BIG").total == Money(0, "CNY")


def test_the_best_promotion_for_the_customer_wins(db):
    promo(db, "RENEWAL_10", percent_off=10)
    promo(db, "SMALL", amount_off_minor=100)
    promo(db, "HALF", percent_off=50)
    user = customer(db)
    paid_before(db, user)
    assert price(db, user, typed="SMALL").promotion.code == "RENEWAL_10"
    assert price(db, user, typed="SMALL").code_key == "promo.code.better_offer"
    best = price(db, user, typed="HALF")
    assert best.promotion.code == "HALF" and best.total == Money(2_950, "CNY")
    assert best.code_key == ""


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"active": False}, "promo.code.inactive"),
        ({"starts_at": "future"}, "promo.code.not_started"),
        ({"ends_at": "past"}, "promo.code.expired"),
        ({"max_redemptions": 3, "redemptions": 3}, "promo.code.used_up"),
        ({"package_codes": "VOICE_M"}, "promo.code.not_for_package"),
        ({"periods": "year"}, "promo.code.not_for_package"),
    ],
)
def test_a_code_that_does_not_apply_says_why(db, fields, expected):
    now = clock.now()
    when = {"future": now + timedelta(hours=1), "past": now - timedelta(seconds=1)}
    promo(db, "CODE", percent_off=20, **{k: when.get(v, v) for k, v in fields.items()})
    p = price(db, customer(db), typed="code")
    assert p.promotion is None and p.code_key == expected and p.total == p.list_price


def test_an_unknown_code_says_so(db):
    assert price(db, customer(db), typed="NOPE").code_key == "promo.code.unknown"


def test_a_code_inside_its_window_and_limits_applies(db):
    now = clock.now()
    promo(
        db,
        "CODE",
        percent_off=20,
        starts_at=now - timedelta(seconds=1),
        ends_at=now + timedelta(seconds=1),
        max_redemptions=3,
        redemptions=2,
        package_codes="DATA_M,VOICE_M",
        periods="month",
    )
    assert price(db, customer(db), typed="CODE").promotion.code == "CODE"


def test_the_window_ends_exactly_at_ends_at(db):
    now = clock.now()
    promo(db, "CODE", percent_off=20, ends_at=now + timedelta(minutes=5))
    user = customer(db)
    with clock.freeze(now + timedelta(minutes=5)):
        assert price(db, user, typed="CODE").code_key == "promo.code.expired"


def test_per_customer_limit_counts_this_customers_orders_only(db):
    code = promo(db, "ONCE", percent_off=20, per_customer_limit=1)
    user, other = customer(db), customer(db)
    ln = line(db, user=user)
    order = billing.create_order(
        db, user=user, line_id=ln.id, package_code="DATA_M", method="card", code="ONCE"
    )
    assert order.promotion_id == code.id
    assert price(db, user, "DATA_Q", typed="ONCE").code_key == "promo.code.already_used"
    assert price(db, other, typed="ONCE").promotion.code == "ONCE"


def test_switching_a_promotion_off_stops_new_quotes_but_an_order_keeps_its_price(db):
    renewal = promo(db, "RENEWAL_10", percent_off=10)
    user = customer(db)
    paid_before(db, user)
    ln = line(db, user=user)
    order = billing.create_order(db, user=user, line_id=ln.id, package_code="DATA_M", method="card")
    assert order.amount_minor == 5_310 and order.discount_minor == 590
    renewal.active = False
    db.add(renewal)
    db.flush()
    assert price(db, user).total == Money(5_900, "CNY")
    db.refresh(order)
    assert order.amount_minor == 5_310 and order.promotion_id == renewal.id


def test_an_order_reserves_and_a_canceled_order_releases_its_redemption(db):
    code = promo(db, "LAST", percent_off=20, max_redemptions=1)
    user = customer(db)
    ln = line(db, user=user)
    order = billing.create_order(
        db, user=user, line_id=ln.id, package_code="DATA_M", method="card", code="LAST"
    )
    db.refresh(code)
    assert code.redemptions == 1
    assert price(db, customer(db), typed="LAST").code_key == "promo.code.used_up"
    assert billing.transition(db, order, "canceled", "test")
    assert billing.transition(db, order, "canceled", "again") is False
    db.refresh(code)
    row = db.exec(select(PromotionRedemption).where(PromotionRedemption.order_id == order.id)).one()
    assert code.redemptions == 0 and row.status == "released"


def test_a_paid_order_redeems_once(db):
    code = promo(db, "LAST", percent_off=20, max_redemptions=5)
    user = customer(db)
    ln = line(db, user=user)
    order = billing.create_order(
        db, user=user, line_id=ln.id, package_code="DATA_M", method="card", code="LAST"
    )
    assert billing.transition(db, order, "paid", "test")
    row = db.exec(select(PromotionRedemption).where(PromotionRedemption.order_id == order.id)).one()
    db.refresh(code)
    assert row.status == "redeemed" and code.redemptions == 1


def test_reserving_a_used_up_promotion_creates_no_order(db):
    code = promo(db, "LAST", percent_off=20, max_redemptions=1)
    user = customer(db)
    ln = line(db, user=user)
    q = billing.quote(db, user=user, line_id=ln.id, package_code="DATA_M", code="LAST")
    assert q.promotion is not None
    code.redemptions = 1  # someone else took the last one after this quote
    db.add(code)
    db.flush()
    with pytest.raises(UserError) as caught:
        pricing.reserve(db, promotion=q.promotion, user=user)
    assert caught.value.key == "promo.code.used_up"


def test_admin_preview_new_and_returning(db):
    promo(db, "FIRST_MONTH_FREE")
    promo(db, "RENEWAL_10", percent_off=10)
    promo(db, "OFF5", amount_off_minor=500, active=False)
    new = {r.code: r for r in pricing.preview(db, package_code="DATA_M", customer="new")}
    assert new["FIRST_MONTH_FREE"].applies and new["FIRST_MONTH_FREE"].wins
    assert new["FIRST_MONTH_FREE"].total == Money(0, "CNY")
    assert not new["RENEWAL_10"].applies
    assert new["RENEWAL_10"].reason_key == "promo.reason.not_returning"
    assert new["OFF5"].reason_key == "promo.reason.inactive" and not new["OFF5"].active
    back = {r.code: r for r in pricing.preview(db, package_code="DATA_M", customer="returning")}
    assert back["RENEWAL_10"].wins and back["RENEWAL_10"].total == Money(5_310, "CNY")
    assert back["FIRST_MONTH_FREE"].reason_key == "promo.reason.not_new"
    assert [r for r in back.values() if r.wins] == [back["RENEWAL_10"]]


def test_admin_preview_of_an_unknown_package_or_customer_kind_is_a_clear_error(db):
    with pytest.raises(UserError) as caught:
        pricing.preview(db, package_code="NOPE", customer="new")
    assert caught.value.key == "checkout.error.no_package"
    with pytest.raises(UserError) as caught:
        pricing.preview(db, package_code="DATA_M", customer="")
    assert caught.value.key == "promo.error.customer_kind"


def test_pressing_pay_again_reuses_the_order_that_holds_a_once_only_last_code(db):
    code = promo(db, "ONCE", percent_off=20, per_customer_limit=1, max_redemptions=1)
    user = customer(db)
    ln = line(db, user=user)

    def pay():
        return billing.create_order(
            db,
            user=user,
            line_id=ln.id,
            package_code="DATA_M",
            method="card",
            code="ONCE",
            expected_minor=4_720,
        )

    first, again = pay(), pay()
    db.refresh(code)
    assert again.id == first.id and first.amount_minor == 4_720 and code.redemptions == 1


def test_a_price_that_changed_since_the_review_orders_nothing(db):
    renewal = promo(db, "RENEWAL_10", percent_off=10)
    user = customer(db)
    paid_before(db, user)
    ln = line(db, user=user)
    shown = price(db, user).total.minor
    renewal.active = False  # the admin switches it off while the customer reads the review
    db.add(renewal)
    db.flush()
    with pytest.raises(UserError) as caught:
        billing.create_order(
            db,
            user=user,
            line_id=ln.id,
            package_code="DATA_M",
            method="card",
            expected_minor=shown,
        )
    assert caught.value.key == "promo.error.price_changed"
    assert db.exec(select(Order).where(Order.line_id == ln.id)).first() is None


def test_a_used_up_code_at_pay_time_says_so_and_orders_nothing(db):
    promo(db, "LAST", percent_off=20, max_redemptions=1, redemptions=1)
    user = customer(db)
    ln = line(db, user=user)
    with pytest.raises(UserError) as caught:
        billing.create_order(
            db, user=user, line_id=ln.id, package_code="DATA_M", method="card", code="LAST"
        )
    assert caught.value.key == "promo.code.used_up"
    assert db.exec(select(Order).where(Order.line_id == ln.id)).first() is None


def test_a_zero_total_order_needs_no_payment_method(db):
    promo(db, "FREE100", percent_off=100)
    user = customer(db)
    order = billing.create_order(
        db, user=user, line_id=None, package_code="DATA_M", method="", code="FREE100"
    )
    assert order.amount_minor == 0 and order.payment_method == billing.FREE
    with pytest.raises(UserError) as caught:
        billing.start_payment(db, user=user, order_id=order.id, method="card")
    assert caught.value.key == "promo.error.free_no_payment"


def test_every_message_key_the_pricing_and_phone_rules_name_is_in_both_catalogues():
    import re
    from pathlib import Path

    from heyon_app.i18n import catalogue

    services = Path(pricing.__file__).parent
    source = "".join(
        (services / name).read_text("utf-8")
        for name in ("pricing.py", "phone_verification.py", "billing.py", "checkout.py")
    )
    keys = set(re.findall(r'"(promo\.[a-z_.]+)"', source))
    keys |= {f"promo.why.{kind}" for kind in pricing.KINDS}
    keys = {k for k in keys if not k.endswith(".")}
    assert len(keys) > 20
    for locale in ("zh-CN", "en"):
        assert sorted(keys - catalogue(locale).keys()) == []
