"""Admin promotions: the list with its switches, the create/edit form."""

from __future__ import annotations

from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app.clock import local_date
from heyon_app.i18n import translate
from heyon_app.models import Promotion, User
from heyon_app.money import Money
from heyon_app.services import admin_catalog, forms, pricing
from heyon_app.services.errors import UserError
from heyon_app.state.admin.base import AdminState

EMPTY_FORM = {
    "id": "",
    "kind": "promo_code",
    "code": "",
    "name_zh": "",
    "name_en": "",
    "percent_off": "",
    "amount_off": "",
    "starts_at": "",
    "ends_at": "",
    "max_redemptions": "",
    "per_customer_limit": "",
    "package_codes": "",
    "periods": "",
}


def _discount(p: Promotion) -> str:
    if p.amount_off_minor:
        return Money(p.amount_off_minor, p.currency).format()
    return f"{p.percent_off}%"


def _periods(codes: str, locale: str) -> str:
    names = [translate(f"period.{c}", locale) for c in codes.split(",") if c]
    return ("、" if locale == "zh-CN" else ", ").join(names)


def _row(row: admin_catalog.PromotionRow) -> dict[str, str]:
    p = row.promotion
    return {
        "id": str(p.id),
        "code": p.code,
        "kind": p.kind,
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "active": "1" if p.active else "",
        "discount": _discount(p),
        "starts": local_date(p.starts_at) if p.starts_at else "",
        "ends": local_date(p.ends_at) if p.ends_at else "",
        "max_redemptions": str(p.max_redemptions or ""),
        "per_customer_limit": str(p.per_customer_limit or ""),
        "packages": p.package_codes,
        # Shown to people: each period in both languages, not its code.
        "periods_zh": _periods(p.periods, "zh-CN"),
        "periods_en": _periods(p.periods, "en"),
        "used": str(p.redemptions),
        "redeemed": str(row.redeemed),
        "given_away": row.given_away.format(),
    }


def _form_of(p: Promotion) -> dict[str, str]:
    return {
        "id": str(p.id),
        "kind": p.kind,
        "code": p.code,
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "percent_off": str(p.percent_off) if p.percent_off else "",
        "amount_off": admin_catalog.major_text(p.amount_off_minor) if p.amount_off_minor else "",
        "starts_at": admin_catalog.local_input(p.starts_at),
        "ends_at": admin_catalog.local_input(p.ends_at),
        "max_redemptions": str(p.max_redemptions or ""),
        "per_customer_limit": str(p.per_customer_limit or ""),
        "package_codes": p.package_codes,
        "periods": p.periods,
    }


def _rows(session: Session, _admin: User) -> list[dict[str, str]]:
    return [_row(r) for r in admin_catalog.promotion_rows(session)]


def _switch(
    session: Session, admin: User, *, promotion_id: object, on: bool | None
) -> list[dict[str, str]]:
    if on is None:
        raise UserError("common.bad_request")
    admin_catalog.switch_promotion(session, actor=admin, promotion_id=_number(promotion_id), on=on)
    session.flush()
    return _rows(session, admin)


def _edit_form(session: Session, _admin: User, *, promotion_id: int) -> dict[str, str]:
    promotion = session.get(Promotion, promotion_id)
    if promotion is None:
        raise UserError("admin.promotions.error.missing")
    return _form_of(promotion)


def _save(session: Session, admin: User, *, form: dict) -> list[dict[str, str]]:
    fields = admin_catalog.parse_promotion(session, form)
    if forms.field(form, "id").strip():
        admin_catalog.update_promotion(
            session, actor=admin, promotion_id=_number(forms.field(form, "id")), fields=fields
        )
    else:
        admin_catalog.create_promotion(session, actor=admin, fields=fields)
    session.flush()
    return _rows(session, admin)


PREVIEW_CUSTOMERS = ("new", "returning")


def _package_choices(session: Session, _admin: User) -> list[dict[str, str]]:
    return [
        {"code": p.code, "name_zh": p.name_zh, "name_en": p.name_en}
        for p in admin_catalog.all_packages(session)
        if p.active
    ]


def _preview_row(found: pricing.PromotionPreview) -> dict[str, str]:
    return {
        "id": str(found.promotion_id),
        "code": found.code,
        "name_zh": found.name_zh,
        "name_en": found.name_en,
        "active": "1" if found.active else "",
        "applies": "1" if found.applies else "",
        "wins": "1" if found.wins else "",
        "reason_key": found.reason_key,
        "list_price": found.list_price.format(),
        "discount": ("-" + found.discount.format()) if found.discount.minor else "",
        "total": found.total.format(),
    }


def _preview(session: Session, _admin: User, *, form: dict) -> list[dict[str, str]]:
    customer = forms.field(form, "customer")
    if customer not in PREVIEW_CUSTOMERS:
        raise UserError("admin.promotions.error.preview_customer")
    package_code = forms.field(form, "package")
    return [
        _preview_row(found)
        for found in pricing.preview(session, package_code=package_code, customer=customer)
    ]


def _number(raw: object) -> int:
    promotion_id = forms.row_id(raw)
    if promotion_id is None:
        raise UserError("admin.promotions.error.missing")
    return promotion_id


class PromotionsState(AdminState):
    promotions: list[dict[str, str]] = []
    form_open: bool = False
    form: dict[str, str] = dict(EMPTY_FORM)
    # Changes whenever another promotion is put in the form, so its inputs start afresh.
    form_key: int = 0
    preview_packages: list[dict[str, str]] = []
    preview_rows: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        found = await self._as_admin(lambda s, a: (_rows(s, a), _package_choices(s, a)))
        if found is not None:
            self.promotions, self.preview_packages = found
            self.form_open = False
            self.preview_rows = []

    @rx.event
    async def preview(self, form: dict):
        rows = await self._as_admin(partial(_preview, form=form))
        self.preview_rows = rows or []

    @rx.event
    async def switch(self, promotion_id: str, on: bool):
        position = forms.switch(on)
        key = "admin.promotions.switched_on" if position else "admin.promotions.switched_off"
        rows = await self._as_admin(
            partial(_switch, promotion_id=promotion_id, on=position), done=key
        )
        if rows is not None:
            self.promotions = rows
            # A preview shown before the switch would now be stale.
            self.preview_rows = []

    @rx.event
    async def start_new(self):
        if await self._as_admin(lambda _s, _a: True):
            self._open(dict(EMPTY_FORM))

    @rx.event
    async def start_edit(self, promotion_id: str):
        def work(session: Session, admin: User):
            return _edit_form(session, admin, promotion_id=_number(promotion_id))

        found = await self._as_admin(work)
        if found is not None:
            self._open(found)

    @rx.event
    async def close_form(self):
        if await self._as_admin(lambda _s, _a: True):
            self.form_open = False

    @rx.event
    async def save(self, form: dict):
        rows = await self._as_admin(partial(_save, form=form), done="common.saved")
        if rows is not None:
            self.promotions = rows
            self.form_open = False
        else:
            # Keep what was typed, so the admin fixes only the field the message names.
            self.form = {name: forms.field(form, name) for name in EMPTY_FORM}
            self.form_key += 1

    def _open(self, values: dict[str, str]) -> None:
        self.form = values
        self.form_key += 1
        self.form_open = True
