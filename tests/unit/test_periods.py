from datetime import UTC, datetime

import pytest

from heyon_app.services.periods import add_period


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), "month", datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 11, 25, tzinfo=UTC), "quarter", datetime(2027, 2, 25, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), "year", datetime(2029, 2, 28, tzinfo=UTC)),
    ],
)
def test_periods_are_calendar_months(start, period, end):
    assert add_period(start, period) == end
