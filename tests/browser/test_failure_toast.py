"""An event that fails in a way no handler foresaw tells the customer, in the page's
language, that nothing was done and to try again; the page goes on working."""

from __future__ import annotations

from playwright.sync_api import expect

from heyon_app.i18n import translate
from heyon_app.state import support
from heyon_app.state.base import LOCALE_KEY
from heyon_app.state.failure_toast import TOAST_ID
from tests.browser.conftest import at_each_width, signed_in, snap, wait_in_page
from tests.conftest import ARTIFACTS


def test_an_unforeseen_failure_is_told_in_the_pages_language(page, monkeypatch):
    signed_in(page)

    def broken(*_args):
        # What a lost database connection or a bug looks like to the handler: no UserError.
        raise RuntimeError("the database went away")

    # The app's backend runs in the test's process (AppHarnessProd), so the support
    # page's loader fails for real.
    monkeypatch.setattr(support, "tickets_and_orders", broken)
    for locale in ("zh-CN", "en"):
        page.evaluate(f"localStorage.setItem('{LOCALE_KEY}', '{locale}')")
        page.goto(f"{page.app_url}/support")
        toast = page.locator("[data-sonner-toast]")
        expect(toast).to_contain_text(translate("common.failed", locale))
        expect(toast).to_contain_text(translate("common.failed_hint", locale))
        expect(toast).not_to_contain_text("Contact the website administrator")
        # Once it has slid in, the toast is on screen and drawn over the page (its sticky
        # header included), where the customer sees it, at each width.
        for viewport in at_each_width(page):
            page.wait_for_function(
                """() => {
                  const t = document.querySelector('[data-sonner-toast]');
                  const r = t && t.getBoundingClientRect();
                  if (!r || r.top < 0 || r.bottom > innerHeight) return false;
                  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + 8);
                  return !!hit && !!hit.closest('[data-sonner-toast]');
                }""",
                timeout=5_000,
            )
            page.screenshot(path=ARTIFACTS / f"failure-toast-{locale}-{viewport}-view.png")
        snap(page, f"failure-toast-{locale}")

    # A second failure while the toast shows (away and back in the app, the loader fails
    # again) updates that one toast, title and hint both still there. In the account's
    # language: the next page's loader applies it to the tab.
    toasts_sent = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda frame: toasts_sent.append(frame) if TOAST_ID in frame else None
        ),
    )
    page.evaluate(f"localStorage.setItem('{LOCALE_KEY}', 'zh-CN')")
    page.goto(f"{page.app_url}/support")
    expect(toast).to_contain_text(translate("common.failed", "zh-CN"))
    nav = page.get_by_role("navigation", name=translate("nav.main", "zh-CN"))
    # By keyboard, as at any width: at 1280 px the toast covers the header's links, and a
    # click would wait for it to go.
    nav.get_by_role("link", name=translate("nav.orders", "zh-CN")).press("Enter")
    expect(page).to_have_url(f"{page.app_url}/orders")
    # The router sets the address before React swaps the support page (its header with it)
    # for the orders page: a link found before the swap is gone when Enter reaches it.
    expect(page.locator("#orders-renew")).to_be_visible()
    shown = len(toasts_sent)
    nav.get_by_role("link", name=translate("nav.support", "zh-CN")).press("Enter")
    assert wait_in_page(page, lambda: len(toasts_sent) > shown, timeout=10), (
        "the second failure's toast never reached the page"
    )
    # The frame has been handled; two animation frames later the toast shows its update.
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    expect(toast).to_have_count(1)
    expect(toast).to_contain_text(translate("common.failed", "zh-CN"))
    expect(toast).to_contain_text(translate("common.failed_hint", "zh-CN"))

    monkeypatch.undo()
    page.goto(f"{page.app_url}/support")
    expect(page.locator("#hotline")).to_be_visible()
    expect(page.locator("[data-sonner-toast]")).to_have_count(0)
