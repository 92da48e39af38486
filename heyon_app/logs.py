"""One logging set-up for the app, the worker and the CLIs: a JSON object per line, with the
request and order it concerns, and secrets scrubbed before anything is written."""

from __future__ import annotations

import json
import logging
import random
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

REDACTED = "[redacted]"

# Fields every record has; anything else on a record came from `extra=` or the context.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_context: ContextVar[dict[str, Any]] = ContextVar("heyon_log_context", default={})  # noqa: B039 - never mutated

_SECRET_KEY = re.compile(r"passw(or)?d|pwd|token|secret|cvc|cvv|card|authorization|cookie", re.I)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Stripe client secret: enough to confirm the payment from any browser.
    (re.compile(r"\b(pi|seti)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+"), "[client secret]"),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"), "Bearer " + REDACTED),
    # Reset links and any other token in a query string.
    (re.compile(r"(?i)([?&](?:token|session|key|secret)=)[^\s&\"'<>]+"), r"\1" + REDACTED),
    # key=value / "key": "value" for passwords, tokens, secrets and the card's code.
    (
        re.compile(
            r"(?i)(\b[\w-]*(?:passw(?:or)?d|pwd|token|secret|cvc|cvv|cvc2)[\w-]*[\"']?\s*[=:]\s*[\"']?)"
            r"(?!\[)[^\s\"',;&]+"
        ),
        r"\1" + REDACTED,
    ),
    # A bare session token (security.new_token: 43 url-safe chars); ids we log are shorter.
    (re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])"), REDACTED),
]
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if 13 <= len(digits) <= 19 and _luhn_ok(digits) else match.group()


def redact(text: str) -> str:
    """The text with anything that looks like a password, token, secret link, client secret,
    card number or CVC replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _CARD.sub(_card, text)


def _redact_value(key: str, value: Any) -> Any:
    if _SECRET_KEY.search(key) and value not in (None, ""):
        return REDACTED
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(key, v) for v in value]
    return value


class ContextFilter(logging.Filter):
    """Adds the current request_id / order_id (log_context) unless the call passed its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _context.get().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class RedactFilter(logging.Filter):
    """The safety net: whatever a caller put in the message or `extra=`, no secret leaves."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        for key in [k for k in vars(record) if k not in _STANDARD]:
            setattr(record, key, _redact_value(key, getattr(record, key)))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO, UTC), level, logger, message, context fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


def json_handler(stream: Any = None) -> logging.Handler:
    """A handler writing redacted JSON lines (to stderr by default)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactFilter())
    handler._heyon = True  # type: ignore[attr-defined] - so set-up runs once however often called
    return handler


def configure(level: int | str = logging.INFO) -> None:
    """Send every logger's records through one JSON handler on the root logger. Called again,
    it changes nothing; handlers others added (pytest's) stay."""
    root = logging.getLogger()
    if not any(getattr(h, "_heyon", False) for h in root.handlers):
        root.addHandler(json_handler())
    root.setLevel(level)


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Every record logged inside (in this task or thread, and threads started from it with
    asyncio.to_thread) carries these fields, e.g. log_context(order_id=order.id)."""
    token = _context.set(_context.get() | {k: v for k, v in fields.items() if v is not None})
    try:
        yield
    finally:
        _context.reset(token)


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def _request_id(incoming: str | None) -> str:
    # Not uuid4: its os.urandom lets go of the GIL on every event, and under load the event
    # loop then waits for a worker thread to give it back. An id needs to be unique, not
    # secret; `random` is reseeded in every forked worker.
    return (
        incoming
        if incoming and _REQUEST_ID.fullmatch(incoming)
        else f"{random.getrandbits(64):016x}"
    )


def request_context(incoming: str | None = None) -> Any:
    """log_context with a request_id: the caller's (X-Request-ID) when sane, else a new one."""
    return log_context(request_id=_request_id(incoming))


def begin_task_request(**fields: Any) -> str:
    """A new request_id (and these fields) for the rest of the current asyncio task, with no
    reset: for a task that is one request from start to end, like one Reflex event."""
    rid = _request_id(None)
    _context.set({k: v for k, v in fields.items() if v is not None} | {"request_id": rid})
    return rid


def current(field: str) -> Any:
    """A context field now in effect (None when unset)."""
    return _context.get().get(field)
