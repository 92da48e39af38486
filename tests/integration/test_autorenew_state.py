"""The dashboard's auto-renew handlers on one tab, against the local Stripe server: a card
is on only once Stripe says the SetupIntent this tab started saved it; the page's word
alone switches nothing on.

The handlers run on a stand-in for the tab's state, so no app needs to be served."""

from __future__ import annotations

import re

from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.models import AutoRenewal
from heyon_app.services import accounts
from heyon_app.state.autorenew import AutoRenewState
from tests import factories
from tests.concurrency import Tab, run_coroutine
from tests.integration.test_autorenew import PASSES, _confirm_setup


def _tab(token: str, line_id: int) -> Tab:
    """The tab of a customer who opened the card form of one line's switch, in Chinese."""
    return Tab(AutoRenewState, auth_token=token, locale="zh-CN", _line_id=line_id, editing=True)


def _zh(key: str) -> str:
    return translate(key, "zh-CN")


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
    tab = _tab(token, line_id)
    run_coroutine(tab.handle("card_returned", {"status": "done"}))
    assert (tab.enabled, tab.error) == (False, "")  # no SetupIntent started here: ignored
    with session_scope() as session:
        assert session.get(AutoRenewal, line_id) is None


def test_a_card_stripe_did_not_save_is_not_switched_on(stripe_db):
    token, line_id = _customer()
    tab = _tab(token, line_id)
    run_coroutine(tab.handle("save_card"))
    assert tab._setup_intent_id.startswith("seti_")
    run_coroutine(tab.handle("card_returned", {"status": "done"}))  # a lie: not confirmed
    assert (tab.enabled, tab.error, tab.busy) == (False, _zh("autorenew.error.not_saved"), False)
    with session_scope() as session:
        assert session.get(AutoRenewal, line_id) is None


def test_a_saved_card_switches_auto_renew_on_and_off(stripe_db):
    token, line_id = _customer()
    tab = _tab(token, line_id)
    script = run_coroutine(tab.handle("save_card"))[-1]
    assert _confirm_setup(_secret_in(script), PASSES)["status"] == "succeeded"
    run_coroutine(tab.handle("card_returned", {"status": "done"}))
    assert (tab.enabled, tab.card, tab.editing, tab.notice) == (
        True,
        "Visa •••• 4242",
        False,
        _zh("autorenew.saved"),
    )
    run_coroutine(tab.handle("switch_off"))
    assert (tab.enabled, tab.notice) == (False, _zh("autorenew.switched_off"))
    with session_scope() as session:
        assert session.get(AutoRenewal, line_id).enabled is False


def test_a_declined_card_says_so_and_switches_nothing_on(stripe_db):
    token, line_id = _customer()
    tab = _tab(token, line_id)
    run_coroutine(tab.handle("save_card"))
    run_coroutine(tab.handle("card_returned", {"status": "error", "code": "card_declined"}))
    assert (tab.enabled, tab.error, tab.busy) == (False, _zh("checkout.error.card_declined"), False)


def test_another_customers_line_is_refused(stripe_db):
    token, _ = _customer()
    _, someone_elses = _customer()
    tab = _tab(token, someone_elses)
    run_coroutine(tab.handle("save_card"))
    assert (tab.error, tab._setup_intent_id) == (_zh("checkout.error.no_line"), "")
    run_coroutine(tab.handle("switch_off"))
    assert tab.error == _zh("checkout.error.no_line")
