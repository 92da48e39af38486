"""Package comparison: filters, and which package is current and which recommended."""

from __future__ import annotations

import reflex as rx

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.models import EsimLine, Package
from heyon_app.services import catalog, dashboard, recommendations
from heyon_app.state.base import AppState
from heyon_app.state.present import offer_card

ALL = "all"


class PackagesState(AppState):
    kind: str = ALL
    period: str = ALL
    offers: list[dict[str, str]] = []
    line_number: str = ""

    @rx.event
    def load(self):
        self._refresh()

    @rx.event
    def set_kind(self, value: str):
        self.kind = value if value in catalog.KINDS else ALL
        self._refresh()

    @rx.event
    def set_period(self, value: str):
        self.period = value if value in catalog.PERIODS else ALL
        self._refresh()

    def _line(self, session, user_id: int) -> EsimLine | None:
        """The line from ?line=, else the customer's first line (None before a first eSIM)."""
        wanted = self.router.url.query_parameters.get("line", "")
        lines = dashboard.user_lines(session, user_id=user_id)
        chosen = next((ln for ln in lines if str(ln.id) == wanted), None)
        return chosen or (lines[0] if lines else None)

    def _refresh(self) -> None:
        with session_scope() as session:
            user = self._current_user(session)
            if user is None:
                return
            line = self._line(session, user.id)
            recommended = current = ""
            if line is not None:
                found = recommendations.recommend(session, line=line, today=clock.local_today())
                recommended = found.package_code if found else ""
                package = session.get(Package, line.package_id) if line.package_id else None
                current = package.code if package else ""
            offers = catalog.active_offers(
                session,
                kind="" if self.kind == ALL else self.kind,
                period="" if self.period == ALL else self.period,
            )
            self.line_number = line.number if line else ""
            self.offers = [
                offer_card(
                    o,
                    line_id=line.id if line else None,
                    recommended=recommended,
                    current=current,
                )
                for o in offers
            ]
