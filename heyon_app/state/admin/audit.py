"""Admin audit log: read-only, filtered and paged."""

from __future__ import annotations

import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from heyon_app.i18n import translate
from heyon_app.models import AuditLog, User
from heyon_app.services import admin_catalog, forms
from heyon_app.settings import settings
from heyon_app.state.admin.base import AdminState

FILTER_FIELDS = ("action", "target", "admin", "day_from", "day_to")


@dataclass(frozen=True)
class Change:
    """One field an action changed. Before and after may be text someone typed (a name, an
    answer): the page shows each isolated, so a direction override stays inside it."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    """One entry as the page shows it."""

    id: str
    at: str
    admin: str  # "" is the system (the page names it)
    action: str
    action_zh: str
    action_en: str
    target: str
    detail: str
    changes: list[Change]


def _shown(value: object) -> str:
    return "—" if value is None else str(value)


def _changes(entry: AuditLog) -> list[Change]:
    before = json.loads(entry.before) if entry.before else {}
    after = json.loads(entry.after) if entry.after else {}
    return [
        Change(name, _shown(before.get(name)), _shown(after.get(name)))
        for name in sorted(set(before) | set(after))
    ]


def action_names(action: str) -> dict[str, str]:
    """The action's name in both languages (its code when it has none yet)."""
    key = f"audit.action.{action}"
    zh, en = translate(key, "zh-CN"), translate(key, "en")
    return {
        "code": action,
        "zh": action if zh == key else zh,
        "en": action if en == key else en,
    }


def _entry(entry: AuditLog, email: str | None) -> AuditRow:
    at = entry.at.astimezone(ZoneInfo(settings.display_timezone))
    names = action_names(entry.action)
    return AuditRow(
        id=str(entry.id),
        # With its offset: an admin elsewhere must not read Beijing time as their own.
        at=at.isoformat(sep=" ", timespec="seconds"),
        admin=email or "",
        action=entry.action,
        action_zh=names["zh"],
        action_en=names["en"],
        target=entry.target,
        detail=entry.detail,
        changes=_changes(entry),
    )


class AuditState(AdminState):
    entries: list[AuditRow] = []
    actions: list[dict[str, str]] = []
    filters: dict[str, str] = dict.fromkeys(FILTER_FIELDS, "")
    page: int = 1
    pages: int = 1
    total: int = 0

    async def _show(self, filters: dict[str, str], page: int) -> None:
        def work(session: Session, _admin: User):
            where = admin_catalog.parse_audit_filter(filters)
            found = admin_catalog.audit_page(session, where=where, page=page)
            return found, admin_catalog.audit_actions(session)

        result = await self._as_admin(work)
        if result is None:
            return
        found, codes = result
        self.actions = [action_names(code) for code in codes]
        self.filters = filters
        self.entries = [_entry(entry, email) for entry, email in found.entries]
        self.page, self.pages, self.total = found.page, found.pages, found.total

    @rx.event
    async def load(self):
        await self._show(dict.fromkeys(FILTER_FIELDS, ""), 1)

    @rx.event
    async def apply_filter(self, form: dict):
        await self._show({name: forms.field(form, name) for name in FILTER_FIELDS}, 1)

    @rx.event
    async def go_to_page(self, page: int):
        await self._show(dict(self.filters), forms.row_id(page) or 1)
