"""Package periods: how many months each lasts and how validity grows by one."""

from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def add_period(start: datetime, period: str) -> datetime:
    """`start` plus one period in calendar months (31 Jan + 1 month = 28/29 Feb)."""
    return start + relativedelta(months=PERIOD_MONTHS[period])


def period_start(end: datetime, period: str) -> datetime:
    """When a period that ends at `end` began."""
    return end - relativedelta(months=PERIOD_MONTHS[period])
