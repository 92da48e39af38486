"""The dashboard's auto-renew handlers on one tab, against the local Stripe server: a card
is on only once Stripe says the SetupIntent this tab started saved it; the page's word
alone switches nothing on.

The handlers run on a stand-in for the tab's state, so no app needs to be served."""

from __future__ import annotations

import re
from typing import Any

from heyon_app.db import session_scope
from heyon_app.models import AutoRenewal
from heyon_app.services import accounts
from heyon_app.state.autorenew import AutoRenewState
from tests import factories
from tests.concurrency import run_coroutine
from tests.integration.test_autorenew import PASSES, _confirm_setup


class Tab:
    """The vars and helpers the auto-renew handlers use, on one tab."""

    _run = AutoRenewState._run
    _show = AutoRenewState._show
    _fail = AutoRenewState._fail
    _set_changed = AutoRenewState._set_changed

    def __init__(self, token: str, line_id: int, **values: Any) -> None:
        self.auth_token, self.locale = token, "zh-CN"
        self.enabled, self.card, self.editing, self.busy = False, "", True, False
        self.error = self.notice = ""
        self._line_id, self._setup_intent_id = line_id, ""
        self.__dict__.update(values)

    def _t(self, key: str, **_: object) -> str:
        return key

    # Background handlers lock the tab with `async with self`; one tab here, nothing to lock.
    async def __aenter__(self) -> Tab:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None


def _handler(name: str):
    return AutoRenewState.event_handlers[name].fn


async def _drain(gen) -> list:
    return [item async for item in gen]


def _customer() -> tuple[str, int]:
    with session_scope() as session:
        user = factories.customer(session)
        line = factories.line(session, user=user)
        return accounts.open_session(session, user), line.id


def _secret_in(script: object) -> str:
    """The client secret the handler hands to heyonPay.saveCard in the page."""
    found = re.search(r"saveCard\(.*?(seti_\w+_secret_\w+)", str(script))
    assert found, script
    return found.group(1)


def test_the_pages_word_alone_switches_nothing_on(stripe_db):
    token, line_id = _customer()
    tab = Tab(token, line_id)
    run_coroutine(_handler("card_returned")(tab, {"status": "done"}))
    assert (tab.enabled, tab.error) == (False, "")  # no SetupIntent started here: ignored
    with session_scope() as session:
        assert session.get(AutoRenewal, line_id) is None


def test_a_card_stripe_did_not_save_is_not_switched_on(stripe_db):
    token, line_id = _customer()
    tab = Tab(token, line_id)
    run_coroutine(_drain(_handler("save_card")(tab)))
    assert tab._setup_intent_id.startswith("seti_")
    run_coroutine(_handler("card_returned")(tab, {"status": "done"}))  # a lie: not confirmed
    assert (tab.enabled, tab.error, tab.busy) == (False, "autorenew.error.not_saved", False)
    with session_scope() as session:
        assert session.get(AutoRenewal, line_id) is None


def test_a_saved_card_switches_auto_renew_on_and_off(stripe_db):
    token, line_id = _customer()
    tab = Tab(token, line_id)
    script = run_coroutine(_drain(_handler("save_card")(tab)))[-1]
    assert _confirm_setup(_secret_in(script), PASSES)["status"] == "succeeded"
    run_coroutine(_handler("card_returned")(tab, {"status": "done"}))
    assert (tab.enabled, tab.card, tab.editing, tab.notice) == (
        True,
        "Visa •••• 4242",
        False,
        "autorenew.saved",
    )
    run_coroutine(_handler("switch_off")(tab))
    assert (tab.enabled, tab.notice) == (False, "autorenew.switched_off")
    with session_scope() as session:
        assert session.get(AutoRenewal, line_id).enabled is False


def test_a_declined_card_says_so_and_switches_nothing_on(stripe_db):
    token, line_id = _customer()
    tab = Tab(token, line_id)
    run_coroutine(_drain(_handler("save_card")(tab)))
    run_coroutine(_handler("card_returned")(tab, {"status": "error", "code": "card_declined"}))
    assert (tab.enabled, tab.error, tab.busy) == (False, "checkout.error.card_declined", False)


def test_another_customers_line_is_refused(stripe_db):
    token, _ = _customer()
    _, someone_elses = _customer()
    tab = Tab(token, someone_elses)
    run_coroutine(_drain(_handler("save_card")(tab)))
    assert (tab.error, tab._setup_intent_id) == ("checkout.error.no_line", "")
    run_coroutine(_handler("switch_off")(tab))
    assert tab.error == "checkout.error.no_line"
