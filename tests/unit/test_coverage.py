from __future__ import annotations

import pytest

from heyon_app.services import coverage
from tests.unit.helpers import catalogue


@pytest.mark.parametrize(
    ("query", "iso"),
    [
        ("日本", "JP"),
        ("japan", "JP"),
        ("JP", "JP"),
        ("香港", "HK"),
        ("Hong Kong", "HK"),
        ("usa", "US"),
        ("美国", "US"),
        ("UK", "GB"),
        ("英国", "GB"),
        ("Macau", "MO"),
        ("台灣", "TW"),
    ],
)
def test_search_by_chinese_english_code_or_alias(query, iso):
    assert coverage.search_regions(query)[0].iso == iso


def test_covered_region_lists_the_packages(session):
    catalogue(session)
    (japan,) = coverage.coverage(session, query="日本")
    assert japan.status == "covered"
    assert set(japan.package_codes) == {
        "ROAM_ASIA_M",
        "ROAM_ASIA_Q",
        "ROAM_GLOBAL_M",
        "ROAM_GLOBAL_Y",
    }
    (france,) = coverage.coverage(session, query="France")
    assert set(france.package_codes) == {"ROAM_GLOBAL_M", "ROAM_GLOBAL_Y"}


def test_uncovered_home_and_unknown(session):
    catalogue(session)
    assert coverage.coverage(session, query="巴西")[0].status == "not_covered"
    assert coverage.coverage(session, query="中国大陆")[0].status == "home"
    assert coverage.coverage(session, query="Atlantis") == []
    assert coverage.coverage(session, query="") == []


def test_every_roaming_code_in_the_catalogue_has_a_name():
    from heyon_app.seed import GLOBAL

    known = {r.iso for r in coverage.load_regions()}
    assert set(GLOBAL.split(",")) <= known
    assert coverage.region_names(["JP", "XX"], "en") == ["Japan", "XX"]
    assert coverage.region_names(["JP"], "zh-CN") == ["日本"]
