from __future__ import annotations

from datetime import timedelta

from heyon_app.services.recommendations import recommend
from tests.unit.helpers import catalogue, line, paid_order, usage


def test_over_80_percent_of_data_suggests_the_next_larger_data_package(session, now, today):
    catalogue(session)
    data_m = line(session, code="DATA_M", valid_until=now + timedelta(days=5))
    usage(session, data_m.id, today, days=30, data_mb=930)  # 27 900 of 30 720 MB = 90 %
    rec = recommend(session, line=data_m, today=today)
    assert rec.package_code == "DATA_PLUS_M"
    assert rec.reason_key == "rec.more_data"
    assert rec.reason_params["percent"] == 90 and rec.reason_params["data"] == "100 GB"


def test_80_percent_exactly_is_not_enough(session, now, today):
    catalogue(session)
    data_m = line(session, code="DATA_M")
    usage(session, data_m.id, today, days=30, data_mb=819)  # 24 570 MB < 80 % (24 576)
    assert recommend(session, line=data_m, today=today) is None


def test_voice_customer_running_out_of_data_moves_to_data_same_period(session, now, today):
    catalogue(session)
    voice = line(session, code="VOICE_Q")
    usage(session, voice.id, today, days=30, data_mb=170)  # 5 100 of 5 120 MB
    assert recommend(session, line=voice, today=today).package_code == "DATA_Q"


def test_usage_older_than_30_days_does_not_count(session, now, today):
    catalogue(session)
    data_m = line(session, code="DATA_M")
    usage(session, data_m.id, today - timedelta(days=30), days=30, data_mb=1_000)
    assert recommend(session, line=data_m, today=today) is None


def test_largest_package_has_nothing_bigger(session, now, today):
    catalogue(session)
    plus = line(session, code="DATA_PLUS_M")
    usage(session, plus.id, today, days=30, data_mb=3_400)
    assert recommend(session, line=plus, today=today) is None


def test_roaming_use_comes_first_and_suggests_the_cheapest_roaming_package(session, now, today):
    catalogue(session)
    data_m = line(session, code="DATA_M")
    usage(session, data_m.id, today, days=30, data_mb=930, roaming_mb=50)
    rec = recommend(session, line=data_m, today=today)
    assert (rec.package_code, rec.reason_key) == ("ROAM_ASIA_M", "rec.roaming")
    assert rec.reason_params["roaming"] == "1.5 GB"


def test_roaming_customer_is_not_told_to_buy_roaming(session, now, today):
    catalogue(session)
    roam = line(session, code="ROAM_ASIA_M")
    usage(session, roam.id, today, days=30, data_mb=10, roaming_mb=100)
    assert recommend(session, line=roam, today=today) is None


def test_three_monthly_renewals_in_a_row_suggest_the_longest_with_its_saving(session, now, today):
    catalogue(session)
    voice = line(session, code="VOICE_M")
    for months_ago in (3, 2, 1):
        paid_order(session, voice, "VOICE_M", now - timedelta(days=30 * months_ago))
    rec = recommend(session, line=voice, today=today)
    assert (rec.package_code, rec.reason_key) == ("VOICE_Y", "rec.longer_period")
    assert rec.reason_params["saving"] == "¥69.00" and rec.reason_params["saving_minor"] == 6_900


def test_two_monthly_renewals_or_a_broken_run_are_not_enough(session, now, today):
    catalogue(session)
    voice = line(session, code="VOICE_M")
    paid_order(session, voice, "VOICE_M", now - timedelta(days=60))
    paid_order(session, voice, "VOICE_M", now - timedelta(days=30))
    assert recommend(session, line=voice, today=today) is None
    paid_order(session, voice, "VOICE_Q", now - timedelta(days=200))
    assert recommend(session, line=voice, today=today) is None


def test_line_without_package_gets_nothing(session, now, today):
    catalogue(session)
    data_m = line(session, code="DATA_M")
    data_m.package_id = None
    assert recommend(session, line=data_m, today=today) is None


def test_yearly_customer_roaming_gets_a_yearly_roaming_package(session, now, today):
    catalogue(session)
    data_y = line(session, code="DATA_Y")
    usage(session, data_y.id, today, days=3, data_mb=10, roaming_mb=200)
    assert recommend(session, line=data_y, today=today).package_code == "ROAM_GLOBAL_Y"
