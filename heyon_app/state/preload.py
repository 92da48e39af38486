"""The dashboard's data as the websocket would deliver it, for a plain HTTP request.

A cold load of the dashboard waits ~250 ms for its JavaScript, then for the websocket's
hydrate and the loader's answer before it can draw the card. The page's <head> asks for
this delta over HTTP instead, while the JavaScript loads (components/preload.py), and the
page applies it as it mounts. It is made by the dashboard's own loader on a throwaway
state tree, so it holds exactly what the websocket's loader sends a moment later; that
one still runs, keeps the server's state for the tab, and its values replace these.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.constants.state import FIELD_MARKER

from heyon_app.i18n import SUPPORTED_LOCALES
from heyon_app.state.base import AppState
from heyon_app.state.dashboard import DashboardState

# The browser has the token already; the answer does not carry it back.
_TOKEN_FIELD = "auth_token" + FIELD_MARKER


async def dashboard_delta(token: str, locale: str) -> dict[str, dict[str, Any]] | None:
    """The state delta of a dashboard load by the tab holding `token` and showing `locale`,
    or None when `token` is no live session (the page's loader redirects to the login)."""
    root = rx.State(_reflex_internal_init=True)
    page = await root.get_state(DashboardState)
    page.auth_token = token
    if locale in SUPPORTED_LOCALES:
        page.locale = locale
    if await page.load() is not None:
        return None
    delta = await root._get_resolved_delta()
    delta.get(AppState.get_full_name(), {}).pop(_TOKEN_FIELD, None)
    return delta


def loaded_flag() -> tuple[str, str]:
    """Where the browser sees that the websocket's loader has delivered the page already:
    (the dashboard state's name, its `loaded` field)."""
    return DashboardState.get_full_name(), "loaded" + FIELD_MARKER
