from __future__ import annotations

from heyon_app.money import Money
from heyon_app.services import catalog
from tests.unit.helpers import catalogue, package


def test_price_per_month_splits_the_period(session):
    catalogue(session)
    assert catalog.price_per_month(package(session, "DATA_M")) == Money(5_900, "CNY")
    assert catalog.price_per_month(package(session, "DATA_Q")) == Money(5_300, "CNY")
    # 599.00 / 12 = 49.9166… -> 49.92, rounded half up to a fen
    assert catalog.price_per_month(package(session, "DATA_Y")) == Money(4_992, "CNY")


def test_saving_against_the_monthly_twin(session):
    catalogue(session)
    assert catalog.saving_vs_monthly(session, package(session, "DATA_Q")) == Money(1_800, "CNY")
    assert catalog.saving_vs_monthly(session, package(session, "DATA_Y")) == Money(10_900, "CNY")
    assert catalog.saving_vs_monthly(session, package(session, "ROAM_GLOBAL_Y")) == Money(
        38_900, "CNY"
    )
    assert catalog.saving_vs_monthly(session, package(session, "DATA_M")) is None


def test_no_saving_when_not_cheaper_or_no_twin(session):
    catalogue(session)
    quarterly = package(session, "VOICE_Q")
    quarterly.price_minor = 3 * 3_900 + 1  # dearer than three months
    assert catalog.saving_vs_monthly(session, quarterly) is None
    monthly = package(session, "ROAM_ASIA_M")
    monthly.active = False
    session.add(monthly)
    session.flush()
    assert catalog.saving_vs_monthly(session, package(session, "ROAM_ASIA_Q")) is None


def test_active_offers_filter_by_kind_and_period(session):
    catalogue(session)
    everything = catalog.active_offers(session)
    assert len(everything) == 13
    roaming_year = catalog.active_offers(session, kind="roaming", period="year")
    assert [o.code for o in roaming_year] == ["ROAM_GLOBAL_Y"]
    assert "JP" in roaming_year[0].regions and roaming_year[0].months == 12
    assert {o.kind for o in catalog.active_offers(session, kind="voice")} == {"voice"}


def test_format_data():
    assert catalog.format_data(800) == "800 MB"
    assert catalog.format_data(30_720) == "30 GB"
    assert catalog.format_data(27_750) == "27.1 GB"
