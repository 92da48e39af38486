"""Scaled-out mode: what a customer's in-app navigation reads of the tab's state in Redis.

Every navigation sets the login token and the language (local storage) on AppState, the
parent of every page's state. Reflex read and unpickled all of AppState's substates to do
that, the admin pages' among them (heyon_app/state_managers.py). Runs with
HEYON_TEST_BACKEND=pg-redis (make test's second pass).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import redis
from playwright.sync_api import expect

from heyon_app import clock, security
from heyon_app.db import session_scope
from heyon_app.state.admin.base import AdminState
from heyon_app.state.base import AppState
from heyon_app.state.checkout import CheckoutState
from tests import factories
from tests.browser.conftest import VIEWPORTS, log_in
from tests.browser.test_checkout_flow import PASSWORD


class _StateReads:
    """The state keys one tab's events read from Redis (MGET), by state name, from Redis's
    MONITOR stream while on."""

    def __init__(self, url: str, token: str) -> None:
        self._url = url
        self._prefix = f"{token}_"
        self._end = f"{token}_end-of-reads"
        self.names: list[str] = []
        self._monitor = redis.Redis.from_url(url).monitor()
        self._thread = threading.Thread(target=self._listen, daemon=True)

    def _listen(self) -> None:
        for command in self._monitor.listen():
            words = command["command"].split(" ")
            if words == ["GET", self._end]:
                return
            if words[0] == "MGET":
                self.names += [
                    w.removeprefix(self._prefix)
                    for w in words[1:]
                    if w != w.removeprefix(self._prefix)
                ]

    def __enter__(self) -> _StateReads:
        self._monitor.__enter__()  # MONITOR is on when this returns
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        # A command of its own marks the end: the stream has delivered everything before it.
        with redis.Redis.from_url(self._url) as other:
            other.get(self._end)
        self._thread.join(timeout=10)
        self._monitor.__exit__(*exc)
        assert not self._thread.is_alive(), "Redis's MONITOR stream never showed the end"


def test_a_navigation_reads_its_pages_states_not_every_page_below_app_state(
    browser, app_url, pg_redis
):
    with session_scope() as session:
        user = factories.customer(session, password_hash=security.hash_password(PASSWORD))
        line = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=5))
        email, line_id = user.email, line.id
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    page = context.new_page()
    page.app_url = app_url
    log_in(page, email, PASSWORD)
    token = page.evaluate("sessionStorage.getItem('token')")

    with _StateReads(pg_redis.url, token) as reads:
        page.locator("#renew-button").click()
        expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()
        page.wait_for_url(f"**/renew?line={line_id}")

    read = set(reads.names)
    # The navigation did read: its token and language were set on AppState, the renewal
    # review's loader ran in its own state.
    assert AppState.get_full_name() in read
    assert CheckoutState.get_full_name() in read
    other_pages = {
        state.get_full_name()
        for state in AppState.get_substates()
        if state is not CheckoutState and not issubclass(state, CheckoutState)
    }
    assert AdminState.get_full_name() in other_pages
    assert not read & other_pages, f"read other pages' states: {sorted(read & other_pages)}"
    context.close()
