"""Date-sensitive unit tests run at calendar edges as well as today.

Each moment is UTC; several fall on a different day in Beijing (the display timezone),
which is where a UTC date used for a customer's day shows up as a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from heyon_app import clock

EDGE_MOMENTS = {
    "today": None,
    "31st-of-month": datetime(2026, 1, 31, 8, tzinfo=UTC),
    "28-feb": datetime(2027, 2, 28, 8, tzinfo=UTC),
    "29-feb-leap-year": datetime(2028, 2, 29, 8, tzinfo=UTC),
    "31-dec-evening-utc-is-new-year-in-beijing": datetime(2026, 12, 31, 17, 30, tzinfo=UTC),
    "first-of-month": datetime(2026, 3, 1, 0, 30, tzinfo=UTC),
    "end-of-month-evening-utc": datetime(2026, 4, 30, 20, tzinfo=UTC),
}


@pytest.fixture(params=list(EDGE_MOMENTS.values()), ids=list(EDGE_MOMENTS))
def now(request) -> Iterator[datetime]:
    """The clock frozen at each edge moment in turn (and at the real now)."""
    at = request.param or clock.now()
    with clock.freeze(at):
        yield at


@pytest.fixture
def today(now: datetime) -> date:
    """The customers' calendar day at `now` (Beijing), which usage days are counted in."""
    return clock.local_today()
