"""The real app in production mode, and Chromium driving it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import ARTIFACTS, ROOT

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
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
def app_url(app_db: str, smtp_server, local_stripe: str) -> Iterator[str]:
    from reflex.testing import AppHarnessProd

    from heyon_app.services import stripe_gateway

    with AppHarnessProd.create(root=ROOT, app_name="heyon_app") as harness:
        assert harness.frontend_url is not None
        # The backend's port is known only now: point the local Stripe's webhook at it.
        backend = harness.backend.servers[0].sockets[0].getsockname()  # type: ignore[union-attr]
        stripe_gateway.register_local_webhook(
            f"http://{backend[0]}:{backend[1]}{stripe_gateway.WEBHOOK_PATH}"
        )
        yield harness.frontend_url.rstrip("/")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def page(browser, viewport: str, app_url: str):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.app_url = app_url  # type: ignore[attr-defined]
    yield page
    context.close()


def snap(page, name: str, viewport: str) -> None:
    """Keep a full-page screenshot for a reviewer and check nothing overflows sideways."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
    page.screenshot(path=str(ARTIFACTS / f"{safe}-{viewport}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} overflows the {viewport} viewport by {overflow}px"
