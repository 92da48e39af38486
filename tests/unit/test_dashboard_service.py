from __future__ import annotations

from datetime import timedelta

import pytest

from heyon_app.models import User
from heyon_app.services import dashboard
from heyon_app.services.periods import period_start
from tests.unit.helpers import catalogue, customer, line, usage


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


def test_lines_and_usage_reads_the_wanted_line_and_only_its_window(session, now, today):
    catalogue(session)
    first = line(session, code="DATA_M")
    second = line(session, user=session.get(User, first.user_id), code="VOICE_M")
    usage(session, first.id, today, days=40, data_mb=10)
    usage(session, second.id, today, days=40, data_mb=20)

    read = dashboard.lines_and_usage(
        session, user_id=first.user_id, wanted_line_id=second.id, today=today
    )
    assert [row.id for row, _ in read.lines] == [first.id, second.id]
    assert [package.code for _, package in read.lines] == ["DATA_M", "VOICE_M"]
    assert read.chosen.id == second.id
    # The 30 days before today, oldest first, all of the chosen line.
    assert [u.day for u in read.usage] == [today - timedelta(days=d) for d in range(30, 0, -1)]
    assert {u.data_mb for u in read.usage} == {20}


def test_lines_and_usage_never_chooses_another_customers_line(session, now, today):
    catalogue(session)
    mine = line(session)
    theirs = line(session)
    usage(session, mine.id, today, days=3, data_mb=10)
    usage(session, theirs.id, today, days=3, data_mb=99)

    for wanted in (theirs.id, 0, 10**17):
        read = dashboard.lines_and_usage(
            session, user_id=mine.user_id, wanted_line_id=wanted, today=today
        )
        assert read.chosen.id == mine.id
        assert [row.id for row, _ in read.lines] == [mine.id]
        assert {u.data_mb for u in read.usage} == {10}


def test_lines_and_usage_of_a_customer_without_lines(session, today):
    user = customer(session)
    read = dashboard.lines_and_usage(session, user_id=user.id, wanted_line_id=0, today=today)
    assert (read.lines, read.chosen, read.usage) == ([], None, [])
