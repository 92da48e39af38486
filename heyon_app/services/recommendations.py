"""What a customer should buy next, from the last 30 days of use against the allowance.

The rules, first match wins:
1. roaming used and the package has no roaming -> the cheapest roaming package of the
   same period;
2. more than 80 % of the monthly data used -> the next larger data package, same period;
3. the last three renewals were all monthly -> the longest package with the same
   allowance, with what it saves against paying monthly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from heyon_app.models import EsimLine, Order, Package, UsageRecord
from heyon_app.services import catalog

if TYPE_CHECKING:
    from heyon_app.services.dashboard import UsageDay

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


_TOTALS = select(
    func.coalesce(func.sum(UsageRecord.data_mb), 0),
    func.coalesce(func.sum(UsageRecord.minutes), 0),
    func.coalesce(func.sum(UsageRecord.roaming_mb), 0),
).where(
    UsageRecord.line_id == bindparam("line_id"),
    UsageRecord.day >= bindparam("start"),
    UsageRecord.day < bindparam("today"),
)


def usage_totals(session: Session, *, line_id: int, today: date) -> UsageTotals:
    """Use over the 30 full days before `today` (the operator reports a day once it ends)."""
    start = today - timedelta(days=WINDOW_DAYS)
    params = {"line_id": line_id, "start": start, "today": today}
    row = session.exec(_TOTALS, params=params).one()
    return UsageTotals(int(row[0]), int(row[1]), int(row[2]))


def totals_of(records: Iterable[UsageRecord] | Iterable[UsageDay]) -> UsageTotals:
    """The same totals from a window's records a caller has already read (no query)."""
    return UsageTotals(
        sum(r.data_mb for r in records),
        sum(r.minutes for r in records),
        sum(r.roaming_mb for r in records),
    )


def _advice_query():
    bought = aliased(Package)  # the package of a past order, beside the catalogue's
    last = (
        select(bought.period)
        .select_from(Order)
        .outerjoin(bought, bought.id == Order.package_id)
        .where(Order.line_id == bindparam("line_id"), Order.status.in_(_DONE_ORDERS))
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(MONTHLY_RUN)
        .subquery()
    )
    monthly = select(func.count()).select_from(last).where(last.c.period == "month")
    return (
        select(Package, monthly.scalar_subquery())
        .where(Package.active)
        .order_by(Package.sort_order, Package.id)
    )


# Built once: on every dashboard load, building it anew cost more CPU than running it.
_ADVICE = _advice_query()


def advice_data(session: Session, *, line_id: int) -> tuple[list[Package], bool]:
    """Everything the rules read, in one statement: the active catalogue (the candidates of
    every rule), and whether the line's last MONTHLY_RUN paid orders were all monthly."""
    rows = session.exec(_ADVICE, params={"line_id": line_id}).all()
    # The count is the same on every row; no active package means no advice at all.
    return [package for package, _ in rows], bool(rows) and rows[0][1] == MONTHLY_RUN


def _roaming(current: Package, used: UsageTotals, active: list[Package]) -> Recommendation | None:
    if used.roaming_mb <= 0 or current.kind == "roaming":
        return None
    roaming = sorted(
        (p for p in active if p.kind == "roaming"), key=lambda p: (p.price_minor, p.sort_order)
    )
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


def _more_data(current: Package, used: UsageTotals, active: list[Package]) -> Recommendation | None:
    if current.data_mb <= 0 or used.data_mb * 100 <= current.data_mb * DATA_UPGRADE_SHARE:
        return None
    # A roaming customer keeps roaming; everyone else moves to a data package.
    kind = "roaming" if current.kind == "roaming" else "data"
    bigger = min(
        (
            p
            for p in active
            if p.kind == kind and p.period == current.period and p.data_mb > current.data_mb
        ),
        key=lambda p: (p.data_mb, p.price_minor),
        default=None,
    )
    if bigger is None:
        return None
    percent = used.data_mb * 100 // current.data_mb
    return Recommendation(
        bigger.code,
        "rec.more_data",
        {"percent": percent, "data": catalog.format_data(bigger.data_mb)},
        bigger,
    )


def _longer_period(
    session: Session, current: Package, monthly_run: bool, active: list[Package]
) -> Recommendation | None:
    if current.period != "month" or not monthly_run:
        return None
    for longer in catalog.longer_periods(session, current, among=active):
        saving = catalog.saving_vs_monthly(session, longer, among=active)
        if saving is not None:
            return Recommendation(
                longer.code,
                "rec.longer_period",
                {"saving": saving.format(), "saving_minor": saving.minor, "count": MONTHLY_RUN},
                longer,
            )
    return None


def recommend(
    session: Session,
    *,
    line: EsimLine,
    today: date,
    used: UsageTotals | None = None,
    advice: tuple[list[Package], bool] | None = None,
) -> Recommendation | None:
    """The one package to suggest for `line`, with the reason, or None when all is well.

    `used` is the line's `usage_totals` for `today`, `advice` its `advice_data`, when the
    caller has read them already in this session. The rules' own data is one statement,
    whichever rule applies.
    """
    current = session.get(Package, line.package_id) if line.package_id else None
    if current is None:
        return None
    if used is None:
        used = usage_totals(session, line_id=line.id, today=today)
    active, monthly_run = advice or advice_data(session, line_id=line.id)
    return (
        _roaming(current, used, active)
        or _more_data(current, used, active)
        or _longer_period(session, current, monthly_run, active)
    )
