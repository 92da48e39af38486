"""What a page load costs on the wire: the page's data, not the message catalogue, and its
JavaScript in a few files."""

from __future__ import annotations

from playwright.sync_api import expect

from heyon_app import routes
from heyon_app.i18n import catalogue
from tests.browser.conftest import signed_in

# A blank Reflex 0.10 app's JavaScript, decoded (bench/page_load_bench.py builds one and
# measures it; docs/PERFORMANCE.md), and issue 10's goal: a page's within 1.2x of it.
BLANK_APP_JS = 777 * 1024
JS_BUDGET = 1.2 * BLANK_APP_JS
# The libraries in one vendor file (heyon_app/bundling.py), then the app's entry, root,
# route, memo and catalogue files: the dashboard was 32 files before the vendor file.
JS_FILES_BUDGET = 12

# Radix's CSS trimmed to what the pages use (heyon_app/radix_styles.py): ~342 KiB, where
# Radix's whole stylesheet was 687 KiB once built.
CSS_BUDGET = 400 * 1024

# A page's share of the socket: the framework's hydrate (router data, ~1.7 KiB) and our vars.
PAGE_LOAD_BUDGET = 4 * 1024
# The dashboard adds its data (the line's card, the advice in both languages, 30 days of
# chart as [day, MB, minutes]) and stays within the same budget (issue 10's goal).
DASHBOARD_BUDGET = 4 * 1024


def _catalogue_text_in(payload: str) -> list[str]:
    """Catalogue strings (long enough not to be a number or a word of data) in `payload`."""
    texts = {text for locale in ("zh-CN", "en") for text in catalogue(locale).values()}
    return sorted(text for text in texts if len(text) >= 12 and text in payload)


def _new_tab_frames(page) -> tuple[object, list[str]]:
    """A new tab of the logged-in customer (a cold page load on the server), and the
    websocket frames it will receive."""
    tab = page.context.new_page()
    tab.app_url = page.app_url
    frames: list[str] = []

    def keep(frame: str | bytes) -> None:
        frames.append(frame if isinstance(frame, str) else frame.decode("utf-8", "replace"))

    tab.on("websocket", lambda ws: ws.on("framereceived", keep))
    return tab, frames


def _size(frames: list[str]) -> int:
    return sum(len(frame.encode()) for frame in frames)


def test_logged_in_page_load_sends_no_catalogue_text(page):
    signed_in(page)
    tab, frames = _new_tab_frames(page)
    tab.goto(f"{tab.app_url}{routes.ACCOUNT}")
    # Enabled once hydrated, which Reflex reports after the page's on_load events.
    expect(tab.locator("#change-password-submit")).to_be_enabled()

    assert frames, "no websocket frames were seen"
    assert _catalogue_text_in("".join(frames)) == []
    assert _size(frames) < PAGE_LOAD_BUDGET, f"{_size(frames)} bytes, {frames}"


def test_dashboard_load_sends_its_data_and_no_catalogue_text(page):
    signed_in(page)
    tab, frames = _new_tab_frames(page)
    tab.goto(f"{tab.app_url}{routes.DASHBOARD}")
    expect(tab.locator("#days-left")).to_have_text("剩余 5 天")
    expect(tab.locator("#usage-chart .heyon-chart-bar")).to_have_count(30)
    loaded = _size(frames)
    # The language switches from text already in the page: a few bytes each way.
    tab.locator("#language-switch").click()
    expect(tab.locator("#days-left")).to_have_text("5 days left")
    tab.locator("#language-switch").click()
    expect(tab.locator("#days-left")).to_have_text("剩余 5 天")

    assert _catalogue_text_in("".join(frames)) == []
    assert loaded < DASHBOARD_BUDGET, f"{loaded} bytes, {frames}"
    assert _size(frames) - loaded < 512, frames


def _files(tab, ext: str) -> list[tuple[str, int]]:
    """Each file ending in `ext` the tab has loaded, with its decoded size."""
    return tab.evaluate(
        """(ext) => performance.getEntriesByType("resource")
            .filter((r) => new URL(r.name).pathname.endsWith(ext))
            .map((r) => [new URL(r.name).pathname, r.decodedBodySize])""",
        ext,
    )


def _weight(tab) -> dict[str, list[tuple[str, int]]]:
    return {ext: _files(tab, ext) for ext in (".js", ".css")}


def test_each_page_loads_its_javascript_in_a_few_files_and_little_css(open_page, app_url):
    """Every customer page and the login page: each file is a request
    through the app's port before the page can start, and every byte is parsed on a phone."""
    page = open_page(app_url, timeout_ms=30_000)
    page.goto(f"{app_url}{routes.LOGIN}")
    page.wait_for_load_state("networkidle")
    loaded = {routes.LOGIN: _weight(page)}
    signed_in(page)
    customer_pages = [
        routes.DASHBOARD,
        routes.PACKAGES,
        routes.renew_url(package_code="DATA_M"),
        routes.ORDERS,
        routes.ORDER_RESULT,
        routes.ACTIVATION,
        routes.DEVICE_CHECK,
        routes.COVERAGE,
        routes.SUPPORT,
        routes.ACCOUNT,
    ]
    for route in customer_pages:
        tab = page.context.new_page()  # a page load of its own, the files from the cache
        tab.goto(f"{app_url}{route}")
        tab.wait_for_load_state("networkidle")
        loaded[route] = _weight(tab)
        tab.close()

    for route, files in loaded.items():
        js, css = files[".js"], files[".css"]
        assert len(js) <= JS_FILES_BUDGET, (route, js)
        assert sum(size for _, size in js) <= JS_BUDGET, (route, js)
        assert sum(size for _, size in css) <= CSS_BUDGET, (route, css)
    assert sum(1 for path, _ in loaded[routes.DASHBOARD][".js"] if "/vendor-" in path) == 1


def test_renewal_review_mounts_the_card_with_no_event_of_its_own(page):
    """The review's loader hands the page the script that loads Stripe.js and mounts the
    card form: no callback back to the server (each was one more event per review load)."""
    signed_in(page)
    tab = page.context.new_page()
    sent: list[str] = []
    tab.on(
        "websocket",
        lambda ws: ws.on(
            "framesent",
            lambda frame: sent.append(frame if isinstance(frame, str) else frame.decode()),
        ),
    )
    tab.goto(f"{page.app_url}{routes.RENEW}")
    expect(tab.locator("#review-total")).not_to_be_empty()
    expect(tab.locator("#card-element input[placeholder=number]")).to_be_visible()

    events = [frame for frame in sent if '"name"' in frame]
    assert events, "no events were seen"
    assert not any("checkout_state." in frame for frame in events), events
