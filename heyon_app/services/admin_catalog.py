"""What admins change in the catalogue: promotions and packages, and the audit trail they read.

Every change is validated here (bad input raises UserError with a message key), made, and
recorded with `audit.record` in the same transaction. Form values arrive as the text the
admin typed; they are parsed here so that the rules and their messages live in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import ceil
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from heyon_app import clock
from heyon_app.models import AuditLog, Package, Promotion, PromotionRedemption, User
from heyon_app.money import Money, parse_major
from heyon_app.services import audit, forms
from heyon_app.services.errors import UserError
from heyon_app.settings import settings

KINDS = ("first_month_free", "renewal_discount", "promo_code")
PERIODS = ("month", "quarter", "year")
CURRENCY = "CNY"
AUDIT_PAGE_SIZE = 20
# Customers type promo codes, so only unambiguous characters; internal names may use "_".
_CUSTOMER_CODE = re.compile(r"^[A-Z0-9]{3,40}$")
_INTERNAL_CODE = re.compile(r"^[A-Z0-9_]{3,40}$")
_NAME_MAX = 80


# --- promotions ------------------------------------------------------------------------


@dataclass(frozen=True)
class PromotionFields:
    """A promotion as an admin entered it, already checked."""

    kind: str
    code: str
    name_zh: str
    name_en: str
    percent_off: int
    amount_off_minor: int
    starts_at: datetime | None
    ends_at: datetime | None
    max_redemptions: int | None
    per_customer_limit: int | None
    package_codes: str
    periods: str

    def values(self) -> dict[str, Any]:
        return dict(self.__dict__, currency=CURRENCY)


@dataclass(frozen=True)
class PromotionRow:
    promotion: Promotion
    redeemed: int  # paid orders that used it
    given_away: Money  # the sum of their discounts


def _text(form: dict, name: str) -> str:
    return forms.field(form, name).strip()


def _whole(text: str, *, error: str, minimum: int = 0, maximum: int | None = None) -> int:
    if not re.fullmatch(r"\d{1,9}", text):
        raise UserError(error)
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        raise UserError(error)
    return value


def _optional_limit(text: str, *, error: str) -> int | None:
    return None if text == "" else _whole(text, error=error, minimum=1)


def _local_moment(text: str) -> datetime | None:
    """A `datetime-local` value ("2026-12-01T08:00") on the customers' clock, as UTC."""
    if text == "":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError("admin.promotions.error.date") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.display_timezone))
    return moment.astimezone(UTC)


def local_input(moment: datetime | None) -> str:
    """The inverse of `_local_moment`, for a form's default value."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(settings.display_timezone)).strftime("%Y-%m-%dT%H:%M")


def major_text(minor: int) -> str:
    """Minor units as an admin types them: 5900 -> "59.00"."""
    return f"{minor // 100}.{minor % 100:02d}"


def _split(text: str) -> list[str]:
    return [part.strip().upper() for part in text.replace("，", ",").split(",") if part.strip()]


def parse_promotion(session: Session, form: dict) -> PromotionFields:
    """The promotion form's text as checked fields; the first problem raises UserError."""
    kind = _text(form, "kind")
    if kind not in KINDS:
        raise UserError("admin.promotions.error.kind")
    code = _text(form, "code").upper()
    if not (_CUSTOMER_CODE if kind == "promo_code" else _INTERNAL_CODE).match(code):
        raise UserError(
            "admin.promotions.error.promo_code"
            if kind == "promo_code"
            else "admin.promotions.error.code"
        )
    name_zh, name_en = _text(form, "name_zh"), _text(form, "name_en")
    if not name_zh or not name_en:
        raise UserError("admin.promotions.error.names")
    if len(name_zh) > _NAME_MAX or len(name_en) > _NAME_MAX:
        raise UserError("admin.promotions.error.name_long", max=_NAME_MAX)
    percent = _whole(
        _text(form, "percent_off") or "0", error="admin.promotions.error.percent", maximum=100
    )
    try:
        amount = parse_major(_text(form, "amount_off") or "0", CURRENCY).minor
    except ValueError:
        raise UserError("admin.promotions.error.amount") from None
    if kind == "first_month_free":
        # The free month is the whole first month: pricing gives it all, whatever is typed.
        percent, amount = 100, 0
    if percent and amount:
        raise UserError("admin.promotions.error.one_discount")
    if not percent and not amount:
        raise UserError("admin.promotions.error.no_discount")
    if amount and kind != "promo_code":
        raise UserError("admin.promotions.error.amount_only_codes")
    starts_at, ends_at = (
        _local_moment(_text(form, "starts_at")),
        _local_moment(_text(form, "ends_at")),
    )
    if starts_at and ends_at and ends_at <= starts_at:
        raise UserError("admin.promotions.error.window")
    max_redemptions = _optional_limit(
        _text(form, "max_redemptions"), error="admin.promotions.error.limit"
    )
    per_customer = _optional_limit(
        _text(form, "per_customer_limit"), error="admin.promotions.error.limit"
    )
    packages = _split(_text(form, "package_codes"))
    if packages:
        known = set(session.exec(select(Package.code).where(col(Package.code).in_(packages))))
        unknown = [p for p in packages if p not in known]
        if unknown:
            raise UserError("admin.promotions.error.packages", codes=", ".join(unknown))
    periods = [p.lower() for p in _split(_text(form, "periods"))]
    if any(p not in PERIODS for p in periods):
        raise UserError("admin.promotions.error.periods")
    return PromotionFields(
        kind=kind,
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        percent_off=percent,
        amount_off_minor=amount,
        starts_at=starts_at,
        ends_at=ends_at,
        max_redemptions=max_redemptions,
        per_customer_limit=per_customer,
        package_codes=",".join(dict.fromkeys(packages)),
        periods=",".join(p for p in PERIODS if p in periods),
    )


def _code_free(session: Session, code: str, *, but: int | None = None) -> None:
    other = session.exec(select(Promotion).where(Promotion.code == code)).first()
    if other is not None and other.id != but:
        raise UserError("admin.promotions.error.code_taken", code=code)


def _promotion(session: Session, promotion_id: int) -> Promotion:
    promotion = session.get(Promotion, promotion_id)
    if promotion is None:
        raise UserError("admin.promotions.error.missing")
    return promotion


def create_promotion(session: Session, *, actor: User, fields: PromotionFields) -> Promotion:
    """A new promotion, switched off: an admin turns it on once it reads right."""
    _code_free(session, fields.code)
    promotion = Promotion(**fields.values(), active=False)
    session.add(promotion)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="promotion.create",
        target=f"promotion:{promotion.id}",
        after={**fields.values(), "active": False},
    )
    return promotion


def update_promotion(
    session: Session, *, actor: User, promotion_id: int, fields: PromotionFields
) -> Promotion:
    promotion = _promotion(session, promotion_id)
    _code_free(session, fields.code, but=promotion.id)
    if fields.max_redemptions is not None and fields.max_redemptions < promotion.redemptions:
        raise UserError("admin.promotions.error.below_used", used=promotion.redemptions)
    if audit.change(
        session,
        actor=actor,
        obj=promotion,
        values=fields.values(),
        action="promotion.update",
        target=f"promotion:{promotion.id}",
    ):
        promotion.updated_at = clock.now()
    return promotion


def switch_promotion(session: Session, *, actor: User, promotion_id: int, on: bool) -> Promotion:
    """On or off at once: the next quote sees it; an order already priced keeps its price."""
    promotion = _promotion(session, promotion_id)
    if audit.change(
        session,
        actor=actor,
        obj=promotion,
        values={"active": bool(on)},
        action="promotion.switch_on" if on else "promotion.switch_off",
        target=f"promotion:{promotion.id}",
        detail=promotion.code,
    ):
        promotion.updated_at = clock.now()
    return promotion


def promotion_rows(session: Session) -> list[PromotionRow]:
    """Every promotion with its paid redemptions and the revenue it gave away."""
    totals = {
        (promotion_id, currency): (count, given)
        for promotion_id, currency, count, given in session.exec(
            select(
                PromotionRedemption.promotion_id,
                PromotionRedemption.currency,
                func.count(),
                func.coalesce(func.sum(PromotionRedemption.discount_minor), 0),
            )
            .where(PromotionRedemption.status == "redeemed")
            .group_by(PromotionRedemption.promotion_id, PromotionRedemption.currency)
        )
    }
    rows = []
    for promotion in session.exec(select(Promotion).order_by(Promotion.id)):
        count, given = totals.get((promotion.id, promotion.currency), (0, 0))
        rows.append(PromotionRow(promotion, int(count), Money(int(given), promotion.currency)))
    return rows


# --- packages --------------------------------------------------------------------------


def _package(session: Session, package_id: int) -> Package:
    package = session.get(Package, package_id)
    if package is None:
        raise UserError("admin.packages.error.missing")
    return package


def update_package(session: Session, *, actor: User, package_id: int, form: dict) -> Package:
    """Price (typed in yuan, kept in fen), names and allowances of a package."""
    package = _package(session, package_id)
    try:
        price = parse_major(_text(form, "price"), package.currency)
    except ValueError:
        raise UserError("admin.packages.error.price") from None
    if price.minor <= 0:
        raise UserError("admin.packages.error.price")
    name_zh, name_en = _text(form, "name_zh"), _text(form, "name_en")
    if not name_zh or not name_en:
        raise UserError("admin.packages.error.names")
    if len(name_zh) > _NAME_MAX or len(name_en) > _NAME_MAX:
        raise UserError("admin.packages.error.name_long", max=_NAME_MAX)
    data_mb = _whole(_text(form, "data_mb"), error="admin.packages.error.allowance")
    minutes = _whole(_text(form, "minutes"), error="admin.packages.error.allowance")
    audit.change(
        session,
        actor=actor,
        obj=package,
        values={
            "price_minor": price.minor,
            "name_zh": name_zh,
            "name_en": name_en,
            "data_mb": data_mb,
            "minutes": minutes,
        },
        action="package.update",
        target=f"package:{package.id}",
        detail=package.code,
    )
    return package


def switch_package(session: Session, *, actor: User, package_id: int, on: bool) -> Package:
    """Off: no longer sold (renew lists active packages only); lines on it keep working and
    renew to another package."""
    package = _package(session, package_id)
    if not on and package.active:
        others = session.exec(
            select(func.count())
            .select_from(Package)
            .where(Package.active, Package.id != package.id)
        ).one()
        if not others:
            raise UserError("admin.packages.error.last_active")
    audit.change(
        session,
        actor=actor,
        obj=package,
        values={"active": bool(on)},
        action="package.switch_on" if on else "package.switch_off",
        target=f"package:{package.id}",
        detail=package.code,
    )
    return package


def all_packages(session: Session) -> list[Package]:
    return list(session.exec(select(Package).order_by(Package.sort_order, Package.id)))


# --- audit log -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""  # exact action, or "" for all
    target: str = ""  # "promotion:3" or a prefix like "promotion"
    admin: str = ""  # part of the admin's e-mail
    day_from: date | None = None  # customers' calendar days, inclusive
    day_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[tuple[AuditLog, str]]  # the entry and its admin's e-mail
    page: int
    pages: int
    total: int


def parse_audit_filter(form: dict) -> AuditFilter:
    def day(name: str) -> date | None:
        text = _text(form, name)
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise UserError("admin.audit.error.date") from None

    found = AuditFilter(
        action=_text(form, "action")[:64],
        target=_text(form, "target")[:64],
        admin=_text(form, "admin").lower()[:254],
        day_from=day("day_from"),
        day_to=day("day_to"),
    )
    if found.day_from and found.day_to and found.day_to < found.day_from:
        raise UserError("admin.audit.error.range")
    return found


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(settings.display_timezone)).astimezone(UTC)


def audit_page(session: Session, *, where: AuditFilter, page: int = 1) -> AuditPage:
    """Newest first, AUDIT_PAGE_SIZE per page; a page past the end shows the last one."""
    query = select(AuditLog, User.email).outerjoin(User, col(AuditLog.actor_user_id) == User.id)
    query = query.where(_admins_trail())
    if where.action:
        query = query.where(AuditLog.action == where.action)
    if where.target:
        query = query.where(
            (AuditLog.target == where.target) | col(AuditLog.target).startswith(where.target + ":")
        )
    if where.admin:
        query = query.where(col(User.email).contains(where.admin))
    if where.day_from:
        query = query.where(AuditLog.at >= _day_start(where.day_from))
    if where.day_to:
        query = query.where(AuditLog.at < _day_start(where.day_to + timedelta(days=1)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, ceil(total / AUDIT_PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.exec(
        query.order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc())
        .offset((page - 1) * AUDIT_PAGE_SIZE)
        .limit(AUDIT_PAGE_SIZE)
    ).all()
    return AuditPage([(entry, email) for entry, email in rows], page, pages, total)


def audit_actions(session: Session) -> list[str]:
    """The actions on record, for the filter's choices."""
    return list(
        session.exec(
            select(AuditLog.action)
            .outerjoin(User, col(AuditLog.actor_user_id) == User.id)
            .where(_admins_trail())
            .distinct()
            .order_by(AuditLog.action)
        )
    )


def _admins_trail():  # noqa: ANN202 - a SQL condition
    """What admins act on: their own actions and the system's (a payment of the wrong
    amount, a refund or dispute from Stripe). Customers' own actions (registering,
    changing a password) are kept too, but are not this trail."""
    return col(AuditLog.actor_user_id).is_(None) | (User.role == "admin")
