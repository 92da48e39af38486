"""The dashboard's data requested over HTTP while the page's JavaScript loads.

On a cold load the dashboard's JavaScript takes ~250 ms to arrive and run; only then does
the websocket carry the hydrate and the loader's answer, and the card appears at ~1.7x the
time a blank Reflex app needs to open its websocket. A small script in every page's <head>
asks for the same data (routes.DASHBOARD_PRELOAD, built by the loader itself in
state/preload.py) as soon as the HTML is parsed, when the page is the dashboard and the
browser holds a login; the page applies the answer as it mounts. Anything but a 200 (no
login, a revoked session, the database down) is ignored: the websocket's loader then
draws the page, or sends the customer to the login, as without it.
"""

from __future__ import annotations

import json
from string import Template

import reflex as rx

from heyon_app import routes
from heyon_app.state.base import LOCALE_KEY, SESSION_KEY
from heyon_app.state.preload import loaded_flag

_REQUEST = Template("""(() => {
  try {
    const token = localStorage.getItem($session);
    if (location.pathname !== $page || !token) return;
    window.__heyonPreload = fetch($url, {
      headers: { Authorization: "Bearer " + token, "X-Heyon-Locale": localStorage.getItem($locale) || "" },
      cache: "no-store",
    }).then((r) => (r.ok ? r.json() : null), () => null);
  } catch (e) {}
})();""")


def head_script() -> rx.Component:
    """For the app's head: starts the request before any module script runs."""
    return rx.el.script(
        _REQUEST.substitute(
            session=json.dumps(SESSION_KEY),
            locale=json.dumps(LOCALE_KEY),
            page=json.dumps(routes.DASHBOARD),
            url=json.dumps(routes.DASHBOARD_PRELOAD),
        )
    )


class _ApplyPreload(rx.Component):
    library = "$/public/heyon_preload.js"
    tag = "ApplyPreload"
    page: rx.Var[str]
    flag: rx.Var[str]


def apply_preload() -> rx.Component:
    """For the dashboard page, outside anything shown conditionally: it must mount with
    the page to apply the answer."""
    page, flag = loaded_flag()
    return _ApplyPreload.create(page=page, flag=flag)
