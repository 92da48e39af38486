from __future__ import annotations

from datetime import timedelta

import pytest

from heyon_app.services import dashboard
from heyon_app.services.periods import period_start
from tests.unit.helpers import catalogue, line, usage


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
def test_expiry_alert_levels(session, now, today, left, alert, status, days):
    catalogue(session)
    row = line(session, valid_until=now + left)
    view = dashboard.overview(session, line=row, now=now)
    assert (view.alert, view.status, view.days_left) == (alert, status, days)


def test_not_installed_line_is_not_activated_without_alert(session, now, today):
    catalogue(session)
    row = line(session, status="not_installed", valid_until=None)
    view = dashboard.overview(session, line=row, now=now)
    assert (view.status, view.alert, view.time_left_percent) == ("not_activated", "none", 0)


def test_allowance_used_and_left_over_30_days(session, now, today):
    catalogue(session)
    row = line(session, code="DATA_M", valid_until=now + timedelta(days=5))
    usage(session, row.id, today, days=30, data_mb=930)
    view = dashboard.overview(session, line=row, now=now)
    assert (view.data_used_mb, view.data_left_mb, view.data_used_percent) == (27_900, 2_820, 90)
    assert (view.minutes_used, view.minutes_left) == (60, 40)
    # 5 days of this month's length (28 to 31 days, whichever month ends at the expiry).
    month = row.valid_until - period_start(row.valid_until, "month")
    assert view.time_left_percent == round(timedelta(days=5) / month * 100)
    points = dashboard.daily_usage(session, line_id=row.id, today=today)
    assert len(points) == 30 and points[-1]["mb"] == 930
