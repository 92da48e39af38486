"""Admin audit log: read-only, filtered and paged."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import reflex as rx
from sqlmodel import Session

from heyon_app.i18n import translate
from heyon_app.models import AuditLog, User
from heyon_app.services import admin_catalog, forms
from heyon_app.settings import settings
from heyon_app.state.admin.base import AdminState

FILTER_FIELDS = ("action", "target", "admin", "day_from", "day_to")


def _changes(entry: AuditLog) -> str:
    """One "field: before → after" line per changed field."""
    before = json.loads(entry.before) if entry.before else {}
    after = json.loads(entry.after) if entry.after else {}
    lines = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, "—"), after.get(name, "—")
        lines.append(f"{name}: {'—' if old is None else old} → {'—' if new is None else new}")
    return "\n".join(lines)


def action_names(action: str) -> dict[str, str]:
    """The action's name in both languages (its code when it has none yet)."""
    key = f"audit.action.{action}"
    zh, en = translate(key, "zh-CN"), translate(key, "en")
    return {
        "code": action,
        "zh": action if zh == key else zh,
        "en": action if en == key else en,
    }


def _entry(entry: AuditLog, email: str | None) -> dict[str, str]:
    at = entry.at.astimezone(ZoneInfo(settings.display_timezone))
    names = action_names(entry.action)
    return {
        "id": str(entry.id),
        # With its offset: an admin elsewhere must not read Beijing time as their own.
        "at": at.isoformat(sep=" ", timespec="seconds"),
        "admin": email or "",  # "" is the system (the page names it)
        "action": entry.action,
        "action_zh": names["zh"],
        "action_en": names["en"],
        "target": entry.target,
        "detail": entry.detail,
        "changes": _changes(entry),
    }


class AuditState(AdminState):
    entries: list[dict[str, str]] = []
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
