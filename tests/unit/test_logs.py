"""The redaction safety net and the context fields of heyon_app.logs."""

from __future__ import annotations

import io
import json
import logging

import pytest

from heyon_app import logs


def _emit(message: str, *args: object, **extra: object) -> dict:
    out = io.StringIO()
    logger = logging.getLogger("heyon_app.test_logs")
    handler = logs.json_handler(out)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        logger.info(message, *args, extra=extra)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    (line,) = out.getvalue().splitlines()
    return json.loads(line)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("login with password=Hunter-2-secret", "Hunter-2-secret"),
        ('{"password": "Hunter-2-secret"}', "Hunter-2-secret"),
        ("new_password: Hunter-2-secret", "Hunter-2-secret"),
        ("Authorization: Bearer abc.DEF-123_xyz", "abc.DEF-123_xyz"),
        ("session_token=Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4"),
        (
            "cookie holds " + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v",
            "A1b2C3d4E5f6G7h8I9j0K1l2M3n4",
        ),
        ("mail https://heyon.example/reset-password?token=tok_abc123&x=1", "tok_abc123"),
        ("intent pi_3AbC_secret_XyZ987 ready", "pi_3AbC_secret_XyZ987"),
        ("card 4242424242424242 charged", "4242424242424242"),
        ("card 4242 4242 4242 4242 charged", "4242 4242 4242 4242"),
        ("card 5555-5555-5555-4444 charged", "5555-5555-5555-4444"),
        ('{"cvc": "123"}', '"123"'),
        ("cvc=987 given", "987"),
    ],
)
def test_redact_strips_each_kind_of_secret(text, secret):
    assert secret not in logs.redact(text)
    assert secret not in _emit("%s", text)["message"]


def test_redact_keeps_what_operators_need():
    text = (
        "order 42 intent pi_3AbCdEf evt_0123456789abcdef0123456789abcdef receipt HY20260101000042"
    )
    assert logs.redact(text) == text
    report = "worker pass: {'reminders': 0, 'reconcile': 'ok'}"
    assert logs.redact(report) == report
    # 16 digits that fail the Luhn check (a phone or an ICCID-like id) are not a card.
    assert logs.redact("ref 4242424242424241") == "ref 4242424242424241"


def test_extra_fields_are_redacted_by_name_and_by_content():
    line = _emit(
        "paying",
        password="Hunter-2-secret",
        client_secret="pi_1_secret_2",
        note="link /reset-password?token=abcdef",
        order_id=7,
    )
    assert line["password"] == logs.REDACTED and line["client_secret"] == logs.REDACTED
    assert "abcdef" not in line["note"] and line["order_id"] == 7


def test_exception_text_is_redacted():
    out = io.StringIO()
    logger = logging.getLogger("heyon_app.test_logs.exc")
    handler = logs.json_handler(out)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        raise ValueError("bad card 4242424242424242")
    except ValueError:
        logger.exception("failed")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    line = json.loads(out.getvalue())
    assert "4242424242424242" not in line["exc"] and "ValueError" in line["exc"]


def test_line_has_time_level_logger_and_context():
    with logs.log_context(request_id="req-1"), logs.log_context(order_id=9):
        line = _emit("hello %s", "world")
    assert line["message"] == "hello world" and line["level"] == "INFO"
    assert line["logger"] == "heyon_app.test_logs" and line["time"].endswith("+00:00")
    assert line["request_id"] == "req-1" and line["order_id"] == 9
    assert "request_id" not in _emit("after")


def test_configure_adds_one_handler_however_often_called():
    root = logging.getLogger()
    level, kept = root.level, list(root.handlers)
    # Importing the app (another test module may have) already configured it once.
    before = [h for h in kept if not getattr(h, "_heyon", False)]
    root.handlers[:] = before
    try:
        logs.configure()
        logs.configure()
        added = [h for h in root.handlers if h not in before]
        assert len(added) == 1 and isinstance(added[0].formatter, logs.JsonFormatter)
    finally:
        root.handlers[:] = kept
        root.setLevel(level)


def test_request_context_refuses_odd_incoming_ids():
    with logs.request_context("ok-id_1.2"):
        assert logs.current("request_id") == "ok-id_1.2"
    with logs.request_context("bad id\nforged line"):
        assert logs.current("request_id") != "bad id\nforged line"
    assert logs.current("request_id") is None


def test_each_event_logs_under_its_own_request_id_and_name(monkeypatch):
    """The app's middleware starts each event's log context, as Reflex runs it: one task
    per event; the payment's lines from the worker thread carry it too."""
    from types import SimpleNamespace

    from heyon_app.services import billing
    from heyon_app.state import checkout as checkout_state
    from heyon_app.state.event_logging import EventLogContext
    from tests.concurrency import Tab, run_coroutine
    from tests.paying import press_pay

    seen: list[tuple[str | None, str | None]] = []

    def start(*_args: object) -> billing.PaymentStart:
        seen.append((logs.current("request_id"), logs.current("event")))
        return billing.PaymentStart(7, "pi_7_secret_x", "card")

    async def one_event() -> None:
        name = f"{checkout_state.CheckoutState.get_full_name()}.pay"  # as Reflex names it
        await EventLogContext().preprocess(None, None, SimpleNamespace(name=name))
        await press_pay(Tab(checkout_state.CheckoutState, auth_token="token"))

    monkeypatch.setattr(checkout_state, "_start_payment", start)
    for _ in range(2):
        run_coroutine(one_event())
    assert [event for _, event in seen] == ["checkout_state.pay", "checkout_state.pay"]
    assert all(rid for rid, _ in seen) and seen[0][0] != seen[1][0]
    assert logs.current("request_id") is None  # nothing leaks out of the event's task
