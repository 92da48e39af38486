"""The one clock of the app.

Times are timezone-aware UTC everywhere (SQLModel's datetime columns insist on it);
tests move the clock with `freeze` instead of patching datetime.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from heyon_app.settings import settings

_frozen: datetime | None = None


def now() -> datetime:
    """Current time, aware, in UTC."""
    return _frozen or datetime.now(UTC)


@contextmanager
def freeze(at: datetime) -> Iterator[None]:
    global _frozen
    previous, _frozen = _frozen, at
    try:
        yield
    finally:
        _frozen = previous


def local_day(at: datetime, timezone: str | None = None) -> date:
    """The customers' calendar day (settings.display_timezone) at a moment, not UTC's."""
    return at.astimezone(ZoneInfo(timezone or settings.display_timezone)).date()


def local_today(timezone: str | None = None) -> date:
    """Today's date where the customers are, not in UTC."""
    return local_day(now(), timezone)


def local_date(at: datetime | None) -> str:
    """A moment as a date on the customer's calendar (display timezone); "—" when unknown."""
    if at is None:
        return "—"
    return at.astimezone(ZoneInfo(settings.display_timezone)).strftime("%Y-%m-%d")
