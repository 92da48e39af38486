"""Package comparison: filters, and which package is current and which recommended."""

from __future__ import annotations

from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app import clock, routes
from heyon_app.models import Package, User
from heyon_app.services import catalog, dashboard, forms, recommendations
from heyon_app.state.base import AppState
from heyon_app.state.present import offer_card

ALL = "all"


def package_offers(
    session: Session, user: User, *, wanted_line: str, kind: str, period: str
) -> tuple[str, list[dict[str, str]]]:
    """The line's number and the offers to compare, marked current and recommended.

    The line is the one from ?line= (one of the customer's), else their first; none before
    a first eSIM.
    """
    lines = dashboard.user_lines(session, user_id=user.id)
    line = next((ln for ln in lines if str(ln.id) == wanted_line), lines[0] if lines else None)
    recommended = current = ""
    if line is not None:
        found = recommendations.recommend(session, line=line, today=clock.local_today())
        recommended = found.package_code if found else ""
        package = session.get(Package, line.package_id) if line.package_id else None
        current = package.code if package else ""
    offers = catalog.active_offers(
        session, kind="" if kind == ALL else kind, period="" if period == ALL else period
    )
    cards = [
        offer_card(o, line_id=line.id if line else None, recommended=recommended, current=current)
        for o in offers
    ]
    return (line.number if line else ""), cards


class PackagesState(AppState):
    kind: str = ALL
    period: str = ALL
    offers: list[dict[str, str]] = []
    line_number: str = ""

    @rx.event
    async def load(self):
        return await self._refresh()

    @rx.event
    async def set_kind(self, value: str):
        self.kind = value if forms.text(value) in catalog.KINDS else ALL
        return await self._refresh()

    @rx.event
    async def set_period(self, value: str):
        self.period = value if forms.text(value) in catalog.PERIODS else ALL
        return await self._refresh()

    async def _refresh(self):
        """Show the offers; as the page's loader, also its login guard (one lookup)."""
        work = partial(
            package_offers,
            wanted_line=str(self.router.url.query_parameters.get("line", "")),
            kind=self.kind,
            period=self.period,
        )
        user, found = await self._as_user(work)
        if user is None:
            return rx.redirect(routes.LOGIN)
        self.line_number, self.offers = found
        return None
