from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from heyon_app.models import UsageRecord
from heyon_app.services import usage
from tests.unit.helpers import catalogue, line

TODAY = date(2026, 11, 25)


def _records(session):
    return {(r.line_id, r.day): r for r in session.exec(select(UsageRecord)).all()}


def test_good_csv_by_number_or_iccid_and_optional_roaming(session):
    catalogue(session)
    a, b = line(session), line(session)
    text = (
        "number,day,data_mb,minutes,roaming_mb\n"
        f"{a.number},2026-11-23,900,5,\n"
        f"{b.iccid},2026-11-24,120,0,30\n"
    )
    result = usage.import_usage(session, text=text, json_lines=False, today=TODAY)
    assert (result.ok, result.imported, result.replaced) == (True, 2, 0)
    got = _records(session)
    assert got[(a.id, date(2026, 11, 23))].data_mb == 900
    assert got[(b.id, date(2026, 11, 24))].roaming_mb == 30


def test_importing_the_same_file_twice_does_not_double(session):
    catalogue(session)
    a = line(session)
    text = json.dumps({"number": a.number, "day": "2026-11-20", "data_mb": 500, "minutes": 3})
    usage.import_usage(session, text=text, json_lines=True, today=TODAY)
    again = usage.import_usage(session, text=text, json_lines=True, today=TODAY)
    assert (again.imported, again.replaced) == (0, 1)
    assert [r.data_mb for r in _records(session).values()] == [500]
    corrected = text.replace("500", "650")
    usage.import_usage(session, text=corrected, json_lines=True, today=TODAY)
    assert [r.data_mb for r in _records(session).values()] == [650]


def test_one_bad_row_rejects_the_whole_file_with_reasons(session):
    catalogue(session)
    a = line(session)
    text = "\n".join(
        [
            "iccid,day,data_mb,minutes",
            f"{a.iccid},2026-11-20,100,1",
            "89860000000000000000,2026-11-20,100,1",
            f"{a.iccid},20.11.2026,100,1",
            f"{a.iccid},2026-11-21,-5,1",
            f"{a.iccid},2026-11-22,1.5,1",
            f"{a.iccid},2026-11-25,100,1",
            f"{a.iccid},2026-11-20,100,1",
            f"{a.iccid},2026-11-23,100,",
        ]
    )
    result = usage.import_usage(session, text=text, json_lines=False, today=TODAY)
    assert not result.ok and result.imported == 0
    reasons = {r.row: r.reason for r in result.rejected}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8]
    assert "no line" in reasons[2]
    assert "YYYY-MM-DD" in reasons[3]
    assert "negative" in reasons[4]
    assert "whole number" in reasons[5]
    assert "not over" in reasons[6]
    assert "row 1" in reasons[7]
    assert "minutes is missing" in reasons[8]
    assert _records(session) == {}


def test_broken_json_line_is_reported_by_row(session):
    catalogue(session)
    a = line(session)
    good = json.dumps({"iccid": a.iccid, "day": "2026-11-20", "data_mb": 1, "minutes": 1})
    result = usage.import_usage(
        session, text=f"{good}\n{{oops\n[1]\n", json_lines=True, today=TODAY
    )
    assert [r.row for r in result.rejected] == [2, 3]
    assert _records(session) == {}


def test_first_reported_use_marks_a_new_esim_installed(session):
    catalogue(session)
    new, idle = line(session, status="not_installed"), line(session, status="not_installed")
    text = (
        f"number,day,data_mb,minutes\n{new.number},2026-11-24,12,0\n{idle.number},2026-11-24,0,0\n"
    )
    assert usage.import_usage(session, text=text, json_lines=False, today=TODAY).ok
    assert (new.status, idle.status) == ("active", "not_installed")


def test_duplicated_header_column_rejects_the_file(session):
    catalogue(session)
    a = line(session)
    # Without the check the second data_mb (9999) silently wins over the first.
    text = f"number,day,data_mb,minutes,Data_MB\n{a.number},2026-11-20,100,1,9999\n"
    result = usage.import_usage(session, text=text, json_lines=False, today=TODAY)
    assert [(r.row, r.reason) for r in result.rejected] == [
        (usage.HEADER_ROW, "column data_mb appears more than once")
    ]
    assert _records(session) == {}


def test_duplicated_json_key_is_reported_by_row(session):
    catalogue(session)
    a = line(session)
    good = json.dumps({"iccid": a.iccid, "day": "2026-11-20", "data_mb": 1, "minutes": 1})
    twice = (
        f'{{"iccid": "{a.iccid}", "day": "2026-11-21", "data_mb": 1, "minutes": 1, "data_mb": 7}}'
    )
    result = usage.import_usage(session, text=f"{good}\n{twice}\n", json_lines=True, today=TODAY)
    assert [(r.row, r.reason) for r in result.rejected] == [
        (2, "key data_mb appears more than once")
    ]
    assert _records(session) == {}


@pytest.mark.parametrize(
    "value",
    ["١٢", "１２", "१२", "1_000", "+5"],
    ids=["arabic-indic", "fullwidth", "devanagari", "underscore", "plus"],
)
def test_numbers_other_than_ascii_digits_are_rejected(session, value):
    catalogue(session)
    a = line(session)
    text = f"number,day,data_mb,minutes\n{a.number},2026-11-20,{value},1\n"
    result = usage.import_usage(session, text=text, json_lines=False, today=TODAY)
    assert [r.row for r in result.rejected] == [1]
    assert "data_mb must be a whole number in digits 0-9" in result.rejected[0].reason
    assert _records(session) == {}


@pytest.mark.parametrize(
    "day",
    ["2026-W47-5", "2026W475", "20261120", "2026-324", "２０２６-１１-２０", "2026-11-20T00:00"],
)
def test_day_other_than_calendar_yyyy_mm_dd_is_rejected(session, day):
    catalogue(session)
    a = line(session)
    text = json.dumps({"number": a.number, "day": day, "data_mb": 1, "minutes": 1})
    result = usage.import_usage(session, text=text, json_lines=True, today=TODAY)
    assert [(r.row, r.reason) for r in result.rejected] == [
        (1, f"day must be YYYY-MM-DD, got {day!r}")
    ]
    assert _records(session) == {}


def test_impossible_calendar_day_is_rejected(session):
    catalogue(session)
    a = line(session)
    text = f"number,day,data_mb,minutes\n{a.number},2026-02-30,1,1\n"
    result = usage.import_usage(session, text=text, json_lines=False, today=TODAY)
    assert [(r.row, r.reason) for r in result.rejected] == [
        (1, "day 2026-02-30 is not a calendar date")
    ]
