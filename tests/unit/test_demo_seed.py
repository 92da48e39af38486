"""The demo data tells the same story on every date: `make run` and the browser tests rely on it."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from heyon_app import clock, seed
from heyon_app.models import EsimLine
from heyon_app.services import dashboard, recommendations


def _demo_line(session) -> EsimLine:
    return session.exec(select(EsimLine).where(EsimLine.number == "+8617000000001")).one()


def test_demo_line_expires_in_5_days_after_a_full_heavy_month(session, now):
    seed.seed_catalogue(session)
    seed.seed_demo_accounts(session)
    line = _demo_line(session)
    today = clock.local_today()
    view = dashboard.overview(session, line=line, now=now, today=today)
    assert (view.days_left, view.alert) == (5, "soon")
    # Every one of the 30 days before the customer's today was reported, none is missing.
    points = dashboard.daily_usage(session, line_id=line.id, today=today)
    assert len(points) == 30 and all(p["mb"] > 0 for p in points)
    assert points[-1]["day"] == (today - timedelta(days=1)).strftime("%m-%d")
    assert view.data_used_percent == 90
    found = recommendations.recommend(session, line=line, today=today)
    assert found is not None and found.package_code == "DATA_PLUS_M"
