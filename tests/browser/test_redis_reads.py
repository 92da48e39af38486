"""Scaled-out mode: what a customer's in-app navigation reads of the tab's state in Redis.

Every navigation sets the login token and the language (local storage) on AppState, the
parent of every page's state. Reflex read and unpickled all of AppState's substates to do
that, the admin pages' among them, in a request of its own (heyon_app/state_managers.py). Runs with
HEYON_TEST_BACKEND=pg-redis (make test's second pass).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import redis
from playwright.sync_api import expect
from reflex.state import State

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.state.admin.base import AdminState
from heyon_app.state.base import AppState
from heyon_app.state.checkout import CheckoutState
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_checkout_flow import PASSWORD


class _StateReads:
    """The state keys one tab's events read from Redis (MGET), by state name, from Redis's
    MONITOR stream while on."""

    def __init__(self, url: str, token: str) -> None:
        self._url = url
        self._prefix = f"{token}_"
        self._end = f"{token}_end-of-reads"
        self.requests: list[list[str]] = []  # the state names of each MGET
        self._monitor = redis.Redis.from_url(url).monitor()
        self._thread = threading.Thread(target=self._listen, daemon=True)

    def _listen(self) -> None:
        for command in self._monitor.listen():
            words = command["command"].split(" ")
            if words == ["GET", self._end]:
                return
            names = [w.removeprefix(self._prefix) for w in words[1:]]
            if words[0] == "MGET" and names != words[1:]:  # this tab's
                self.requests.append(names)

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
    open_page, app_url, pg_redis
):
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        line = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=5))
        email, line_id = user.email, line.id
    page = open_page(app_url, timeout_ms=30_000)
    log_in(page, email, PASSWORD)
    token = page.evaluate("sessionStorage.getItem('token')")

    with _StateReads(pg_redis.url, token) as reads:
        page.locator("#renew-button").click()
        expect(page.locator("#card-element input[placeholder=number]")).to_be_visible()
        page.wait_for_url(f"**/renew?line={line_id}")

    read = {name for names in reads.requests for name in names}
    # The navigation did read: its token and language were set on AppState, the renewal
    # review's loader ran in its own state.
    assert AppState.get_full_name() in read
    assert CheckoutState.get_full_name() in read
    other_pages = {
        state.get_full_name()
        for state in AppState.get_substates()
        if not issubclass(state, CheckoutState)
    }
    assert AdminState.get_full_name() in other_pages
    assert not read & other_pages, f"read other pages' states: {sorted(read & other_pages)}"
    # AppState (where the token and language are set) is read with the root, in the
    # request that takes the event's lock, never in a request of its own after it.
    with_app_state = [names for names in reads.requests if AppState.get_full_name() in names]
    assert all(State.get_full_name() in names for names in with_app_state), with_app_state
