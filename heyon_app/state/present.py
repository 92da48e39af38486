"""Turn service results into the flat string dicts Reflex sends to the browser."""

from __future__ import annotations

from heyon_app import routes
from heyon_app.clock import local_date
from heyon_app.services import catalog, coverage
from heyon_app.services.catalog import Offer
from heyon_app.services.dashboard import LineOverview


def line_card(view: LineOverview) -> dict[str, str]:
    # Only what the card shows: the dict goes to the browser on every dashboard load (the
    # percentages travel as numbers in DashboardState.bars).
    return {
        "number": view.number,
        "status": view.status,
        "alert": view.alert,
        "name_zh": view.package_name_zh,
        "name_en": view.package_name_en,
        "kind": view.kind,
        "period": view.period,
        "valid_until": local_date(view.valid_until),
        "days_left": str(view.days_left),
        "data_used": catalog.format_data(view.data_used_mb),
        "data_left": catalog.format_data(view.data_left_mb),
        "data_total": catalog.format_data(view.data_allowance_mb),
        "min_used": str(view.minutes_used),
        "min_left": str(view.minutes_left),
        "min_total": str(view.minutes_allowance),
    }


def offer_card(
    offer: Offer, *, line_id: int | None, recommended: str, current: str
) -> dict[str, str]:
    return {
        "code": offer.code,
        "name_zh": offer.name_zh,
        "name_en": offer.name_en,
        "kind": offer.kind,
        "period": offer.period,
        "price": offer.price.format(),
        "per_month": offer.per_month.format(),
        "saving": offer.saving.format() if offer.saving else "",
        "data": catalog.format_data(offer.data_mb),
        "minutes": str(offer.minutes),
        "regions_zh": "、".join(coverage.region_names(offer.regions, "zh-CN")),
        "regions_en": ", ".join(coverage.region_names(offer.regions, "en")),
        "recommended": "1" if offer.code == recommended else "",
        "current": "1" if offer.code == current else "",
        "choose_url": routes.renew_url(line_id, offer.code),
    }
