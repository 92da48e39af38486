from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heyon_app.services import dashboard
from tests.unit.helpers import catalogue, line, usage

NOW = datetime(2026, 11, 25, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("left", "alert", "status", "days"),
    [
        (timedelta(days=30), "none", "active", 30),
        (timedelta(days=7, hours=1), "none", "active", 8),
        (timedelta(days=7), "soon", "expiring", 7),
        (timedelta(days=5), "soon", "expiring", 5),
        (timedelta(days=1), "urgent", "expiring", 1),
        (timedelta(hours=3), "urgent", "expiring", 1),
        (timedelta(seconds=-1), "expired", "expired", 0),
    ],
)
def test_expiry_alert_levels(session, left, alert, status, days):
    catalogue(session)
    row = line(session, valid_until=NOW + left)
    view = dashboard.overview(session, line=row, now=NOW)
    assert (view.alert, view.status, view.days_left) == (alert, status, days)


def test_not_installed_line_is_not_activated_without_alert(session):
    catalogue(session)
    row = line(session, status="not_installed", valid_until=None)
    view = dashboard.overview(session, line=row, now=NOW)
    assert (view.status, view.alert, view.time_left_percent) == ("not_activated", "none", 0)


def test_allowance_used_and_left_over_30_days(session):
    catalogue(session)
    row = line(session, code="DATA_M", valid_until=NOW + timedelta(days=5))
    usage(session, row.id, NOW.date(), days=30, data_mb=930)
    view = dashboard.overview(session, line=row, now=NOW)
    assert (view.data_used_mb, view.data_left_mb, view.data_used_percent) == (27_900, 2_820, 90)
    assert (view.minutes_used, view.minutes_left) == (60, 40)
    assert 15 <= view.time_left_percent <= 17  # 5 of 30 days
    points = dashboard.daily_usage(session, line_id=row.id, today=NOW.date())
    assert len(points) == 30 and points[-1]["data_mb"] == 930
