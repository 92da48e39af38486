"""The worker: renewal reminders once per line, expiry, step and channel; the outbox's
retries and claims; unpaid orders expired; two workers at once on SQLite and PostgreSQL.

The clock is moved (clock.freeze) to each reminder step of an expiry derived from now."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from heyon_app import clock, db, jobs, routes, seed
from heyon_app.models import EsimLine, Notification, Order, Reminder, User
from heyon_app.services import notifications, reminders
from heyon_app.services.errors import UserError
from heyon_app.settings import settings
from tests import factories
from tests.concurrency import run_at_once, wait_for
from tests.conftest import ROOT


# An expiry well away from any step boundary of the real now, so frozen moments decide.
def _expiry() -> datetime:
    return clock.now().replace(microsecond=0) + timedelta(days=30)


def _fresh_db(url: str) -> str:
    db.migrate(url)
    with Session(db.engine(url), expire_on_commit=False) as session:
        seed.seed_catalogue(session)
        session.commit()
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    yield _fresh_db(url)
    db._engines.pop(url).dispose()


def _customer_with_line(url: str, *, valid_until, locale: str = "zh-CN") -> tuple[User, EsimLine]:
    with Session(db.engine(url), expire_on_commit=False) as session:
        user = factories.customer(session, locale=locale)
        line = factories.line(session, user=user, valid_until=valid_until)
        session.commit()
    return user, line


def _sms_to(phone: str) -> list[Path]:
    return sorted(settings.sms_outbox_dir.glob(f"*-{phone.lstrip('+')}.json"))


def _at(moment, work: Callable[[], object]) -> object:
    with clock.freeze(moment):
        return work()


def test_each_reminder_step_is_sent_once_by_mail_and_sms(sqlite_url, mailbox):
    end = _expiry()
    user, line = _customer_with_line(sqlite_url, valid_until=end, locale="en")
    steps = [
        (end - timedelta(days=7), "ends in 7 days"),
        (end - timedelta(days=3), "ends in 3 days"),
        (end - timedelta(days=1), "ends tomorrow"),
        (end + timedelta(days=1), "has ended"),
    ]
    for moment, _ in steps:
        for later in (timedelta(0), timedelta(hours=2)):  # the loop's next passes
            _at(moment + later, lambda: jobs.run_pass(sqlite_url))
    # Between steps and long after the lapse: nothing more.
    _at(end - timedelta(days=5), lambda: jobs.run_pass(sqlite_url))
    _at(end + timedelta(days=9), lambda: jobs.run_pass(sqlite_url))

    mails = mailbox.to(user.email)
    assert [m["Subject"] for m in mails] == [
        f"Your Heyon number {line.number} {text}" for _, text in steps
    ]
    link = settings.public_url + routes.renew_url(line.id)
    assert all(link in m.get_content() for m in mails)
    texts = [p.read_text("utf-8") for p in _sms_to(user.phone)]
    assert len(texts) == 4 and all(link in t for t in texts)
    with Session(db.engine(sqlite_url)) as session:
        rows = session.exec(select(Reminder).where(Reminder.line_id == line.id)).all()
        assert sorted((r.step, r.channel) for r in rows) == sorted(
            (step, channel) for step in ("7d", "3d", "1d", "lapsed") for channel in ("email", "sms")
        )


def test_reminder_is_in_the_customers_language(sqlite_url, mailbox):
    end = _expiry()
    user, line = _customer_with_line(sqlite_url, valid_until=end)  # zh-CN
    _at(end - timedelta(days=3), lambda: jobs.run_pass(sqlite_url))
    (mail,) = mailbox.to(user.email)
    assert mail["Subject"] == f"您的 Heyon 号码 {line.number} 将在 3 天后到期"
    assert clock.local_date(end) in mail.get_content()


def test_a_package_name_typed_right_to_left_cannot_reverse_the_reminder(sqlite_url, mailbox):
    """Package names are typed by admins: a right-to-left override in one stays inside an
    isolate in the reminder mail, where it would otherwise reverse the rest of the line."""
    end = _expiry()
    user, line = _customer_with_line(sqlite_url, valid_until=end, locale="en")
    with Session(db.engine(sqlite_url)) as session:
        factories.package(session, "DATA_M").name_en = "Data \u202eplus"
        session.commit()
    _at(end - timedelta(days=3), lambda: jobs.run_pass(sqlite_url))
    (mail,) = mailbox.to(user.email)
    body = mail.get_content()
    assert "\u2068Data \u202eplus\u2069" in body
    assert body.count("\u2068") == body.count("\u2069") == 1


def test_a_renewal_starts_the_next_periods_reminders(sqlite_url, mailbox):
    end = _expiry()
    user, line = _customer_with_line(sqlite_url, valid_until=end)
    _at(end - timedelta(days=7), lambda: jobs.run_pass(sqlite_url))
    renewed = end + timedelta(days=30)
    with Session(db.engine(sqlite_url)) as session:
        row = session.get(EsimLine, line.id)
        row.valid_until = renewed
        session.add(row)
        session.commit()
    # The old period's 3-day moment is no step of the new expiry.
    _at(end - timedelta(days=3), lambda: jobs.run_pass(sqlite_url))
    _at(renewed - timedelta(days=7), lambda: jobs.run_pass(sqlite_url))
    assert len(mailbox.to(user.email)) == 2
    assert len(_sms_to(user.phone)) == 2


@pytest.mark.parametrize(
    ("before", "step"),
    [
        (timedelta(days=8), None),
        (timedelta(days=7), "7d"),
        (timedelta(days=3, seconds=1), "7d"),
        (timedelta(days=3), "3d"),
        (timedelta(days=1), "1d"),
        (timedelta(seconds=1), "1d"),
        (timedelta(0), None),
        (-timedelta(hours=23), None),
        (-timedelta(days=1), "lapsed"),
        (-timedelta(days=8), None),
    ],
)
def test_step_due_at_each_moment_before_the_end(before, step):
    end = _expiry()
    assert reminders.due_step(end, end - before) == step


def _queued_mail(url: str, recipient: str) -> int:
    with Session(db.engine(url), expire_on_commit=False) as session:
        row = notifications.email(
            session, user_id=None, recipient=recipient, subject="Outbox", body="hello"
        )
        session.commit()
        return row.id


def _row(url: str, notification_id: int) -> Notification:
    with Session(db.engine(url)) as session:
        return session.get(Notification, notification_id)


def test_refused_twice_then_delivered_exactly_once(sqlite_url, mailbox):
    nid = _queued_mail(sqlite_url, "retry@example.com")
    mailbox.refuse_next = 2
    t0 = clock.now()
    _at(t0, lambda: jobs.send_outbox(sqlite_url))
    first = _row(sqlite_url, nid)
    assert (first.status, first.attempts) == ("queued", 1)
    assert first.next_attempt_at == t0 + notifications.RETRY_DELAYS[0]
    _at(t0 + timedelta(seconds=30), lambda: jobs.send_outbox(sqlite_url))  # backing off
    assert _row(sqlite_url, nid).attempts == 1
    t1 = t0 + notifications.RETRY_DELAYS[0]
    _at(t1, lambda: jobs.send_outbox(sqlite_url))
    assert (_row(sqlite_url, nid).status, _row(sqlite_url, nid).attempts) == ("queued", 2)
    t2 = t1 + notifications.RETRY_DELAYS[1]
    _at(t2, lambda: jobs.send_outbox(sqlite_url))
    _at(t2 + timedelta(hours=3), lambda: jobs.send_outbox(sqlite_url))
    done = _row(sqlite_url, nid)
    assert (done.status, done.attempts) == ("sent", 3)
    assert len(mailbox.to("retry@example.com")) == 1


def test_a_mail_that_keeps_failing_is_marked_failed(sqlite_url, mailbox):
    nid = _queued_mail(sqlite_url, "never@example.com")
    mailbox.refuse_next = notifications.MAX_ATTEMPTS + 1
    moment = clock.now()
    for _ in range(notifications.MAX_ATTEMPTS + 2):
        _at(moment, lambda: jobs.send_outbox(sqlite_url))
        moment += notifications.RETRY_DELAYS[-1]
    row = _row(sqlite_url, nid)
    assert (row.status, row.attempts) == ("failed", notifications.MAX_ATTEMPTS)
    assert "451" in row.last_error
    assert mailbox.to("never@example.com") == []


def test_a_row_left_sending_by_a_dead_sender_is_sent_after_its_lease(sqlite_url, mailbox):
    nid = _queued_mail(sqlite_url, "lease@example.com")
    t0 = clock.now()
    with Session(db.engine(sqlite_url)) as session:  # a sender claimed it, then died
        row = session.get(Notification, nid)
        row.status, row.attempts, row.lease_until = "sending", 1, t0 + notifications.LEASE
        session.add(row)
        session.commit()
    _at(t0 + timedelta(minutes=1), lambda: jobs.send_outbox(sqlite_url))
    assert mailbox.to("lease@example.com") == []
    _at(t0 + notifications.LEASE + timedelta(seconds=1), lambda: jobs.send_outbox(sqlite_url))
    assert len(mailbox.to("lease@example.com")) == 1
    assert _row(sqlite_url, nid).status == "sent"


def test_outbox_never_sends_a_redacted_message(sqlite_url, mailbox):
    with Session(db.engine(sqlite_url), expire_on_commit=False) as session:
        row = notifications.email(
            session,
            user_id=None,
            recipient="secret@example.com",
            subject="Reset",
            body="link: [hidden]",
            redacted=True,
        )
        session.commit()
    t0 = clock.now()
    _at(t0, lambda: jobs.send_outbox(sqlite_url))
    _at(t0 + notifications.LEASE * 2, lambda: jobs.send_outbox(sqlite_url))
    assert mailbox.to("secret@example.com") == []
    assert _row(sqlite_url, row.id).status == "failed"  # listed for admins, never resent


def test_unpaid_order_past_its_window_is_expired(sqlite_url):
    from heyon_app.services.fulfilment import EXPIRE_AFTER

    _, line = _customer_with_line(sqlite_url, valid_until=_expiry())
    with Session(db.engine(sqlite_url), expire_on_commit=False) as session:
        row = session.get(EsimLine, line.id)
        old = factories.order(
            session,
            line=row,
            status="pending",
            with_intent=False,
            created_at=clock.now() - EXPIRE_AFTER - timedelta(minutes=1),
        )
        fresh = factories.order(session, line=row, status="pending", with_intent=False)
        session.commit()
    report = jobs.run_pass(sqlite_url)
    assert report["reconcile"]["expired"] == 1
    with Session(db.engine(sqlite_url)) as session:
        assert session.get(Order, old.id).status == "expired"
        assert session.get(Order, fresh.id).status == "pending"


def _held_once(function: Callable, *, after: bool) -> Callable:
    """`function`, but each thread's first call waits (before or after it runs) for the
    other thread's (a call that waits in vain, because the other is blocked on a lock,
    goes on after 2 s)."""
    barrier = threading.Barrier(2, timeout=2)
    seen = threading.local()

    def hold() -> None:
        if not getattr(seen, "done", False):
            seen.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()

    def held(*args, **kwargs):
        if not after:
            hold()
        result = function(*args, **kwargs)
        if after:
            hold()
        return result

    return held


def _two_workers_at_once(url: str, mailbox, monkeypatch) -> None:
    end = _expiry()
    people = [_customer_with_line(url, valid_until=end)[0] for _ in range(3)]
    # Both workers list the same due lines before either records one, and both have listed
    # the queued messages before either claims one.
    monkeypatch.setattr(reminders, "due_reminders", _held_once(reminders.due_reminders, after=True))
    monkeypatch.setattr(notifications, "_claim", _held_once(notifications._claim, after=False))
    with clock.freeze(end - timedelta(days=7)):
        run_at_once(lambda: jobs.run_pass(url))
    for user in people:
        assert len(mailbox.to(user.email)) == 1
        assert len(_sms_to(user.phone)) == 1
    with Session(db.engine(url)) as session:
        sent = session.exec(
            select(Notification).where(col(Notification.recipient).in_([p.email for p in people]))
        ).all()
        assert [n.status for n in sent] == ["sent"] * 3
        assert [n.attempts for n in sent] == [1] * 3


def test_two_workers_at_once_send_each_reminder_once_on_sqlite(sqlite_url, mailbox, monkeypatch):
    _two_workers_at_once(sqlite_url, mailbox, monkeypatch)


def test_two_workers_at_once_send_each_reminder_once_on_postgresql(pg_url, mailbox, monkeypatch):
    _two_workers_at_once(_fresh_db(pg_url), mailbox, monkeypatch)


def _worker_env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db.migrate(url)
    return {**os.environ, "DB_URL": url, "REFLEX_DB_URL": url}


def test_once_runs_one_pass_and_exits(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "heyon_app.jobs", "run", "--once"],
        cwd=ROOT,
        env=_worker_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "'reminders': 0" in done.stdout


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_loop_stops_cleanly_on_a_signal(tmp_path, signum):
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "heyon_app.jobs", "run", "--interval", "0.2"],
            cwd=ROOT,
            env=_worker_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_for(lambda: log.read_text().count("worker pass:") >= 2, timeout=30)
        proc.send_signal(signum)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "worker stopped" in log.read_text()


def test_reminders_follow_the_customers_choices(sqlite_url, mailbox):
    end = _expiry()
    user, line = _customer_with_line(sqlite_url, valid_until=end)
    with Session(db.engine(sqlite_url)) as session:
        reminders.set_preference(session, user_id=user.id, option="sms", on=False)
        reminders.set_preference(session, user_id=user.id, option="7d", on=False)
        session.commit()
    _at(end - timedelta(days=7), lambda: jobs.run_pass(sqlite_url))
    assert mailbox.to(user.email) == []  # no 7-day reminder wanted
    _at(end - timedelta(days=3), lambda: jobs.run_pass(sqlite_url))
    assert len(mailbox.to(user.email)) == 1
    assert _sms_to(user.phone) == []  # mail only
    with Session(db.engine(sqlite_url)) as session:
        assert reminders.preferences(session, user_id=user.id) == {
            "email": True,
            "sms": False,
            "7d": False,
            "3d": True,
            "1d": True,
            "lapsed": True,
        }


def test_an_unknown_reminder_option_is_refused_and_changes_nothing(sqlite_url):
    user, _ = _customer_with_line(sqlite_url, valid_until=_expiry())
    with Session(db.engine(sqlite_url)) as session:
        with pytest.raises(UserError) as err:
            reminders.set_preference(session, user_id=user.id, option="weekly", on=False)
        assert err.value.key == "reminder.prefs.unknown"
        assert all(reminders.preferences(session, user_id=user.id).values())


def test_first_choices_saved_from_two_tabs_at_once_both_count(pg_url):
    url = _fresh_db(pg_url)
    user, _ = _customer_with_line(url, valid_until=_expiry())

    def switch(option: str) -> Callable[[], None]:
        def work() -> None:
            with db.session_scope(url) as session:
                reminders.set_preference(session, user_id=user.id, option=option, on=False)

        return work

    work = iter([switch("sms"), switch("lapsed")])
    run_at_once(lambda: next(work)())
    with Session(db.engine(url)) as session:
        prefs = reminders.preferences(session, user_id=user.id)
    assert (prefs["sms"], prefs["lapsed"], prefs["email"]) == (False, False, True)
