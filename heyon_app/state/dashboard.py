"""Dashboard: the customer's lines, the chosen line's card, its usage chart and advice."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app import clock, routes
from heyon_app.i18n import translate
from heyon_app.models import EsimLine, User
from heyon_app.services import dashboard, forms, recommendations
from heyon_app.state.base import AppState
from heyon_app.state.offloop import for_user
from heyon_app.state.present import line_card


@dataclass
class DashboardView:
    lines: list[dict[str, str]]
    selected_line: str
    card: dict[str, str] = field(default_factory=dict)
    bars: dict[str, int] = field(default_factory=dict)
    chart: list[dict[str, int | str]] = field(default_factory=list)
    rec: dict[str, str] = field(default_factory=dict)


def _recommendation(
    session: Session, line: EsimLine, *, today: date, used: recommendations.UsageTotals
) -> dict[str, str]:
    found = recommendations.recommend(session, line=line, today=today, used=used)
    package = found.package if found else None
    if found is None or package is None:
        return {}
    return {
        "code": found.package_code,
        "name_zh": package.name_zh,
        "name_en": package.name_en,
        # The reason is short prose with numbers: formatted here in both languages so a
        # language switch needs no reload.
        "reason_zh": translate(found.reason_key, "zh-CN", **found.reason_params),
        "reason_en": translate(found.reason_key, "en", **found.reason_params),
        "url": routes.renew_url(line.id, found.package_code),
    }


def dashboard_view(session: Session, user: User, *, wanted: str) -> DashboardView:
    """The customer's lines and the card of `wanted` (one of theirs), else of their first."""
    # Held to the end: it keeps the packages in the session for `overview` and the advice.
    with_packages = dashboard.lines_with_packages(session, user_id=user.id)
    rows = [line for line, _ in with_packages]
    lines = [{"id": str(r.id), "number": r.number} for r in rows]
    line = next((r for r in rows if str(r.id) == wanted), rows[0] if rows else None)
    if line is None:
        return DashboardView(lines=lines, selected_line="")
    today = clock.local_today()
    # One query per kind of data, whatever the number of lines and days: the lines with
    # their packages (above), the 30 days of usage (chart and totals alike), the advice's.
    records = dashboard.usage_window(session, line_id=line.id, today=today)
    used = recommendations.totals_of(records)
    view = dashboard.overview(session, line=line, now=clock.now(), today=today, used=used)
    return DashboardView(
        lines=lines,
        selected_line=str(line.id),
        card=line_card(view),
        bars={
            "time": view.time_left_percent,
            "data": view.data_used_percent,
            "minutes": view.minutes_used_percent,
        },
        chart=dashboard.chart_points(records, today=today),
        rec=_recommendation(session, line, today=today, used=used),
    )


class DashboardState(AppState):
    lines: list[dict[str, str]] = []
    selected_line: str = ""
    card: dict[str, str] = {}
    # Progress bars need numbers, the rest of the card is text.
    bars: dict[str, int] = {}
    chart: list[dict[str, int | str]] = []
    rec: dict[str, str] = {}
    loaded: bool = False

    def _show(self, view: DashboardView) -> None:
        # Reflex sends every var that is assigned: a reload with the same data sends none.
        shown = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
        for name, value in {**shown, "loaded": True}.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    @rx.event
    async def load(self):
        """on_load of the dashboard, and its login guard: one session+user lookup for both."""
        user, view = await self._as_user(partial(dashboard_view, wanted=self.selected_line))
        if user is None:
            return rx.redirect(routes.LOGIN)
        self._show(view)
        return None

    @rx.event
    async def select_line(self, value: str):
        # Only one of the lines listed for this customer; anything else is ignored.
        value = forms.text(value)
        if value not in {line["id"] for line in self.lines}:
            return
        view = await for_user(self.auth_token, partial(dashboard_view, wanted=value))
        if view is not None:
            self._show(view)
