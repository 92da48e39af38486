"""The real app in production mode, and Chromium driving it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from heyon_app import routes
from heyon_app.db import session_scope
from heyon_app.models import User
from heyon_app.services import accounts
from heyon_app.state.base import SESSION_KEY
from tests.concurrency import no_running_loop
from tests.conftest import ARTIFACTS, BACKEND, ROOT

if TYPE_CHECKING:
    from reflex.testing import AppHarnessProd

T = TypeVar("T")

# `make test` runs its two passes side by side on 2 cores (tests/both_passes.py): a page's
# data may take longer than Playwright's 5 s default for assertions, as the actions'
# timeout (15 s, below) already allows.
expect.set_options(timeout=15_000)

DEMO = ("demo@heyon.local", "Heyon-demo-2026")
ADMIN = ("admin@heyon.local", "Heyon-demo-2026")

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
# Each flow runs once, at 360 px (where most customers are); `snap` looks at the page it
# reached at every width: the pages' DOM is the same at both, only their CSS grids change
# columns. The PostgreSQL + Redis pass looks at 360 px only: layout does not depend on the
# backend.
SNAP_VIEWPORTS = list(VIEWPORTS) if BACKEND == "sqlite" else ["phone"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def app_harness(app_db: str, smtp_server, local_stripe: str) -> Iterator[AppHarnessProd]:
    """The app built and served in production mode; its backend runs in this process."""
    from reflex.testing import AppHarnessProd

    from heyon_app.services import stripe_gateway

    harness = AppHarnessProd.create(root=ROOT, app_name="heyon_app")
    # Not beside Playwright's loop: the app makes its Redis state manager as it starts, and
    # one made where a loop runs ties its lock-release listener to that loop, not to the
    # backend's (it ran only while Playwright did, and closing it failed).
    with no_running_loop():
        harness.start()
    try:
        assert harness.frontend_url is not None
        # The backend's port is known only now: point the local Stripe's webhook at it.
        stripe_gateway.register_local_webhook(_backend_url(harness) + stripe_gateway.WEBHOOK_PATH)
        yield harness
    finally:
        harness.stop()


def _backend_url(harness: AppHarnessProd) -> str:
    host, port = harness.backend.servers[0].sockets[0].getsockname()[:2]  # type: ignore[union-attr]
    return f"http://{host}:{port}"


@pytest.fixture(scope="session")
def app_url(app_harness: AppHarnessProd) -> str:
    return app_harness.frontend_url.rstrip("/")


@pytest.fixture(scope="session")
def backend_url(app_harness: AppHarnessProd) -> str:
    """The harness serves the pages and the backend on two ports, where `make run` and
    deploy/ serve one origin: a test that needs a page's relative /api/ request to reach
    the backend routes it there (see test_dashboard_preload)."""
    return _backend_url(app_harness)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def wait_in_page(page, check: Callable[[], T], timeout: float = 15.0) -> T:
    """`tests.concurrency.wait_for` for what Playwright's own callbacks record (websocket
    messages): it waits through the page, so Playwright delivers them meanwhile, where a
    sleep would hold them back. The check's last value, falsy if the time ran out."""
    deadline = time.monotonic() + timeout
    while not (value := check()) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return value


class ReadyHeld:
    """The page's websocket keeps back Reflex's "every on_load has run" message (its
    is_hydrated flag) from each page load until `release()`: what a page allows while
    its loader's answer is on the way."""

    _READY = re.compile(r'"is_hydrated_rx_state_":\s*true')

    def __init__(self, page) -> None:
        self.held: list[str] = []
        self._socket = None
        self._page = page
        page.route_web_socket(re.compile(r"/_event"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        self._socket, self.held = ws, []

        def to_page(message) -> None:
            if self.held is not None and self._READY.search(str(message)):
                self.held.append(message)
            else:
                ws.send(message)

        server.on_message(to_page)

    def release(self) -> None:
        """Lets the held message through (once it has come: it follows the loader's
        answer), and every later one of this page load."""
        wait_in_page(self._page, lambda: self.held)
        held, self.held = self.held, None
        assert held, "the page was not told it is ready"
        for message in held:
            self._socket.send(message)


@pytest.fixture
def open_page(browser):
    """Opens a tab of its own (a new browser context, at 360 px) on the app at `url`, as
    another customer's would be; every tab opened is closed when the test ends."""
    contexts = []

    def open_(url: str, *, timeout_ms: int = 15_000):
        context = browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
        contexts.append(context)
        context.set_default_timeout(timeout_ms)
        tab = context.new_page()
        tab.app_url = url  # type: ignore[attr-defined]
        return tab

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page, app_url: str):
    return open_page(app_url)


def at_each_width(page) -> Iterator[str]:
    """The page at each of `SNAP_VIEWPORTS` in turn (named as in VIEWPORTS), then back at
    360 px, where the test goes on."""
    try:
        for viewport in SNAP_VIEWPORTS:
            page.set_viewport_size(VIEWPORTS[viewport])
            yield viewport
    finally:
        page.set_viewport_size(VIEWPORTS["phone"])


# WCAG contrast of each visible, enabled button and link label against what is behind it.
_LOW_CONTRAST_JS = """
() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad = [];
  for (const el of document.querySelectorAll("a, button")) {
    const text = el.innerText.trim();
    if (!text || el.disabled || !el.offsetParent) continue;
    const fg = lum(rgb(getComputedStyle(el).color).slice(0, 3));
    const bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 3) bad.push(`${text.slice(0, 30)} (${ratio.toFixed(2)})`);
  }
  return bad;
}
"""


# WCAG 2.5.3 (label in name): a control with both a visible label and an aria-label must
# have an accessible name that contains the visible label, or voice control cannot reach it.
_LABEL_NOT_IN_NAME_JS = """
() => {
  const norm = (s) => (s || "").replace(/\\s+/g, " ").trim().toLowerCase();
  const bad = [];
  const controls = "a, button, [role=button], [role=link], [role=tab], [role=menuitem], "
    + "[role=option], [role=switch], [role=checkbox], [role=radio], summary";
  for (const el of document.querySelectorAll(controls)) {
    const label = el.getAttribute("aria-label");
    const text = norm(el.innerText);
    if (label === null || !text || !el.offsetParent) continue;
    if (!norm(label).includes(text)) bad.push(`"${text.slice(0, 30)}" named "${label}"`);
  }
  return bad;
}
"""


def labels_not_in_name(page) -> list[str]:
    """Controls whose accessible name (aria-label) leaves out their visible label."""
    return page.evaluate(_LABEL_NOT_IN_NAME_JS)


def snap(page, name: str) -> None:
    """At each width, keep a full-page screenshot for a reviewer; check nothing overflows
    sideways, every button and link label can be read against its background and is part
    of its name.

    The PostgreSQL + Redis pass runs in a copy of the tree that is removed when it passes,
    and its pages look as the SQLite pass's: it makes no screenshot (each costs Chromium
    about 0.4 s of CPU) but checks the same at 360 px."""
    for viewport in at_each_width(page):
        if BACKEND == "sqlite":
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
            page.screenshot(path=str(ARTIFACTS / f"{safe}-{viewport}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} overflows the {viewport} viewport by {overflow}px"
        unreadable = page.evaluate(_LOW_CONTRAST_JS)
        assert not unreadable, f"{name} ({viewport}): labels hard to read: {unreadable}"
        unnamed = labels_not_in_name(page)
        assert not unnamed, f"{name} ({viewport}): visible label not in accessible name: {unnamed}"


def log_in(page, email: str = DEMO[0], password: str = DEMO[1]) -> None:
    """Log in through the login page, as a customer does, and wait for the dashboard's
    loader to answer."""
    page.goto(f"{page.app_url}/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    page.locator("#login-submit").click()
    _dashboard_answered(page)


def signed_in(page, email: str = DEMO[0], *, at: str = routes.DASHBOARD) -> None:
    """The browser of `email` just after a login, open at `at`: a session opened as the
    login opens one, its token where the login page leaves it. For tests of what follows a
    login; test_auth_flow drives the login page, and the tests of sessions surviving a
    restart use log_in. This spares a test the login page's load and an argon2 check, about
    a second of CPU on a suite that CPU bounds."""
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        token = accounts.open_session(session, user)
    # A static file of the site, to write the site's storage without loading the app.
    page.goto(f"{page.app_url}/heyon.css")
    page.evaluate("([key, token]) => localStorage.setItem(key, token)", [SESSION_KEY, token])
    page.goto(f"{page.app_url}{at}")
    if at == routes.DASHBOARD:
        _dashboard_answered(page)


def _dashboard_answered(page) -> None:
    """The dashboard's loader has answered. The heading shows before that answer: a test
    that revoked the session then would race the loader, which clears the browser's token."""
    expect(page.get_by_role("heading", name="我的 eSIM")).to_be_visible()
    expect(page.locator("#line-card").or_(page.locator("#first-buy"))).to_be_visible()
