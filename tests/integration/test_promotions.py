"""Promotions against the migrated database: the race for the last redemption (SQLite and
PostgreSQL), a zero-total order fulfilled without Stripe, the free month claimed twice with
the same number, and a switched-off promotion that an order already created keeps."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlmodel import Session, col, select

from heyon_app import clock, db, seed
from heyon_app.models import (
    EsimLine,
    FreeMonthClaim,
    Notification,
    Order,
    OrderTransition,
    Payment,
    Promotion,
    PromotionRedemption,
    User,
)
from heyon_app.services import billing, checkout, fulfilment
from heyon_app.services.errors import UserError
from tests import factories
from tests.concurrency import run_at_once


def _code(session: Session, **fields) -> Promotion:
    row = Promotion(
        code="T" + uuid.uuid4().hex[:10].upper(),
        kind="promo_code",
        name_zh="测试码",
        name_en="Test code",
        active=True,
        **fields,
    )
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def switched_on(app_db) -> Iterator[callable]:
    """Switch seeded promotions on for one test; they are off again afterwards, whatever
    happens (other tests' prices must not change)."""
    touched: dict[str, bool] = {}

    def switch(code: str) -> None:
        with db.session_scope() as s:
            row = s.exec(select(Promotion).where(Promotion.code == code)).one()
            touched.setdefault(code, row.active)
            row.active = True

    yield switch
    with db.session_scope() as s:
        for code, was in touched.items():
            s.exec(select(Promotion).where(Promotion.code == code)).one().active = was


def _race_for_the_last_redemption(url: str | None) -> None:
    engine = db.engine(url)
    with Session(engine, expire_on_commit=False) as s:
        promo = _code(s, percent_off=20, max_redemptions=3, redemptions=2)
        buyers = []
        for _ in range(2):
            user = factories.customer(s)
            buyers.append((user, factories.line(s, user=user)))
        s.commit()
        shown = billing.quote(
            s, user=buyers[0][0], line_id=buyers[0][1].id, package_code="DATA_M", code=promo.code
        ).total.minor
    pending = list(buyers)

    def checkout_now() -> int | str:
        user, ln = pending.pop()
        with Session(engine, expire_on_commit=False) as s:
            try:
                order = billing.create_order(
                    s,
                    user=user,
                    line_id=ln.id,
                    package_code="DATA_M",
                    method="card",
                    code=promo.code,
                    expected_minor=shown,
                )
                s.commit()
                return order.id
            except UserError as exc:
                s.rollback()
                return exc.key

    results = run_at_once(checkout_now)
    won = [r for r in results if isinstance(r, int)]
    assert len(won) == 1 and [r for r in results if isinstance(r, str)] in (
        ["promo.code.used_up"],
        ["promo.error.price_changed"],
    )
    with Session(engine, expire_on_commit=False) as s:
        assert s.get(Promotion, promo.id).redemptions == 3
        rows = s.exec(
            select(PromotionRedemption).where(PromotionRedemption.promotion_id == promo.id)
        ).all()
        assert [r.order_id for r in rows] == won and rows[0].status == "reserved"
        # Paid, and Stripe says so twice: counted once.
        order = s.get(Order, won[0])
        order.payment_intent_id = "pi_" + uuid.uuid4().hex[:16]
        s.add(order)
        s.commit()
        for _ in range(2):
            fulfilment.fulfil_payment(
                s,
                payment_intent_id=order.payment_intent_id,
                amount_minor=order.amount_minor,
                currency=order.currency,
                source="test",
            )
            s.commit()
        s.refresh(rows[0])
        assert rows[0].status == "redeemed" and s.get(Promotion, promo.id).redemptions == 3


def test_two_checkouts_race_for_the_last_redemption_on_sqlite(app_db):
    _race_for_the_last_redemption(None)


def test_two_checkouts_race_for_the_last_redemption_on_postgresql(pg_url):
    db.migrate(pg_url)
    with Session(db.engine(pg_url)) as s:
        seed.seed_catalogue(s)
        s.commit()
    _race_for_the_last_redemption(pg_url)


def _new_verified_customer(s: Session, phone: str | None = None) -> User:
    user = factories.customer(s)
    if phone:
        user.phone = phone
    user.phone_verified_at = clock.now()
    s.add(user)
    s.commit()
    return user


def test_a_new_customer_gets_the_first_month_free_without_stripe(app_db, mailbox, switched_on):
    switched_on("FIRST_MONTH_FREE")
    with db.session_scope() as s:
        user = _new_verified_customer(s)
        q = billing.quote(s, user=user, line_id=None, package_code="DATA_M")
        assert q.total.minor == 0 and q.promotion.code == "FIRST_MONTH_FREE"
        order = billing.create_order(
            s, user=user, line_id=None, package_code="DATA_M", method="", expected_minor=0
        )
        s.commit()
        done = checkout.confirm_free_order(s, user=user, order_id=order.id)
        assert done.status == "fulfilled" and done.receipt_number and done.valid_until
        line = s.get(EsimLine, done.line_id)
        assert line.user_id == user.id and line.valid_until == done.valid_until
        steps = s.exec(
            select(OrderTransition.to_status)
            .where(OrderTransition.order_id == order.id)
            .order_by(col(OrderTransition.id))
        ).all()
        assert steps == ["paid", "fulfilled"]
        payment = s.exec(select(Payment).where(Payment.order_id == order.id)).one()
        assert payment.amount_minor == 0 and payment.method == "free"
        claim = s.get(FreeMonthClaim, user.phone)
        assert claim.order_id == order.id
        sent = s.exec(select(Notification).where(Notification.user_id == user.id)).all()
        assert sorted(n.channel for n in sent) == ["email", "sms"]
        assert all(n.status == "sent" for n in sent)
        redemption = s.exec(
            select(PromotionRedemption).where(PromotionRedemption.order_id == order.id)
        ).one()
        assert redemption.status == "redeemed"
        # The same customer's next month is not free.
        assert billing.quote(s, user=user, line_id=line.id, package_code="DATA_M").total.minor
        # A second click on "confirm" changes nothing.
        assert checkout.confirm_free_order(s, user=user, order_id=order.id).id == order.id
    assert len(mailbox.to(user.email)) == 1


def test_the_free_month_claimed_twice_with_the_same_number_fails_cleanly(app_db, switched_on):
    switched_on("FIRST_MONTH_FREE")
    phone = f"+86137{uuid.uuid4().int % 10**8:08d}"
    with db.session_scope() as s:
        first, second = _new_verified_customer(s, phone), _new_verified_customer(s, phone)
        orders = [
            billing.create_order(s, user=u, line_id=None, package_code="DATA_M", method="")
            for u in (first, second)
        ]
        s.commit()
        assert [o.amount_minor for o in orders] == [0, 0]
        checkout.confirm_free_order(s, user=first, order_id=orders[0].id)
        with pytest.raises(UserError) as caught:
            checkout.confirm_free_order(s, user=second, order_id=orders[1].id)
        assert caught.value.key == "promo.error.free_month_claimed"
        s.refresh(orders[1])
        assert orders[1].status == "canceled" and orders[1].line_id is None
        assert s.exec(select(Payment).where(Payment.order_id == orders[1].id)).first() is None
        assert s.get(FreeMonthClaim, phone).user_id == first.id
        row = s.exec(
            select(PromotionRedemption).where(PromotionRedemption.order_id == orders[1].id)
        ).one()
        assert row.status == "released"
        # Now the number is known: the second account is quoted the full price.
        assert billing.quote(s, user=second, line_id=None, package_code="DATA_M").total.minor


def _one_number_two_accounts_confirm_at_once(url: str | None) -> None:
    engine = db.engine(url)
    phone = f"+86136{uuid.uuid4().int % 10**8:08d}"
    with Session(engine, expire_on_commit=False) as s:
        users = [_new_verified_customer(s, phone), _new_verified_customer(s, phone)]
        orders = [
            billing.create_order(s, user=u, line_id=None, package_code="DATA_M", method="")
            for u in users
        ]
        s.commit()
        assert [o.amount_minor for o in orders] == [0, 0]
    pending = list(zip(users, orders, strict=True))

    def confirm() -> str:
        user, order = pending.pop()
        with Session(engine, expire_on_commit=False) as s:
            try:
                return checkout.confirm_free_order(s, user=user, order_id=order.id).status
            except UserError as exc:
                return exc.key

    assert sorted(run_at_once(confirm)) == ["fulfilled", "promo.error.free_month_claimed"]
    with Session(engine) as s:
        claims = s.exec(select(FreeMonthClaim).where(FreeMonthClaim.phone == phone)).all()
        assert len(claims) == 1
        statuses = sorted(s.get(Order, o.id).status for o in orders)
        assert statuses == ["canceled", "fulfilled"]


def test_two_accounts_with_one_number_confirm_at_once_and_one_month_is_free(app_db, switched_on):
    switched_on("FIRST_MONTH_FREE")
    _one_number_two_accounts_confirm_at_once(None)


def test_one_number_two_accounts_confirm_at_once_on_postgresql(pg_url):
    db.migrate(pg_url)
    with Session(db.engine(pg_url)) as s:
        seed.seed_catalogue(s)
        s.exec(select(Promotion).where(Promotion.code == "FIRST_MONTH_FREE")).one().active = True
        s.commit()
    _one_number_two_accounts_confirm_at_once(pg_url)


def test_an_order_created_before_the_switch_off_keeps_its_price(app_db, switched_on):
    switched_on("RENEWAL_10")
    with db.session_scope() as s:
        user = factories.customer(s)
        ln = factories.line(s, user=user)
        earlier = Order(
            user_id=user.id,
            line_id=ln.id,
            package_id=factories.package(s, "DATA_M").id,
            status="fulfilled",
            list_price_minor=5_900,
            amount_minor=5_900,
            currency="CNY",
            idempotency_key=f"t-{uuid.uuid4().hex}",
        )
        s.add(earlier)
        s.flush()
        order = billing.create_order(
            s, user=user, line_id=ln.id, package_code="DATA_M", method="card"
        )
        order.payment_intent_id = "pi_" + uuid.uuid4().hex[:16]
        s.add(order)
        renewal = s.exec(select(Promotion).where(Promotion.code == "RENEWAL_10")).one()
        renewal.active = False
        s.add(renewal)
        s.commit()
        assert billing.quote(s, user=user, line_id=ln.id, package_code="DATA_M").discount.minor == 0
        outcome = fulfilment.fulfil_payment(
            s,
            payment_intent_id=order.payment_intent_id,
            amount_minor=5_310,
            currency="cny",
            source="test",
        )
        assert outcome.fulfilled
        s.refresh(order)
        assert (order.status, order.amount_minor, order.discount_minor) == ("fulfilled", 5_310, 590)
