"""Who may use the admin: generated from the app's own admin pages and event handlers, so
a page or handler added later is covered without anyone remembering to add it here."""

from __future__ import annotations

import inspect
import typing

import pytest
import reflex as rx
import sqlalchemy
from reflex.istate.data import RouterData
from sqlmodel import SQLModel

import heyon_app.pages.admin  # noqa: F401 - registers every admin page's state
from heyon_app import db, routes
from heyon_app.i18n import translate
from heyon_app.state.admin.base import AdminState
from heyon_app.state.base import AppState
from tests import catalogue, factories
from tests.concurrency import run_coroutine


def _admin_states() -> list[type[AdminState]]:
    found, pending = [], list(AdminState.get_substates())
    while pending:
        state_cls = pending.pop()
        found.append(state_cls)
        pending.extend(state_cls.get_substates())
    return sorted(found, key=lambda c: c.get_full_name())


def _own_handlers(state_cls: type[rx.State]) -> list[str]:
    inherited = set(AppState.event_handlers) | set(AdminState.event_handlers)
    return sorted(
        name
        for name in state_cls.event_handlers
        if name not in inherited and not name.startswith(("set_", "setvar"))
    )


HANDLERS = [(cls, name) for cls in _admin_states() for name in _own_handlers(cls)]


def _dummy(annotation) -> object:
    """A plausible argument of that type: the guard must refuse before looking at it."""
    origin = typing.get_origin(annotation) or annotation
    if origin in (int, float):
        return 1
    if origin is bool:
        return True
    if origin in (dict,):
        return {"id": "1", "reason": "x", "percent_off": "10", "answer": "hello there"}
    if origin in (list,):
        return []
    return "1"


def _arguments(state_cls: type[rx.State], name: str) -> list[object]:
    fn = state_cls.event_handlers[name].fn
    hints = typing.get_type_hints(fn)
    params = list(inspect.signature(fn).parameters.values())[1:]
    return [_dummy(hints.get(p.name, str)) for p in params]


def _fingerprint() -> dict[str, list]:
    """Every row of every table: a refused handler must change nothing at all."""
    with db.engine().connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(sqlalchemy.select(table)).all()), key=repr)
            for name, table in SQLModel.metadata.tables.items()
        }


def _token(role: str | None) -> str:
    return "" if role is None else factories.logged_in(role)


async def _call(state_cls, name: str, token: str) -> AdminState:
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"headers": {}, "ip": "127.0.0.1"})
    state = await root.get_state(state_cls)
    state.auth_token = token
    # The handler's function, as Reflex runs it (background events included).
    outcome = state_cls.event_handlers[name].fn(state, *_arguments(state_cls, name))
    if inspect.isasyncgen(outcome):
        async for _ in outcome:
            pass
    elif inspect.iscoroutine(outcome):
        await outcome
    return state


def test_every_admin_page_is_guarded_on_the_server():
    from heyon_app.heyon_app import app

    pages = app._unevaluated_pages
    for route, _label, _icon in routes.ADMIN_SECTIONS:
        page = pages[route.strip("/") or "index"]
        loaders = page.on_load if isinstance(page.on_load, list) else [page.on_load]
        assert loaders[0] is AppState.require_admin or loaders[0].fn is AppState.require_admin.fn, (
            route
        )


def test_the_admin_has_handlers_to_guard():
    assert len(HANDLERS) >= len(routes.ADMIN_SECTIONS)


@pytest.mark.parametrize("who", ["anonymous", "customer"])
@pytest.mark.parametrize(
    ("state_cls", "handler"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS]
)
def test_non_admins_are_refused_with_a_message_and_change_nothing(app_db, who, state_cls, handler):
    token = _token(None if who == "anonymous" else "customer")
    before = _fingerprint()
    state = run_coroutine(_call(state_cls, handler, token))
    assert _fingerprint() == before
    assert state.error == translate("common.forbidden", state.locale)


@pytest.fixture
def catalogue_restored(app_db):
    """An admin's dummy call (switching promotion 1 on, say) is undone after each test."""
    with catalogue.restored():
        yield


@pytest.mark.parametrize(
    ("state_cls", "handler"), HANDLERS, ids=[f"{c.__name__}.{n}" for c, n in HANDLERS]
)
def test_admins_are_let_through(app_db, catalogue_restored, state_cls, handler):
    state = run_coroutine(_call(state_cls, handler, _token("admin")))
    assert state.error != translate("common.forbidden", state.locale)
