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
from heyon_app.services import autorenew, dashboard, forms, recommendations
from heyon_app.state.autorenew import AutoRenewState
from heyon_app.state.base import AppState
from heyon_app.state.offloop import for_user
from heyon_app.state.present import line_card


@dataclass
class DashboardView:
    lines: list[dict[str, str]]
    selected_line: str
    card: dict[str, str] = field(default_factory=dict)
    bars: dict[str, int] = field(default_factory=dict)
    chart: list[list[int | str]] = field(default_factory=list)
    rec: dict[str, str] = field(default_factory=dict)
    # The chosen line's auto-renew switch, shown by its own section's state.
    auto_renew: autorenew.CardOnFile | None = None


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
    }


def dashboard_view(session: Session, user: User, *, wanted: str) -> DashboardView:
    """The customer's lines and the card of `wanted` (one of theirs), else of their first."""
    today = clock.local_today()
    # Three statements per load whatever the number of lines and days: the session and
    # user (the caller's), the lines with their packages and the chosen line's usage
    # window (here), the advice's catalogue (in `_recommendation`).
    read = dashboard.lines_and_usage(
        session, user_id=user.id, wanted_line_id=forms.row_id(wanted) or 0, today=today
    )
    lines = [{"id": str(line.id), "number": line.number} for line, _ in read.lines]
    line = read.chosen
    if line is None:
        return DashboardView(lines=lines, selected_line="")
    used = recommendations.totals_of(read.usage)
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
        chart=_compact(dashboard.chart_points(read.usage, today=today)),
        rec=_recommendation(session, line, today=today, used=used),
        auto_renew=autorenew.card_of(line.id, read.auto_renewal),
    )


def _compact(points: list[dict]) -> list[list[int | str]]:
    """The chart's points as [day, MB, minutes]: half the bytes of the keyed points on every
    load (the page reads them by position)."""
    return [[p["day"], p["mb"], p["min"]] for p in points]


class DashboardState(AppState):
    lines: list[dict[str, str]] = []
    selected_line: str = ""
    card: dict[str, str] = {}
    # Progress bars need numbers, the rest of the card is text.
    bars: dict[str, int] = {}
    # [day, MB, minutes] per day, see `_compact`.
    chart: list[list[int | str]] = []
    rec: dict[str, str] = {}
    loaded: bool = False

    async def _show(self, view: DashboardView) -> None:
        shown = {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}
        section = await self.get_state(AutoRenewState)
        section._show_line(shown.pop("auto_renew"))
        self._set_changed(**shown, loaded=True)

    @rx.event
    async def load(self):
        """on_load of the dashboard, and its login guard: one session+user lookup for both."""
        user, view = await self._as_user(partial(dashboard_view, wanted=self.selected_line))
        if user is None:
            return rx.redirect(routes.LOGIN)
        await self._show(view)
        return None

    @rx.event
    async def select_line(self, value: str):
        # Only one of the lines listed for this customer; anything else is ignored.
        value = forms.text(value)
        if value not in {line["id"] for line in self.lines}:
            return
        view = await for_user(self.auth_token, partial(dashboard_view, wanted=value))
        if view is not None:
            await self._show(view)
