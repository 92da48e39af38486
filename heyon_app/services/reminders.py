"""Renewal reminders: 7, 3 and 1 days before a line ends and the day after it lapsed, by
mail and SMS in the customer's language, each exactly once per line, expiry date, step
and channel however many workers run (a unique row, not timing). Customers choose in
their account which steps and channels they want."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from heyon_app import clock, routes
from heyon_app.db import insert_once
from heyon_app.i18n import name_in, translate
from heyon_app.models import EsimLine, Package, Reminder, ReminderPreference, User
from heyon_app.services import notifications
from heyon_app.services.errors import UserError
from heyon_app.settings import settings

# (step, from how long before the end it is due); each step lasts until the next one, so
# a worker that was down for a day sends the step now due, not a missed earlier one.
STEPS = (
    ("7d", timedelta(days=7)),
    ("3d", timedelta(days=3)),
    ("1d", timedelta(days=1)),
)
LAPSED_AFTER = timedelta(days=1)
# A line lapsed longer ago than this gets no more reminders (nor, at launch, a first one).
LAPSED_UNTIL = timedelta(days=8)
CHANNELS = ("email", "sms")
# What a customer can switch off, and the preference column of each.
OPTIONS = {
    "email": "email",
    "sms": "sms",
    "7d": "before_7d",
    "3d": "before_3d",
    "1d": "before_1d",
    "lapsed": "lapsed",
}


def preferences(session: Session, *, user_id: int) -> dict[str, bool]:
    """The customer's choices by option (channels and steps); all on until changed."""
    row = session.get(ReminderPreference, user_id) or ReminderPreference(user_id=user_id)
    return {option: bool(getattr(row, column)) for option, column in OPTIONS.items()}


def set_preference(session: Session, *, user_id: int, option: str, on: bool) -> dict[str, bool]:
    """Switch one option on or off; the customer's choices after the change."""
    if option not in OPTIONS:
        raise UserError("reminder.prefs.unknown")
    # Two tabs saving a first choice at once: one creates the row, both then update it.
    insert_once(session, ReminderPreference(user_id=user_id), unique="user_id")
    row = session.exec(
        select(ReminderPreference)
        .where(ReminderPreference.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    setattr(row, OPTIONS[option], bool(on))
    row.updated_at = clock.now()
    session.add(row)
    session.flush()
    return preferences(session, user_id=user_id)


def due_step(valid_until: datetime | None, now: datetime) -> str | None:
    """The reminder step due for a line ending at `valid_until`, or None."""
    if valid_until is None:
        return None
    left = valid_until - now
    for index, (step, before) in enumerate(STEPS):
        later = STEPS[index + 1][1] if index + 1 < len(STEPS) else timedelta(0)
        if later < left <= before:
            return step
    if -LAPSED_UNTIL < left <= -LAPSED_AFTER:
        return "lapsed"
    return None


@dataclass(frozen=True)
class Due:
    line_id: int
    step: str


def due_reminders(session: Session) -> list[Due]:
    """Lines with a step due now (some may have been sent already: `queue_reminder` knows)."""
    now = clock.now()
    lines = session.exec(
        select(EsimLine)
        .where(
            col(EsimLine.valid_until) > now - LAPSED_UNTIL,
            col(EsimLine.valid_until) <= now + STEPS[0][1],
        )
        .order_by(EsimLine.id)
    ).all()
    found = []
    for line in lines:
        step = due_step(line.valid_until, now)
        if step is not None:
            found.append(Due(line_id=line.id, step=step))
    return found


def queue_reminder(session: Session, *, line_id: int) -> list[int]:
    """Record the reminder now due for the line (one per channel) and its outbox messages,
    in the caller's transaction; the ids of the messages this call created (none when
    another worker, or an earlier run, has them). The step is re-read from the line, so a
    renewal committed meanwhile is respected."""
    line = session.get(EsimLine, line_id)
    if line is None or line.valid_until is None:
        return []
    step = due_step(line.valid_until, clock.now())
    user = session.get(User, line.user_id)
    if step is None or user is None:
        return []
    wanted = preferences(session, user_id=user.id)
    if not wanted[step]:
        return []
    created = []
    for channel in CHANNELS:
        if not wanted[channel]:
            continue
        recipient = user.email if channel == "email" else user.phone
        if not recipient:
            continue
        claimed = insert_once(
            session,
            Reminder(line_id=line.id, valid_until=line.valid_until, step=step, channel=channel),
            unique=("line_id", "valid_until", "step", "channel"),
        )
        if not claimed:
            continue
        message = _queue_message(session, user=user, line=line, step=step, channel=channel)
        session.execute(
            update(Reminder)
            .where(
                col(Reminder.line_id) == line.id,
                col(Reminder.valid_until) == line.valid_until,
                col(Reminder.step) == step,
                col(Reminder.channel) == channel,
            )
            .values(notification_id=message)
        )
        created.append(message)
    return created


def _queue_message(session: Session, *, user: User, line: EsimLine, step: str, channel: str) -> int:
    loc = user.locale
    package = session.get(Package, line.package_id) if line.package_id else None
    params = dict(
        number=line.number,
        package=name_in(package, loc),
        until=clock.local_date(line.valid_until),
        when=translate(f"reminder.{step}.when", loc),
        link=settings.public_url + routes.renew_url(line.id),
    )
    if channel == "email":
        row = notifications.email(
            session,
            user_id=user.id,
            recipient=user.email,
            subject=translate(f"reminder.{step}.subject", loc, **params),
            body=translate("reminder.mail.body", loc, **params),
        )
    else:
        row = notifications.sms(
            session,
            user_id=user.id,
            recipient=user.phone,
            body=translate("reminder.sms", loc, **params),
        )
    assert row.id is not None
    return row.id
