"""Catalogue maths: price per month and the saving against paying month by month."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from heyon_app.models import Package
from heyon_app.money import Money
from heyon_app.services.periods import PERIOD_MONTHS

KINDS = ("voice", "data", "roaming")
PERIODS = tuple(PERIOD_MONTHS)


@dataclass(frozen=True)
class Offer:
    """One package as the comparison shows it; amounts computed here, never in a page."""

    code: str
    name_zh: str
    name_en: str
    kind: str
    period: str
    months: int
    price: Money
    per_month: Money
    # None when the package is monthly or has no monthly twin to compare with.
    saving: Money | None
    data_mb: int
    minutes: int
    regions: list[str] = field(default_factory=list)


def price(package: Package) -> Money:
    return Money(package.price_minor, package.currency)


def price_per_month(package: Package) -> Money:
    return price(package).split(PERIOD_MONTHS[package.period])


def regions_of(package: Package) -> list[str]:
    return [code.strip().upper() for code in package.roaming_regions.split(",") if code.strip()]


def _same_allowance(a: Package, b: Package) -> bool:
    return (
        a.kind == b.kind
        and a.data_mb == b.data_mb
        and a.minutes == b.minutes
        and set(regions_of(a)) == set(regions_of(b))
        and a.currency == b.currency
    )


def _active_of_kind(
    session: Session, kind: str, among: list[Package] | None, *, period: str | None = None
) -> list[Package]:
    """Active packages of `kind` (and `period`): from `among`, the active catalogue a
    caller has read already, else from the database."""
    if among is not None:
        return [
            p
            for p in among
            if p.active and p.kind == kind and (period is None or p.period == period)
        ]
    query = select(Package).where(Package.active, Package.kind == kind)
    if period is not None:
        query = query.where(Package.period == period)
    return list(session.exec(query).all())


def monthly_twin(
    session: Session, package: Package, *, among: list[Package] | None = None
) -> Package | None:
    """The active monthly package with the same allowance (what paying monthly would cost)."""
    candidates = _active_of_kind(session, package.kind, among, period="month")
    return next((p for p in candidates if _same_allowance(p, package)), None)


def saving_vs_monthly(
    session: Session, package: Package, *, among: list[Package] | None = None
) -> Money | None:
    """Monthly price x months minus this price; None if not cheaper or nothing to compare.
    `among`: the active catalogue when the caller has read it (then no query)."""
    if package.period == "month":
        return None
    twin = monthly_twin(session, package, among=among)
    if twin is None:
        return None
    saving = price(twin).times(PERIOD_MONTHS[package.period]) - price(package)
    return saving if saving.minor > 0 else None


def longer_periods(
    session: Session, package: Package, *, among: list[Package] | None = None
) -> list[Package]:
    """Active packages with the same allowance and a longer period, longest first.
    `among`: the active catalogue when the caller has read it (then no query)."""
    rows = _active_of_kind(session, package.kind, among)
    longer = [
        p
        for p in rows
        if _same_allowance(p, package) and PERIOD_MONTHS[p.period] > PERIOD_MONTHS[package.period]
    ]
    return sorted(longer, key=lambda p: -PERIOD_MONTHS[p.period])


def offer(session: Session, package: Package) -> Offer:
    return Offer(
        code=package.code,
        name_zh=package.name_zh,
        name_en=package.name_en,
        kind=package.kind,
        period=package.period,
        months=PERIOD_MONTHS[package.period],
        price=price(package),
        per_month=price_per_month(package),
        saving=saving_vs_monthly(session, package),
        data_mb=package.data_mb,
        minutes=package.minutes,
        regions=regions_of(package),
    )


def active_packages(session: Session, *, kind: str = "", period: str = "") -> list[Package]:
    """Active packages in catalogue order, optionally only one kind and/or period."""
    query = select(Package).where(Package.active)
    if kind:
        query = query.where(Package.kind == kind)
    if period:
        query = query.where(Package.period == period)
    return list(session.exec(query.order_by(Package.sort_order, Package.id)).all())


def active_offers(session: Session, *, kind: str = "", period: str = "") -> list[Offer]:
    return [offer(session, p) for p in active_packages(session, kind=kind, period=period)]


def format_data(mb: int) -> str:
    """Megabytes as people read them: GB from 1 GB up, one decimal when not whole."""
    if abs(mb) < 1024:
        return f"{mb} MB"
    gb = mb / 1024
    return f"{gb:.0f} GB" if abs(gb - round(gb)) < 0.05 else f"{gb:.1f} GB"
