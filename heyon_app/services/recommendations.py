"""What a customer should buy next, from the last 30 days of use against the allowance.

The rules, first match wins:
1. roaming used and the package has no roaming -> the cheapest roaming package of the
   same period;
2. more than 80 % of the monthly data used -> the next larger data package, same period;
3. the last three renewals were all monthly -> the longest package with the same
   allowance, with what it saves against paying monthly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from heyon_app.models import EsimLine, Order, Package, UsageRecord
from heyon_app.services import catalog

WINDOW_DAYS = 30
DATA_UPGRADE_SHARE = 80  # percent of the monthly allowance
MONTHLY_RUN = 3
_DONE_ORDERS = ("paid", "fulfilled")


@dataclass(frozen=True)
class Recommendation:
    package_code: str
    reason_key: str  # a message key; format it with reason_params
    reason_params: dict = field(default_factory=dict)
    # The package itself, already loaded by the rule: showing it costs no second query.
    package: Package | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class UsageTotals:
    data_mb: int
    minutes: int
    roaming_mb: int


def usage_totals(session: Session, *, line_id: int, today: date) -> UsageTotals:
    """Use over the 30 full days before `today` (the operator reports a day once it ends)."""
    start = today - timedelta(days=WINDOW_DAYS)
    row = session.exec(
        select(
            func.coalesce(func.sum(UsageRecord.data_mb), 0),
            func.coalesce(func.sum(UsageRecord.minutes), 0),
            func.coalesce(func.sum(UsageRecord.roaming_mb), 0),
        ).where(UsageRecord.line_id == line_id, UsageRecord.day >= start, UsageRecord.day < today)
    ).one()
    return UsageTotals(int(row[0]), int(row[1]), int(row[2]))


def totals_of(records: list[UsageRecord]) -> UsageTotals:
    """The same totals from a window's records a caller has already read (no query)."""
    return UsageTotals(
        sum(r.data_mb for r in records),
        sum(r.minutes for r in records),
        sum(r.roaming_mb for r in records),
    )


def _roaming(session: Session, current: Package, used: UsageTotals) -> Recommendation | None:
    if used.roaming_mb <= 0 or current.kind == "roaming":
        return None
    roaming = session.exec(
        select(Package)
        .where(Package.active, Package.kind == "roaming")
        .order_by(Package.price_minor, Package.sort_order)
    ).all()
    # Same period as now if there is one (no surprise commitment), then cheapest per month.
    best = min(
        roaming,
        key=lambda p: (p.period != current.period, catalog.price_per_month(p).minor),
        default=None,
    )
    if best is None:
        return None
    return Recommendation(
        best.code, "rec.roaming", {"roaming": catalog.format_data(used.roaming_mb)}, best
    )


def _more_data(session: Session, current: Package, used: UsageTotals) -> Recommendation | None:
    if current.data_mb <= 0 or used.data_mb * 100 <= current.data_mb * DATA_UPGRADE_SHARE:
        return None
    # A roaming customer keeps roaming; everyone else moves to a data package.
    kind = "roaming" if current.kind == "roaming" else "data"
    bigger = session.exec(
        select(Package)
        .where(
            Package.active,
            Package.kind == kind,
            Package.period == current.period,
            Package.data_mb > current.data_mb,
        )
        .order_by(Package.data_mb, Package.price_minor)
    ).first()
    if bigger is None:
        return None
    percent = used.data_mb * 100 // current.data_mb
    return Recommendation(
        bigger.code,
        "rec.more_data",
        {"percent": percent, "data": catalog.format_data(bigger.data_mb)},
        bigger,
    )


def _longer_period(session: Session, line: EsimLine, current: Package) -> Recommendation | None:
    if current.period != "month":
        return None
    # The orders with their packages in one query.
    recent = session.exec(
        select(Order, Package)
        .outerjoin(Package, Package.id == Order.package_id)
        .where(Order.line_id == line.id, Order.status.in_(_DONE_ORDERS))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(MONTHLY_RUN)
    ).all()
    if len(recent) < MONTHLY_RUN:
        return None
    for _order, package in recent:
        if package is None or package.period != "month":
            return None
    for longer in catalog.longer_periods(session, current):
        saving = catalog.saving_vs_monthly(session, longer)
        if saving is not None:
            return Recommendation(
                longer.code,
                "rec.longer_period",
                {"saving": saving.format(), "saving_minor": saving.minor, "count": MONTHLY_RUN},
                longer,
            )
    return None


def recommend(
    session: Session, *, line: EsimLine, today: date, used: UsageTotals | None = None
) -> Recommendation | None:
    """The one package to suggest for `line`, with the reason, or None when all is well.

    `used` is the line's `usage_totals` for `today` when the caller has them already.
    """
    current = session.get(Package, line.package_id) if line.package_id else None
    if current is None:
        return None
    if used is None:
        used = usage_totals(session, line_id=line.id, today=today)
    return (
        _roaming(session, current, used)
        or _more_data(session, current, used)
        or _longer_period(session, line, current)
    )
