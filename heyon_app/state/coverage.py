"""Coverage search: a country or region -> whether roaming works and with which packages."""

from __future__ import annotations

import asyncio

import reflex as rx
from sqlmodel import select

from heyon_app.db import session_scope
from heyon_app.models import Package
from heyon_app.services import coverage, forms
from heyon_app.state.base import AppState


def coverage_rows(query: str) -> list[dict[str, str]]:
    with session_scope() as session:
        found = coverage.coverage(session, query=query)
        names = {p.code: p for p in session.exec(select(Package)).all()}
        return [
            {
                "iso": c.region.iso,
                "name_zh": c.region.name_zh,
                "name_en": c.region.name_en,
                "status": c.status,
                "packages_zh": "、".join(names[code].name_zh for code in c.package_codes),
                "packages_en": ", ".join(names[code].name_en for code in c.package_codes),
            }
            for c in found
        ]


class CoverageState(AppState):
    results: list[dict[str, str]] = []
    searched: bool = False

    @rx.event
    async def search(self, form: dict):
        query = forms.field(form, "query")[:60]
        self.results = await asyncio.to_thread(coverage_rows, query)
        self.searched = True
