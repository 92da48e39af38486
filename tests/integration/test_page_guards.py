"""Every customer page turns a stranger away, and a customer's page load checks the session
once: the page's loader is its login guard (a separate guard event cost a second lookup)."""

from __future__ import annotations

import pytest
import reflex as rx

from heyon_app import db, routes
from heyon_app.heyon_app import app
from heyon_app.services import accounts
from tests import factories
from tests.concurrency import run_coroutine

PUBLIC = {"login", "register", "forgot-password", "reset-password"}
# The result page's loader is a background poll: its guard is a separate event.
GUARDED_APART = {"orders/result"}
CUSTOMER_PAGES = sorted(
    route
    for route in app._load_events
    if route not in PUBLIC and not route.startswith("admin") and route != "404"
)


def _redirect_path(outcome) -> str | None:
    specs = outcome if isinstance(outcome, list) else [outcome]
    for spec in specs:
        fn = getattr(getattr(spec, "handler", None), "fn", None)
        if fn is not None and fn.__qualname__ == "_redirect":
            return dict((k._js_expr, v._var_value) for k, v in spec.args)["path"]
    return None


async def _load_page(route: str, token: str):
    """Run the page's on_load handlers in a fresh tab, as Reflex does; the first outcome that
    is a redirect ends the load (Reflex would navigate away)."""
    root = rx.State(_reflex_internal_init=True)
    for handler in app._load_events[route]:
        state = await root.get_state(handler.state)
        state.auth_token = token
        if handler.is_background:
            continue
        outcome = await handler.fn(state)
        if _redirect_path(outcome):
            return _redirect_path(outcome)
    return None


def test_the_customer_pages_are_the_ones_expected():
    # A page added later is covered by the tests below without being listed here; this
    # only catches the list going empty by mistake.
    assert {"index", "renew", "orders", "account", "support", "packages"} <= set(CUSTOMER_PAGES)


@pytest.mark.parametrize("route", CUSTOMER_PAGES)
def test_a_stranger_is_sent_to_log_in(app_db, route):
    assert run_coroutine(_load_page(route, "not-a-session")) == routes.LOGIN
    assert run_coroutine(_load_page(route, "")) == routes.LOGIN


@pytest.mark.parametrize("route", sorted(set(CUSTOMER_PAGES) - GUARDED_APART))
def test_a_customer_page_load_checks_the_session_once(app_db, monkeypatch, route):
    token = _customer_with_a_line()
    lookups = []
    real = accounts.user_for_token

    def counted(session, raw_token):
        lookups.append(raw_token)
        return real(session, raw_token)

    monkeypatch.setattr(accounts, "user_for_token", counted)
    assert run_coroutine(_load_page(route, token)) is None
    assert lookups == [token]


def _customer_with_a_line() -> str:
    with db.session_scope() as session:
        user = factories.customer(session)
        factories.line(session, user=user)
        return accounts.open_session(session, user)
