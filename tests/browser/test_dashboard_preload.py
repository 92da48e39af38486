"""The dashboard's first data arrives over HTTP while the page's JavaScript loads
(components/preload.py): with the websocket held back, the page still draws every field
the websocket's loader draws, from that answer alone, and a revoked session gets nothing."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from heyon_app import routes
from heyon_app.db import session_scope
from heyon_app.services import accounts
from heyon_app.state.base import SESSION_KEY
from tests.browser.conftest import DEMO, signed_in
from tests.browser.test_customer_pages import assert_demo_dashboard


def _hold_back_websocket(page) -> None:
    # Never connected to the backend: no hydrate, no loader, no delta reaches the page.
    page.route_web_socket(re.compile(r"/_event"), lambda ws: None)


def _preload_to_backend(page, backend_url: str, answers: list[int]) -> None:
    def forward(route):
        response = route.fetch(url=backend_url + routes.DASHBOARD_PRELOAD)
        answers.append(response.status)
        route.fulfill(response=response)

    page.route(f"**{routes.DASHBOARD_PRELOAD}", forward)


def test_dashboard_draws_its_data_from_the_preload_alone(page, backend_url):
    signed_in(page)
    answers: list[int] = []
    _hold_back_websocket(page)
    _preload_to_backend(page, backend_url, answers)
    page.reload()

    assert_demo_dashboard(page)
    assert answers == [200]


def test_a_revoked_session_gets_no_data_from_the_preload(page, backend_url):
    signed_in(page)
    token = page.evaluate(f"localStorage.getItem('{SESSION_KEY}')")
    with session_scope() as session:
        accounts.log_out(session, token)
    answers: list[int] = []
    _hold_back_websocket(page)
    _preload_to_backend(page, backend_url, answers)
    with page.expect_response(lambda r: routes.DASHBOARD_PRELOAD in r.url):
        page.reload()
    # The page has mounted and taken the answer; a frame later it would show what it applied.
    page.wait_for_function("() => window.__heyonPreload === undefined")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    assert answers == [401]
    expect(page.locator("#line-card")).to_have_count(0)
    expect(page.get_by_text(DEMO[0])).to_have_count(0)
