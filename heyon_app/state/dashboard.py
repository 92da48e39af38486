"""Dashboard: the customer's lines, the chosen line's card, its usage chart and advice."""

from __future__ import annotations

import reflex as rx
from sqlmodel import select

from heyon_app import clock, routes
from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.models import EsimLine, Package
from heyon_app.services import dashboard, recommendations
from heyon_app.state.base import AppState
from heyon_app.state.present import line_card


class DashboardState(AppState):
    lines: list[dict[str, str]] = []
    selected_line: str = ""
    card: dict[str, str] = {}
    # Progress bars need numbers, the rest of the card is text.
    bars: dict[str, int] = {}
    chart: list[dict[str, int | str]] = []
    rec: dict[str, str] = {}
    loaded: bool = False

    @rx.event
    def load(self):
        with session_scope() as session:
            user = self._current_user(session)
            if user is None:
                return
            rows = dashboard.user_lines(session, user_id=user.id)
            self.lines = [{"id": str(r.id), "number": r.number} for r in rows]
            ids = [line["id"] for line in self.lines]
            if self.selected_line not in ids:
                self.selected_line = ids[0] if ids else ""
            self._fill(session, user.id)
        self.loaded = True

    @rx.event
    def select_line(self, value: str):
        # Only one of the lines listed for this customer; anything else is ignored.
        if value not in {line["id"] for line in self.lines}:
            return
        self.selected_line = value
        with session_scope() as session:
            user = self._current_user(session)
            if user is not None:
                self._fill(session, user.id)

    def _fill(self, session, user_id: int) -> None:
        line = session.get(EsimLine, int(self.selected_line)) if self.selected_line else None
        if line is None or line.user_id != user_id:
            self.card, self.bars, self.chart, self.rec = {}, {}, [], {}
            return
        today = clock.local_today()
        view = dashboard.overview(session, line=line, now=clock.now(), today=today)
        self.card = line_card(view)
        self.bars = {
            "time": view.time_left_percent,
            "data": view.data_used_percent,
            "minutes": view.minutes_used_percent,
        }
        self.chart = dashboard.daily_usage(session, line_id=line.id, today=today)
        found = recommendations.recommend(session, line=line, today=today)
        package = (
            session.exec(select(Package).where(Package.code == found.package_code)).first()
            if found
            else None
        )
        if found is None or package is None:
            self.rec = {}
            return
        self.rec = {
            "code": found.package_code,
            "name_zh": package.name_zh,
            "name_en": package.name_en,
            # The reason is short prose with numbers: formatted here in both languages so a
            # language switch needs no reload.
            "reason_zh": translate(found.reason_key, "zh-CN", **found.reason_params),
            "reason_en": translate(found.reason_key, "en", **found.reason_params),
            "url": routes.renew_url(line.id, found.package_code),
        }
