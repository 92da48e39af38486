"""Import of daily usage reported by the network operator.

A file is all or nothing: every row is checked first, and if any is rejected nothing
is written. A day already on file is replaced, so importing a file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, select

from heyon_app.models import EsimLine, UsageRecord

# Plausibility caps for one line on one day: beyond them the report is broken.
MAX_DATA_MB = 1_048_576  # 1 TB
MAX_MINUTES = 1_440
_LINE_KEYS = ("number", "iccid", "line")
# ASCII only: Python's int() and date.fromisoformat() also take "١٢", "１２", "1_000",
# "+5", "20261120" and ISO week dates like "2026-W47-5", which no operator means.
_WHOLE_NUMBER = re.compile(r"[0-9]+", re.ASCII)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
HEADER_ROW = 0  # Rejected.row of a fault in the CSV header itself


@dataclass(frozen=True)
class UsageRow:
    line_id: int
    day: date
    data_mb: int
    minutes: int
    roaming_mb: int


@dataclass(frozen=True)
class Rejected:
    row: int  # 1-based data row (CSV header and blank lines not counted); 0: the header
    reason: str


@dataclass(frozen=True)
class ImportResult:
    imported: int
    replaced: int
    rejected: list[Rejected]

    @property
    def ok(self) -> bool:
        return not self.rejected


def read_records(text: str, *, json_lines: bool) -> list[dict]:
    """Raw records from CSV (header row required) or JSON lines; a broken line is kept as
    an error marker so its row number is reported."""
    if json_lines:
        records: list[dict] = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                value = json.loads(line, object_pairs_hook=_keys_once)
            except json.JSONDecodeError as exc:
                records.append({"__error__": f"not valid JSON ({exc.msg})"})
                continue
            except _DuplicateKeyError as exc:
                records.append({"__error__": str(exc)})
                continue
            records.append(value if isinstance(value, dict) else {"__error__": "not an object"})
        return records
    reader = csv.DictReader(io.StringIO(text))
    _check_header(reader.fieldnames or [])
    records = []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if None in row:
            records.append({"__error__": "more columns than the header"})
            continue
        records.append({(k or "").strip().lower(): v for k, v in row.items()})
    return records


class HeaderError(ValueError):
    """The CSV header itself is wrong: no row can be read with it."""


class _DuplicateKeyError(ValueError):
    pass


def _check_header(names: list[str]) -> None:
    # csv.DictReader keeps the last of two equal columns: the operator's file says two
    # things and we would silently pick one.
    seen: set[str] = set()
    for name in names:
        key = (name or "").strip().lower()
        if key and key in seen:
            raise HeaderError(f"column {key} appears more than once")
        seen.add(key)


def _keys_once(pairs: list[tuple[str, object]]) -> dict:
    record: dict = {}
    for key, value in pairs:
        if key in record:
            raise _DuplicateKeyError(f"key {key} appears more than once")
        record[key] = value
    return record


def _day(record: dict) -> date:
    raw = record.get("day")
    text = raw.strip() if isinstance(raw, str) else ""
    if not _ISO_DAY.fullmatch(text):
        raise ValueError(f"day must be YYYY-MM-DD, got {raw!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"day {text} is not a calendar date") from None


def _int(record: dict, key: str, *, required: bool, cap: int) -> int:
    raw = record.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise ValueError(f"{key} is missing")
        return 0
    if isinstance(raw, (bool, float)):
        raise ValueError(f"{key} must be a whole number, got {raw!r}")
    text = str(raw).strip()
    if text.startswith("-") and _WHOLE_NUMBER.fullmatch(text[1:]):
        raise ValueError(f"{key} must not be negative")
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValueError(f"{key} must be a whole number in digits 0-9, got {raw!r}")
    value = int(text)
    if value > cap:
        raise ValueError(f"{key} {value} is implausibly large (max {cap})")
    return value


def _find_line(session: Session, record: dict, cache: dict[str, int | None]) -> int:
    ident = next((str(record[k]).strip() for k in _LINE_KEYS if record.get(k)), "")
    if not ident:
        raise ValueError("number or iccid is missing")
    if ident not in cache:
        line = session.exec(
            select(EsimLine).where(or_(EsimLine.number == ident, EsimLine.iccid == ident))
        ).first()
        cache[ident] = line.id if line else None
    if cache[ident] is None:
        raise ValueError(f"no line with number or ICCID {ident}")
    return cache[ident]


def validate(
    session: Session, records: list[dict], *, today: date
) -> tuple[list[UsageRow], list[Rejected]]:
    rows: list[UsageRow] = []
    rejected: list[Rejected] = []
    seen: dict[tuple[int, date], int] = {}
    lines: dict[str, int | None] = {}
    for number, record in enumerate(records, start=1):
        try:
            if "__error__" in record:
                raise ValueError(record["__error__"])
            line_id = _find_line(session, record, lines)
            day = _day(record)
            if day >= today:
                raise ValueError(f"day {day} is not over yet")
            row = UsageRow(
                line_id=line_id,
                day=day,
                data_mb=_int(record, "data_mb", required=True, cap=MAX_DATA_MB),
                minutes=_int(record, "minutes", required=True, cap=MAX_MINUTES),
                roaming_mb=_int(record, "roaming_mb", required=False, cap=MAX_DATA_MB),
            )
            if (line_id, day) in seen:
                raise ValueError(f"same line and day as row {seen[(line_id, day)]}")
            seen[(line_id, day)] = number
            rows.append(row)
        except ValueError as exc:
            rejected.append(Rejected(number, str(exc)))
    return rows, rejected


def import_usage(session: Session, *, text: str, json_lines: bool, today: date) -> ImportResult:
    """Validate every row, then write all of them or none. The caller commits."""
    try:
        records = read_records(text, json_lines=json_lines)
    except HeaderError as exc:
        return ImportResult(0, 0, [Rejected(HEADER_ROW, str(exc))])
    rows, rejected = validate(session, records, today=today)
    if rejected:
        return ImportResult(0, 0, rejected)
    imported = replaced = 0
    for row in rows:
        existing = session.exec(
            select(UsageRecord).where(
                UsageRecord.line_id == row.line_id, UsageRecord.day == row.day
            )
        ).first()
        record = existing or UsageRecord(line_id=row.line_id, day=row.day)
        record.data_mb, record.minutes, record.roaming_mb = (
            row.data_mb,
            row.minutes,
            row.roaming_mb,
        )
        session.add(record)
        if existing:
            replaced += 1
        else:
            imported += 1
    _mark_installed(session, {row.line_id for row in rows if row.data_mb or row.minutes})
    session.flush()
    return ImportResult(imported, replaced, [])


def _mark_installed(session: Session, line_ids: set[int]) -> None:
    """The operator only reports use of an eSIM that is on a phone: it is installed now."""
    for line_id in line_ids:
        line = session.get(EsimLine, line_id)
        if line is not None and line.status == "not_installed":
            line.status = "active"
            session.add(line)
