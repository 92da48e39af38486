"""What a logged-in page load costs on the wire: the page's data, not the message catalogue."""

from __future__ import annotations

from playwright.sync_api import expect

from heyon_app import routes
from heyon_app.i18n import catalogue
from tests.browser.test_customer_pages import _log_in

PAGE_LOAD_BUDGET = 4 * 1024


def _catalogue_text_in(payload: str) -> list[str]:
    """Catalogue strings (long enough not to be a number or a word of data) in `payload`."""
    texts = {text for locale in ("zh-CN", "en") for text in catalogue(locale).values()}
    return sorted(text for text in texts if len(text) >= 12 and text in payload)


def test_dashboard_load_sends_its_data_and_no_catalogue_text(page, viewport):
    _log_in(page)
    frames: list[str | bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", frames.append))

    page.goto(f"{page.app_url}{routes.DASHBOARD}")
    expect(page.locator("#days-left")).to_have_text("剩余 5 天")
    expect(page.locator("#usage-chart .recharts-bar-rectangle")).to_have_count(30)
    # The language still switches, from text already in the page.
    page.locator("#language-switch").click()
    expect(page.locator("#days-left")).to_have_text("5 days left")
    page.locator("#language-switch").click()
    expect(page.locator("#days-left")).to_have_text("剩余 5 天")

    received = "".join(f if isinstance(f, str) else f.decode("utf-8", "replace") for f in frames)
    size = sum(len(f.encode() if isinstance(f, str) else f) for f in frames)
    assert frames, "no websocket frames were seen"
    assert _catalogue_text_in(received) == []
    assert size < PAGE_LOAD_BUDGET, f"{size} bytes received over the websocket"
