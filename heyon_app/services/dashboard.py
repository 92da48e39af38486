"""What the dashboard shows for each eSIM line: validity, allowance left, status, daily use."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import String, and_, bindparam, case, cast, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from heyon_app import clock
from heyon_app.models import AutoRenewal, EsimLine, Package, UsageRecord
from heyon_app.services.periods import period_start
from heyon_app.services.recommendations import WINDOW_DAYS, UsageTotals, usage_totals

EXPIRY_WARNING_DAYS = 7
EXPIRY_URGENT_DAYS = 1


@dataclass(frozen=True)
class LineOverview:
    line_id: int
    number: str
    # active | expiring | expired | not_activated | suspended
    status: str
    # none | soon (from 7 days) | urgent (1 day or less) | expired
    alert: str
    package_code: str
    package_name_zh: str
    package_name_en: str
    kind: str
    period: str
    valid_until: datetime | None
    days_left: int
    # Share of the current period still ahead, 0..100, for the progress bar.
    time_left_percent: int
    data_allowance_mb: int
    data_used_mb: int
    minutes_allowance: int
    minutes_used: int

    @property
    def data_left_mb(self) -> int:
        return max(self.data_allowance_mb - self.data_used_mb, 0)

    @property
    def minutes_left(self) -> int:
        return max(self.minutes_allowance - self.minutes_used, 0)

    @property
    def data_used_percent(self) -> int:
        if self.data_allowance_mb <= 0:
            return 0
        return min(100, self.data_used_mb * 100 // self.data_allowance_mb)

    @property
    def minutes_used_percent(self) -> int:
        if self.minutes_allowance <= 0:
            return 0
        return min(100, self.minutes_used * 100 // self.minutes_allowance)


def days_left(valid_until: datetime, now: datetime) -> int:
    """Whole days still to go, counting a started day (valid for 4 h -> 1 day left)."""
    seconds = (valid_until - now).total_seconds()
    return max(0, math.ceil(seconds / 86_400))


def expiry_alert(valid_until: datetime | None, now: datetime) -> str:
    if valid_until is None:
        return "none"
    if valid_until <= now:
        return "expired"
    left = days_left(valid_until, now)
    if left <= EXPIRY_URGENT_DAYS:
        return "urgent"
    if left <= EXPIRY_WARNING_DAYS:
        return "soon"
    return "none"


def line_status(line: EsimLine, now: datetime) -> str:
    if line.status == "not_installed" or line.valid_until is None:
        return "not_activated"
    if line.status == "suspended":
        return "suspended"
    alert = expiry_alert(line.valid_until, now)
    if alert == "expired":
        return "expired"
    return "expiring" if alert in ("soon", "urgent") else "active"


def _time_left_percent(package: Package | None, valid_until: datetime | None, now: datetime) -> int:
    if package is None or valid_until is None or valid_until <= now:
        return 0
    start = period_start(valid_until, package.period)
    total = (valid_until - start).total_seconds()
    return max(0, min(100, round((valid_until - now).total_seconds() * 100 / total)))


_USER_LINES = select(EsimLine).where(EsimLine.user_id == bindparam("user_id")).order_by(EsimLine.id)


def user_lines(session: Session, *, user_id: int) -> list[EsimLine]:
    return list(session.exec(_USER_LINES, params={"user_id": user_id}))


class UsageDay(NamedTuple):
    """One day of a line's usage as the dashboard reads it (no ORM object: read only)."""

    day: date
    data_mb: int
    minutes: int
    roaming_mb: int


@dataclass(frozen=True)
class LinesAndUsage:
    """A customer's lines with their packages, the chosen one, and its usage window."""

    lines: list[tuple[EsimLine, Package | None]]
    chosen: EsimLine | None
    # The chosen line's days of the 30 before `today` that have a record, oldest first.
    usage: list[UsageDay]
    # The chosen line's auto-renew card, if one was ever saved.
    auto_renewal: AutoRenewal | None = None


def _lines_and_usage_query():
    # The line is chosen in SQL so that only its records are read (`lines_and_usage`
    # applies the same rule to the lines read); the aliases keep the subqueries from
    # correlating with the outer line table.
    theirs, first = aliased(EsimLine), aliased(EsimLine)
    user_id = bindparam("user_id")
    chosen_id = func.coalesce(
        select(theirs.id)
        .where(theirs.user_id == user_id, theirs.id == bindparam("wanted"))
        .scalar_subquery(),
        select(func.min(first.id)).where(first.user_id == user_id).scalar_subquery(),
    )
    # The chosen line's usage window as one text column, "day:MB:minutes:roaming MB" per
    # day: one row per line instead of one per day, where the ORM turned every day's row
    # into the line, its package and its auto-renewal again (~3x the statement's CPU).
    day = (
        cast(UsageRecord.day, String)
        + ":"
        + cast(UsageRecord.data_mb, String)
        + ":"
        + cast(UsageRecord.minutes, String)
        + ":"
        + cast(UsageRecord.roaming_mb, String)
    )
    window = (
        select(func.aggregate_strings(day, ","))
        .where(
            UsageRecord.line_id == EsimLine.id,
            UsageRecord.day >= bindparam("start"),
            UsageRecord.day < bindparam("today"),
        )
        .correlate(EsimLine)
        .scalar_subquery()
    )
    return (
        select(EsimLine, Package, AutoRenewal, case((EsimLine.id == chosen_id, window)))
        .outerjoin(Package, Package.id == EsimLine.package_id)
        .outerjoin(AutoRenewal, and_(AutoRenewal.line_id == EsimLine.id, EsimLine.id == chosen_id))
        .where(EsimLine.user_id == user_id)
        .order_by(EsimLine.id)
    )


# Built once: on every page load, building it anew cost more CPU than running it.
_LINES_AND_USAGE = _lines_and_usage_query()


def _usage_days(window: str) -> list[UsageDay]:
    """The aggregated window's days, oldest first (the aggregate keeps no order)."""
    if not window:
        return []
    days = []
    for item in window.split(","):
        day, data_mb, minutes, roaming_mb = item.split(":")
        days.append(UsageDay(date.fromisoformat(day), int(data_mb), int(minutes), int(roaming_mb)))
    return sorted(days)


def lines_and_usage(
    session: Session, *, user_id: int, wanted_line_id: int, today: date
) -> LinesAndUsage:
    """One statement, however many lines and days: the user's lines and their packages,
    and the usage window and auto-renew card of `wanted_line_id` if it is one of theirs,
    else of their first.

    While the caller holds the result, `session.get(Package, line.package_id)` (in
    `overview` and the recommendation) is answered from the session without a query.
    """
    rows = session.exec(
        _LINES_AND_USAGE,
        params={
            "user_id": user_id,
            "wanted": wanted_line_id,
            "start": today - timedelta(days=WINDOW_DAYS),
            "today": today,
        },
    ).all()
    lines = [(line, package) for line, package, _, _ in rows]
    # Only the chosen line's row carries its auto-renewal and its window.
    auto_renewal = next((renewal for *_, renewal, _ in rows if renewal is not None), None)
    usage = next((_usage_days(window) for *_, window in rows if window), [])
    chosen = next(
        (line for line, _ in lines if line.id == wanted_line_id),
        lines[0][0] if lines else None,
    )
    return LinesAndUsage(lines=lines, chosen=chosen, usage=usage, auto_renewal=auto_renewal)


def overview(
    session: Session,
    *,
    line: EsimLine,
    now: datetime,
    today: date | None = None,
    used: UsageTotals | None = None,
) -> LineOverview:
    """`today` is the customers' local date (usage days are theirs); defaults to now's there.
    `used` is the line's usage totals when the caller has read them already."""
    package = session.get(Package, line.package_id) if line.package_id else None
    if used is None:
        used = usage_totals(session, line_id=line.id, today=today or clock.local_day(now))
    alert = expiry_alert(line.valid_until, now) if line.status != "not_installed" else "none"
    return LineOverview(
        line_id=line.id,
        number=line.number,
        status=line_status(line, now),
        alert=alert,
        package_code=package.code if package else "",
        package_name_zh=package.name_zh if package else "",
        package_name_en=package.name_en if package else "",
        kind=package.kind if package else "",
        period=package.period if package else "",
        valid_until=line.valid_until,
        days_left=days_left(line.valid_until, now) if line.valid_until else 0,
        time_left_percent=_time_left_percent(package, line.valid_until, now),
        data_allowance_mb=package.data_mb if package else 0,
        data_used_mb=used.data_mb,
        minutes_allowance=package.minutes if package else 0,
        minutes_used=used.minutes,
    )


def usage_window(session: Session, *, line_id: int, today: date) -> list[UsageRecord]:
    """The line's daily records of the 30 days before `today`: the chart and the totals
    (`recommendations.totals_of`) both come from this one query."""
    start = today - timedelta(days=WINDOW_DAYS)
    return list(
        session.exec(
            select(UsageRecord).where(
                UsageRecord.line_id == line_id, UsageRecord.day >= start, UsageRecord.day < today
            )
        ).all()
    )


def daily_usage(session: Session, *, line_id: int, today: date) -> list[dict]:
    """One point per day of the 30 before `today`, zero where nothing was reported; only
    what the chart draws, under short keys (every byte goes to the browser on each load)."""
    return chart_points(usage_window(session, line_id=line_id, today=today), today=today)


def chart_points(records: list[UsageRecord] | list[UsageDay], *, today: date) -> list[dict]:
    """`daily_usage` from records already read by `usage_window`."""
    start = today - timedelta(days=WINDOW_DAYS)
    by_day = {r.day: r for r in records}
    points = []
    for offset in range(WINDOW_DAYS):
        day = start + timedelta(days=offset)
        record = by_day.get(day)
        points.append(
            {
                "day": day.strftime("%m-%d"),
                "mb": record.data_mb if record else 0,
                "min": record.minutes if record else 0,
            }
        )
    return points
