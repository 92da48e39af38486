"""Admin packages: price, names, allowances, and the switch that stops selling one."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from heyon_app.models import Package, User
from heyon_app.money import Money
from heyon_app.services import admin_catalog, forms
from heyon_app.services.errors import UserError
from heyon_app.state.admin.base import AdminState


def _row(p: Package) -> dict[str, str]:
    return {
        "id": str(p.id),
        "code": p.code,
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "kind": p.kind,
        "period": p.period,
        "price": admin_catalog.major_text(p.price_minor),
        "price_text": Money(p.price_minor, p.currency).format(),
        "currency": p.currency,
        "data_mb": str(p.data_mb),
        "minutes": str(p.minutes),
        "active": "1" if p.active else "",
    }


def _rows(session: Session, _admin: User) -> list[dict[str, str]]:
    return [_row(p) for p in admin_catalog.all_packages(session)]


def _package_id(raw: object) -> int:
    package_id = forms.row_id(raw)
    if package_id is None:
        raise UserError("admin.packages.error.missing")
    return package_id


class PackagesAdminState(AdminState):
    packages: list[dict[str, str]] = []
    # Bumped after each save so every package form shows what is stored now.
    form_key: int = 0
    # The package the last message is about: it is shown in that package's card.
    last_id: str = ""

    @rx.event
    async def load(self):
        rows = await self._as_admin(_rows)
        if rows is not None:
            self.packages = rows
            self.form_key += 1
            self.last_id = ""

    @rx.event
    async def save(self, form: dict):
        def work(session: Session, admin: User):
            package_id = _package_id(forms.field(form, "id"))
            admin_catalog.update_package(session, actor=admin, package_id=package_id, form=form)
            session.flush()
            return _rows(session, admin)

        self.last_id = forms.field(form, "id")
        rows = await self._as_admin(work, done="common.saved")
        if rows is not None:
            self.packages = rows
            self.form_key += 1

    @rx.event
    async def switch(self, package_id: str, on: bool):
        position = forms.switch(on)

        def work(session: Session, admin: User):
            if position is None:
                raise UserError("common.bad_request")
            admin_catalog.switch_package(
                session, actor=admin, package_id=_package_id(package_id), on=position
            )
            session.flush()
            return _rows(session, admin)

        self.last_id = forms.text(package_id)
        key = "admin.packages.switched_on" if position else "admin.packages.switched_off"
        rows = await self._as_admin(work, done=key)
        if rows is not None:
            self.packages = rows
