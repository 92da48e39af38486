"""Admin catalogue services: what an admin may enter, and that every change is audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from heyon_app import clock, seed
from heyon_app.models import AuditLog, Package, Promotion, PromotionRedemption
from heyon_app.money import Money, parse_major
from heyon_app.services import admin_catalog, billing, checkout
from heyon_app.services.errors import UserError
from tests import factories


@pytest.fixture
def admin(session):
    seed.seed_catalogue(session)
    user = factories.customer(session)
    user.role = "admin"
    session.add(user)
    session.flush()
    return user


def _form(**values: str) -> dict[str, str]:
    base = {
        "kind": "promo_code",
        "code": "SPRING10",
        "name_zh": "春季优惠",
        "name_en": "Spring offer",
        "percent_off": "10",
    }
    return {**base, **values}


def _entries(session, action: str) -> list[AuditLog]:
    return list(session.exec(select(AuditLog).where(AuditLog.action == action)))


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"kind": "bogus"}, "admin.promotions.error.kind"),
        ({"code": "spring-10"}, "admin.promotions.error.promo_code"),
        ({"code": "SPRING_10"}, "admin.promotions.error.promo_code"),
        ({"code": "AB"}, "admin.promotions.error.promo_code"),
        ({"kind": "renewal_discount", "code": "renew 5"}, "admin.promotions.error.code"),
        ({"name_en": "  "}, "admin.promotions.error.names"),
        ({"name_zh": "长" * 81}, "admin.promotions.error.name_long"),
        ({"percent_off": "101"}, "admin.promotions.error.percent"),
        ({"percent_off": "-5"}, "admin.promotions.error.percent"),
        ({"percent_off": "12.5"}, "admin.promotions.error.percent"),
        ({"percent_off": "", "amount_off": "ten"}, "admin.promotions.error.amount"),
        ({"percent_off": "", "amount_off": "1.234"}, "admin.promotions.error.amount"),
        ({"amount_off": "10"}, "admin.promotions.error.one_discount"),
        ({"percent_off": "0"}, "admin.promotions.error.no_discount"),
        (
            {"kind": "renewal_discount", "code": "RENEW_5", "percent_off": "", "amount_off": "5"},
            "admin.promotions.error.amount_only_codes",
        ),
        ({"starts_at": "next week"}, "admin.promotions.error.date"),
        (
            {"starts_at": "2026-12-02T08:00", "ends_at": "2026-12-02T08:00"},
            "admin.promotions.error.window",
        ),
        ({"max_redemptions": "0"}, "admin.promotions.error.limit"),
        ({"per_customer_limit": "one"}, "admin.promotions.error.limit"),
        ({"package_codes": "DATA_M, NOPE_X"}, "admin.promotions.error.packages"),
        ({"periods": "week"}, "admin.promotions.error.periods"),
    ],
)
def test_bad_promotion_input_names_the_problem_and_creates_nothing(session, admin, values, key):
    before = session.exec(select(Promotion)).all()
    with pytest.raises(UserError) as raised:
        fields = admin_catalog.parse_promotion(session, _form(**values))
        admin_catalog.create_promotion(session, actor=admin, fields=fields)
    assert raised.value.key == key
    assert session.exec(select(Promotion)).all() == before
    assert _entries(session, "promotion.create") == []


def test_a_promo_code_is_created_off_with_its_limits_in_utc_and_audited(session, admin):
    fields = admin_catalog.parse_promotion(
        session,
        _form(
            code="spring10",
            percent_off="",
            amount_off="10.50",
            starts_at="2026-12-01T08:00",
            ends_at="2026-12-31T23:59",
            max_redemptions="100",
            per_customer_limit="1",
            package_codes="data_m，DATA_Q",
            periods="quarter, month",
        ),
    )
    promotion = admin_catalog.create_promotion(session, actor=admin, fields=fields)

    assert (promotion.code, promotion.active) == ("SPRING10", False)
    assert (promotion.amount_off_minor, promotion.percent_off) == (1050, 0)
    # Typed on the customers' clock (Beijing, UTC+8), kept in UTC.
    assert promotion.starts_at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert admin_catalog.local_input(promotion.starts_at) == "2026-12-01T08:00"
    assert (promotion.max_redemptions, promotion.per_customer_limit) == (100, 1)
    assert (promotion.package_codes, promotion.periods) == ("DATA_M,DATA_Q", "month,quarter")
    [entry] = _entries(session, "promotion.create")
    assert entry.actor_user_id == admin.id and entry.target == f"promotion:{promotion.id}"
    assert json.loads(entry.after)["amount_off_minor"] == 1050


def test_the_free_month_is_always_the_whole_month(session, admin):
    fields = admin_catalog.parse_promotion(
        session,
        _form(kind="first_month_free", code="FREE_MONTH_2", percent_off="", amount_off=""),
    )
    assert (fields.percent_off, fields.amount_off_minor) == (100, 0)


def test_a_code_taken_by_another_promotion_is_refused(session, admin):
    fields = admin_catalog.parse_promotion(session, _form(code="RENEWAL10"))
    first = admin_catalog.create_promotion(session, actor=admin, fields=fields)
    with pytest.raises(UserError) as raised:
        admin_catalog.create_promotion(session, actor=admin, fields=fields)
    assert raised.value.key == "admin.promotions.error.code_taken"
    # Editing a promotion may keep its own code.
    admin_catalog.update_promotion(
        session,
        actor=admin,
        promotion_id=first.id,
        fields=admin_catalog.parse_promotion(session, _form(code="RENEWAL10", percent_off="15")),
    )
    assert first.percent_off == 15


def test_an_edit_records_only_what_changed_before_and_after(session, admin):
    renewal = session.exec(select(Promotion).where(Promotion.code == "RENEWAL_10")).one()
    form = admin_catalog.parse_promotion(
        session,
        {
            "kind": "renewal_discount",
            "code": "RENEWAL_10",
            "name_zh": renewal.name_zh,
            "name_en": renewal.name_en,
            "percent_off": "15",
        },
    )
    admin_catalog.update_promotion(session, actor=admin, promotion_id=renewal.id, fields=form)
    [entry] = _entries(session, "promotion.update")
    assert (json.loads(entry.before), json.loads(entry.after)) == (
        {"percent_off": 10},
        {"percent_off": 15},
    )
    # The same form again changes nothing and records nothing.
    admin_catalog.update_promotion(session, actor=admin, promotion_id=renewal.id, fields=form)
    assert len(_entries(session, "promotion.update")) == 1


def test_the_total_limit_cannot_drop_below_redemptions_already_made(session, admin):
    fields = admin_catalog.parse_promotion(session, _form())
    promotion = admin_catalog.create_promotion(session, actor=admin, fields=fields)
    promotion.redemptions = 3
    with pytest.raises(UserError) as raised:
        admin_catalog.update_promotion(
            session,
            actor=admin,
            promotion_id=promotion.id,
            fields=admin_catalog.parse_promotion(session, _form(max_redemptions="2")),
        )
    assert (raised.value.key, raised.value.params) == (
        "admin.promotions.error.below_used",
        {"used": 3},
    )


def test_switching_a_promotion_is_audited_once_per_real_change(session, admin):
    renewal = session.exec(select(Promotion).where(Promotion.code == "RENEWAL_10")).one()
    assert renewal.active is False
    admin_catalog.switch_promotion(session, actor=admin, promotion_id=renewal.id, on=True)
    admin_catalog.switch_promotion(session, actor=admin, promotion_id=renewal.id, on=True)
    admin_catalog.switch_promotion(session, actor=admin, promotion_id=renewal.id, on=False)
    assert renewal.active is False
    [on] = _entries(session, "promotion.switch_on")
    [off] = _entries(session, "promotion.switch_off")
    assert (json.loads(on.before), json.loads(on.after)) == ({"active": False}, {"active": True})
    assert (json.loads(off.before), json.loads(off.after)) == ({"active": True}, {"active": False})
    with pytest.raises(UserError):
        admin_catalog.switch_promotion(session, actor=admin, promotion_id=999_999, on=True)


def test_redemptions_and_revenue_given_away_count_paid_orders_only(session, admin):
    renewal = session.exec(select(Promotion).where(Promotion.code == "RENEWAL_10")).one()
    customer = factories.customer(session)
    for code, status, discount in (
        ("DATA_M", "redeemed", 590),
        ("DATA_Q", "redeemed", 1590),
        ("DATA_Y", "reserved", 590),
        ("VOICE_M", "released", 590),
    ):
        order = billing.create_order(
            session, user=customer, line_id=None, package_code=code, method="card"
        )
        session.add(
            PromotionRedemption(
                promotion_id=renewal.id,
                order_id=order.id,
                user_id=customer.id,
                discount_minor=discount,
                currency="CNY",
                status=status,
            )
        )
    session.flush()
    rows = {row.promotion.code: row for row in admin_catalog.promotion_rows(session)}
    assert rows["RENEWAL_10"].redeemed == 2
    assert rows["RENEWAL_10"].given_away == Money(2180, "CNY")
    assert rows["FIRST_MONTH_FREE"].redeemed == 0
    assert rows["FIRST_MONTH_FREE"].given_away == Money(0, "CNY")


@pytest.mark.parametrize(
    ("text", "minor"),
    [("59", 5900), ("59.00", 5900), ("59.5", 5950), ("0.01", 1), ("¥12.30", 1230)],
)
def test_prices_are_typed_in_yuan_and_kept_in_fen(text, minor):
    assert parse_major(text, "CNY") == Money(minor, "CNY")


@pytest.mark.parametrize("text", ["", "59,00", "-5", "1e3", "5.999", "59 yuan", "1,000"])
def test_anything_but_a_plain_yuan_amount_is_not_a_price(text):
    with pytest.raises(ValueError):
        parse_major(text, "CNY")


def _package_form(package: Package, **values: str) -> dict[str, str]:
    base = {
        "price": admin_catalog.major_text(package.price_minor),
        "name_zh": package.name_zh,
        "name_en": package.name_en,
        "data_mb": str(package.data_mb),
        "minutes": str(package.minutes),
    }
    return {**base, **values}


def test_a_package_edit_stores_fen_and_audits_the_change(session, admin):
    package = factories.package(session, "DATA_M")
    admin_catalog.update_package(
        session,
        actor=admin,
        package_id=package.id,
        form=_package_form(package, price="62.50", minutes="150"),
    )
    assert (package.price_minor, package.minutes) == (6250, 150)
    [entry] = _entries(session, "package.update")
    assert json.loads(entry.before) == {"price_minor": 5900, "minutes": 100}
    assert json.loads(entry.after) == {"price_minor": 6250, "minutes": 150}
    assert entry.detail == "DATA_M"


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"price": "0"}, "admin.packages.error.price"),
        ({"price": "59,00"}, "admin.packages.error.price"),
        ({"name_en": ""}, "admin.packages.error.names"),
        ({"data_mb": "-1"}, "admin.packages.error.allowance"),
        ({"minutes": "lots"}, "admin.packages.error.allowance"),
    ],
)
def test_bad_package_input_names_the_problem_and_changes_nothing(session, admin, values, key):
    package = factories.package(session, "DATA_M")
    with pytest.raises(UserError) as raised:
        admin_catalog.update_package(
            session, actor=admin, package_id=package.id, form=_package_form(package, **values)
        )
    assert raised.value.key == key
    assert (package.price_minor, package.name_en, package.data_mb) == (5900, "Data Monthly", 30720)
    assert _entries(session, "package.update") == []


def test_a_package_switched_off_is_not_offered_but_its_lines_renew_to_another(session, admin):
    customer = factories.customer(session)
    line = factories.line(
        session, user=customer, code="DATA_M", valid_until=clock.now() + timedelta(days=3)
    )
    package = factories.package(session, "DATA_M")
    admin_catalog.switch_package(session, actor=admin, package_id=package.id, on=False)
    assert _entries(session, "package.switch_off")[0].detail == "DATA_M"

    choice = checkout.renew_choice(session, user=customer, line_id=line.id, package_code="DATA_M")
    offered = {p.code for p in choice.packages}
    assert "DATA_M" not in offered and "DATA_Q" in offered
    assert choice.line.id == line.id and choice.selected != "DATA_M"
    with pytest.raises(UserError):
        billing.quote(session, user=customer, line_id=line.id, package_code="DATA_M")
    renewal = billing.quote(session, user=customer, line_id=line.id, package_code="DATA_Q")
    assert renewal.total.minor > 0
    # The line itself is untouched: still active, still on its package, same validity.
    assert (line.status, line.package_id) == ("active", package.id)


def test_the_last_package_on_sale_cannot_be_switched_off(session, admin):
    packages = admin_catalog.all_packages(session)
    for package in packages[1:]:
        admin_catalog.switch_package(session, actor=admin, package_id=package.id, on=False)
    with pytest.raises(UserError) as raised:
        admin_catalog.switch_package(session, actor=admin, package_id=packages[0].id, on=False)
    assert raised.value.key == "admin.packages.error.last_active"


def test_the_audit_log_filters_pages_and_shows_admins_and_the_systems_entries(session, admin):
    customer = factories.customer(session)
    session.add(AuditLog(actor_user_id=customer.id, action="user.register"))
    renewal = session.exec(select(Promotion).where(Promotion.code == "RENEWAL_10")).one()
    base = datetime(2026, 6, 10, 12, tzinfo=UTC)
    for n in range(25):
        with clock.freeze(base + timedelta(hours=n)):
            admin_catalog.switch_promotion(
                session, actor=admin, promotion_id=renewal.id, on=n % 2 == 0
            )
    package = factories.package(session, "DATA_M")
    with clock.freeze(base):
        admin_catalog.switch_package(session, actor=admin, package_id=package.id, on=False)
    session.flush()

    everything = admin_catalog.audit_page(session, where=admin_catalog.AuditFilter())
    assert (everything.total, everything.pages) == (26, 2)
    assert len(everything.entries) == admin_catalog.AUDIT_PAGE_SIZE
    assert all(email == admin.email for _entry, email in everything.entries)
    # Newest first; a page past the end shows the last page.
    assert everything.entries[0][0].at == base + timedelta(hours=24)
    last = admin_catalog.audit_page(session, where=admin_catalog.AuditFilter(), page=9)
    assert (last.page, len(last.entries)) == (2, 6)
    assert "user.register" not in admin_catalog.audit_actions(session)

    def count(**form: str) -> int:
        where = admin_catalog.parse_audit_filter(form)
        return admin_catalog.audit_page(session, where=where).total

    assert count(action="promotion.switch_on") == 13
    assert count(target="package") == 1
    assert count(target=f"promotion:{renewal.id}") == 25
    assert count(admin=admin.email.upper()[:8]) == 26
    assert count(admin="nobody@") == 0
    # Days are the customers' (Beijing, UTC+8) days: 16:00 UTC is already the 11th there, so
    # the 10th holds the switches at 12:00-15:00 UTC and the package switch at 12:00.
    assert count(day_from="2026-06-10", day_to="2026-06-10") == 4 + 1
    assert count(day_from="2026-06-11") == 26 - 5

    # What the system records for an admin to act on is in the trail, with no admin.
    with clock.freeze(base + timedelta(days=2)):
        session.add(AuditLog(action="payment.amount_mismatch", target="order:7", detail="x"))
    session.flush()
    newest = admin_catalog.audit_page(session, where=admin_catalog.AuditFilter()).entries[0]
    assert (newest[0].action, newest[1]) == ("payment.amount_mismatch", None)
    assert "payment.amount_mismatch" in admin_catalog.audit_actions(session)
    assert count(target="order:7") == 1 and count(admin=admin.email) == 26
    with pytest.raises(UserError) as raised:
        admin_catalog.parse_audit_filter({"day_from": "2026-06-11", "day_to": "2026-06-10"})
    assert raised.value.key == "admin.audit.error.range"
