"""The outbox sends SMS through the HTTP gateway with its usual retries: a refused message
is queued with back-off and delivered once when the gateway accepts it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from heyon_app import clock, db, jobs
from heyon_app.models import Notification
from heyon_app.services import notifications
from tests import sms_gateway
from tests.sms_gateway import TOKEN


@pytest.fixture
def url(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'sms.db'}"
    db.migrate(url)
    yield url
    db._engines.pop(url).dispose()


def _queued_sms(url: str, phone: str, body: str) -> int:
    with Session(db.engine(url), expire_on_commit=False) as session:
        row = notifications.sms(session, user_id=None, recipient=phone, body=body)
        session.commit()
        return row.id


def _row(url: str, notification_id: int) -> Notification:
    with Session(db.engine(url)) as session:
        return session.get(Notification, notification_id)


def test_sms_refused_once_by_the_gateway_is_retried_and_accepted_once(url, monkeypatch):
    nid = _queued_sms(url, "+8613800005678", "您的套餐将于 3 天后到期")
    t0 = clock.now()
    with sms_gateway.running(monkeypatch) as gateway:
        gateway.answers = [500]
        with clock.freeze(t0):
            jobs.send_outbox(url)
        refused = _row(url, nid)
        assert (refused.status, refused.attempts) == ("queued", 1)
        assert refused.next_attempt_at == t0 + notifications.RETRY_DELAYS[0]
        assert "HTTP 500" in refused.last_error
        assert TOKEN not in refused.last_error
        with clock.freeze(t0 + timedelta(seconds=30)):  # still backing off
            jobs.send_outbox(url)
        assert len(gateway.requests) == 1
        with clock.freeze(t0 + notifications.RETRY_DELAYS[0]):
            jobs.send_outbox(url)
        with clock.freeze(t0 + notifications.RETRY_DELAYS[-1] * 2):  # nothing left to send
            jobs.send_outbox(url)
    done = _row(url, nid)
    assert (done.status, done.attempts) == ("sent", 2)
    assert [r.status for r in gateway.requests] == [500, 200]
    (accepted,) = gateway.accepted()
    assert accepted.body == {
        "to": "+8613800005678",
        "from": "Heyon",
        "text": "您的套餐将于 3 天后到期",
    }


def test_send_now_reports_a_hung_gateway_as_not_sent_and_leaves_it_to_the_outbox(url, monkeypatch):
    nid = _queued_sms(url, "+8613800009999", "code 654321")
    with sms_gateway.running(monkeypatch, timeout=0.3) as gateway:
        gateway.answering.clear()
        with Session(db.engine(url), expire_on_commit=False) as session:
            row = session.get(Notification, nid)
            assert notifications.send_now(session, row) is False
    after = _row(url, nid)
    assert (after.status, after.attempts) == ("queued", 1)
    assert "did not answer within 0.3 s" in after.last_error
