"""Coverage search: a country or region -> whether roaming works and with which packages."""

from __future__ import annotations

import reflex as rx
from sqlmodel import select

from heyon_app.db import session_scope
from heyon_app.models import Package
from heyon_app.services import coverage
from heyon_app.state.base import AppState


class CoverageState(AppState):
    results: list[dict[str, str]] = []
    searched: bool = False

    @rx.event
    def search(self, form: dict):
        query = str(form.get("query", ""))[:60]
        with session_scope() as session:
            found = coverage.coverage(session, query=query)
            names = {p.code: p for p in session.exec(select(Package)).all()}
        self.results = [
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
        self.searched = True
