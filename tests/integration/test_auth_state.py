"""The auth handlers on a real Reflex state tree: off the event loop, and log out forgets all."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from contextlib import contextmanager

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import select

from heyon_app import db
from heyon_app.models import ThrottleEvent
from heyon_app.services import accounts
from heyon_app.settings import settings
from heyon_app.state import auth, base, offloop
from heyon_app.state.activation import ActivationState
from heyon_app.state.auth import AuthFormState
from heyon_app.state.base import AppState
from heyon_app.state.dashboard import DashboardState
from heyon_app.state.orders import OrdersState
from heyon_app.state.support import SupportState
from tests.concurrency import run_coroutine

PASSWORD = "Harbor-lantern-3317"


def _tab(*, peer: str = "203.0.113.100", forwarded_for: str = "") -> rx.State:
    """A fresh browser tab's state tree, as the app would hold it."""
    root = rx.State(_reflex_internal_init=True)
    headers = {"asgi-scope-client": peer}
    if forwarded_for:
        headers["x-forwarded-for"] = forwarded_for
    root.router = RouterData.from_router_data({"headers": headers, "ip": peer})
    return root


def _customer(email: str) -> str:
    with db.session_scope() as s:
        user = accounts.register(s, email=email, phone="13800138555", password=PASSWORD)
        return accounts.open_session(s, user)


async def _settle(outcome):
    """Run a handler's outcome the way Reflex does, whether the handler is async or not."""
    if asyncio.iscoroutine(outcome):
        return await outcome
    return outcome


async def _logged_in(root: rx.State, email: str) -> AuthFormState:
    state = await root.get_state(AuthFormState)
    await _settle(state.log_in({"email": email, "password": PASSWORD}))
    assert state.error == "" and state.auth_token
    return state


HANDLERS = [
    (AuthFormState, "log_in", {"email": "{email}", "password": PASSWORD}),
    (
        AuthFormState,
        "register",
        {
            "email": "new-{email}",
            "phone": "13800138556",
            "password": PASSWORD,
            "password_repeat": PASSWORD,
        },
    ),
    (AuthFormState, "request_reset", {"email": "{email}"}),
    (AuthFormState, "reset_password", {"password": PASSWORD, "password_repeat": PASSWORD}),
    (
        AuthFormState,
        "change_password",
        {
            "current_password": PASSWORD,
            "password": PASSWORD + "x",
            "password_repeat": PASSWORD + "x",
        },
    ),
    (AppState, "require_login", None),
    (AppState, "require_admin", None),
    (AppState, "redirect_if_logged_in", None),
    (AppState, "switch_locale", None),
    (AppState, "log_out", None),
]


@pytest.mark.parametrize(("state_cls", "handler", "form"), HANDLERS, ids=[h[1] for h in HANDLERS])
def test_auth_handlers_leave_the_event_loop_free(app_db, monkeypatch, state_cls, handler, form):
    """Hashing, mail and database work happen in a thread while the loop serves others.

    Every such piece of work runs inside a database session; the gated session below
    only opens once a coroutine on the loop has run, which it can only do if the handler
    is not holding the loop.
    """
    email = f"loop-{handler}@example.com"
    token = _customer(email)
    form = form and {k: v.format(email=email) for k, v in form.items()}
    loop_ran = threading.Event()
    gated = []
    real_scope = db.session_scope

    @contextmanager
    def gated_scope(url=None):
        gated.append(loop_ran.wait(timeout=5))
        with real_scope(url) as session:
            yield session

    monkeypatch.setattr(auth, "session_scope", gated_scope)
    monkeypatch.setattr(base, "session_scope", gated_scope)
    monkeypatch.setattr(offloop, "session_scope", gated_scope)

    async def other_users_work():
        loop_ran.set()

    async def scenario():
        state = await _tab().get_state(state_cls)
        state.auth_token = token
        outcome = getattr(state, handler)(*([form] if form is not None else []))
        if asyncio.iscoroutine(outcome):
            await asyncio.gather(outcome, other_users_work())

    run_coroutine(scenario())
    assert gated and all(gated), f"{handler} blocked the event loop"


def test_log_out_forgets_every_page_of_the_tab_but_the_language(app_db):
    _customer("shared-tab@example.com")

    async def scenario():
        root = _tab()
        state = await _logged_in(root, "shared-tab@example.com")
        state.locale = "en"
        # What the previous customer's pages held.
        (await root.get_state(DashboardState)).lines = [{"id": "1", "number": "+8617100000001"}]
        (await root.get_state(DashboardState)).card = {"number": "+8617100000001"}
        (await root.get_state(OrdersState)).orders = [{"id": "7"}]
        (await root.get_state(SupportState)).tickets = [{"id": "3"}]
        (await root.get_state(ActivationState)).full_code = "LPA:1$smdp$SECRET"
        await _settle(state.log_out())
        app_state = await root.get_state(AppState)
        assert (app_state.auth_token, app_state.user_email, app_state._user_id) == ("", "", 0)
        assert app_state.locale == "en"
        for state_cls in (DashboardState, OrdersState, SupportState, ActivationState):
            tab_state = await root.get_state(state_cls)
            for name, field in state_cls.__fields__.items():
                if field._owner is state_cls:
                    assert getattr(tab_state, name) == field.default_value(), (state_cls, name)

    run_coroutine(scenario())


def test_login_failures_count_the_address_our_proxy_vouches_for(app_db, monkeypatch):
    _customer("behind-proxy@example.com")
    monkeypatch.setattr(base, "settings", dataclasses.replace(settings, trusted_proxy_hops=1))

    async def scenario():
        root = _tab(peer="10.0.0.2", forwarded_for="6.6.6.6, 198.51.100.77")
        state = await root.get_state(AuthFormState)
        await _settle(
            state.log_in({"email": "behind-proxy@example.com", "password": "wrong-password"})
        )

    run_coroutine(scenario())
    with db.session_scope() as s:
        (event,) = s.exec(
            select(ThrottleEvent).where(ThrottleEvent.account == "behind-proxy@example.com")
        )
    assert event.address == "198.51.100.77"
