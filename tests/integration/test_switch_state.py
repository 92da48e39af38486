"""Every on/off switch as the socket delivers it: only what a switch sends for on turns
anything on; "false", "0" and other values no switch sends are refused with the translated
message and change nothing (the string "false" is true to Python)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import delete

from heyon_app import db
from heyon_app.i18n import translate
from heyon_app.models import Package, Promotion
from heyon_app.services import accounts, reminders
from heyon_app.state.admin.packages import PackagesAdminState
from heyon_app.state.admin.promotions import PromotionsState
from heyon_app.state.reminders import ReminderPrefsState
from tests import factories
from tests.concurrency import run_coroutine

NO_SWITCH_SENDS = ["false", "0", "off", "true", "1", 0, 1, None, ""]


def _flip(state_cls: type[rx.State], token: str, row: str, on: object) -> rx.State:
    """The handler run on a tab of its own, as Reflex runs it for `switch(row, on)`."""

    async def run() -> rx.State:
        root = rx.State(_reflex_internal_init=True)
        root.router = RouterData.from_router_data({"headers": {}, "ip": "127.0.0.1"})
        state = await root.get_state(state_cls)
        state.auth_token, state.locale = token, "en"
        await state_cls.event_handlers["switch"].fn(state, row, on)
        return state

    return run_coroutine(run())


@pytest.fixture
def switched_off(app_db) -> Iterator[dict[str, str]]:
    """A package and a promotion of this test's own, both off (the shared catalogue's are
    left alone), removed afterwards."""
    tag = uuid.uuid4().hex[:8].upper()
    with db.session_scope() as session:
        package = Package(
            code=f"T_{tag}",
            name_zh=tag,
            name_en=tag,
            kind="data",
            period="month",
            price_minor=100,
            active=False,
        )
        promotion = Promotion(
            code=f"T{tag}", kind="promo_code", name_zh=tag, name_en=tag, percent_off=5
        )
        session.add_all([package, promotion])
        session.flush()
        rows = {"package": str(package.id), "promotion": str(promotion.id)}
    yield rows
    with db.session_scope() as session:
        session.exec(delete(Package).where(Package.id == int(rows["package"])))
        session.exec(delete(Promotion).where(Promotion.id == int(rows["promotion"])))


def _active(model: type[Package | Promotion], row: str) -> bool:
    with db.session_scope() as session:
        return session.get(model, int(row)).active


@pytest.mark.parametrize(
    ("state_cls", "model", "kind"),
    [(PackagesAdminState, Package, "package"), (PromotionsState, Promotion, "promotion")],
)
def test_an_admin_switch_turns_on_only_for_on(switched_off, state_cls, model, kind):
    token, row = factories.logged_in("admin"), switched_off[kind]
    for odd in NO_SWITCH_SENDS:
        state = _flip(state_cls, token, row, odd)
        assert not _active(model, row), odd
        assert state.error == translate("common.bad_request", "en"), odd
    assert _flip(state_cls, token, row, True).error == ""
    assert _active(model, row)
    assert _flip(state_cls, token, row, False).error == ""
    assert not _active(model, row)


def _email_reminders_on(token: str) -> bool:
    with db.session_scope() as session:
        user = accounts.user_for_token(session, token)
        return reminders.preferences(session, user_id=user.id)["email"]


def test_a_reminder_switch_changes_only_for_a_switchs_position(app_db):
    token = factories.logged_in("customer")
    for odd in NO_SWITCH_SENDS:
        state = _flip(ReminderPrefsState, token, "email", odd)
        assert (state.prefs_error, state.prefs_notice) == (
            translate("common.bad_request", "en"),
            "",
        ), odd
        assert _email_reminders_on(token), odd
    assert _flip(ReminderPrefsState, token, "email", False).prefs_error == ""
    assert not _email_reminders_on(token)
    assert _flip(ReminderPrefsState, token, "email", "on").prefs_error == ""
    assert _email_reminders_on(token)
