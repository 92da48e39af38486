"""Radix's CSS, trimmed to what the pages use (heyon_app/radix_styles.py): every page still
has a rule for each Radix class and colour it shows, in the theme's gray (its size is held
beside the JavaScript's, in test_page_weight)."""

from __future__ import annotations

from heyon_app import routes
from tests.browser.conftest import ADMIN, signed_in
from tests.browser.styles import unstyled


def test_every_page_styles_each_radix_class_and_colour_it_shows(open_page, app_url):
    page = open_page(app_url, timeout_ms=30_000)
    problems: dict[str, list[str]] = {}

    def check(route: str) -> None:
        page.goto(f"{app_url}{route}")
        page.wait_for_load_state("networkidle")
        problems[route] = unstyled(page)

    check(routes.LOGIN)
    check(routes.REGISTER)
    signed_in(page)
    for route in (
        routes.DASHBOARD,
        routes.PACKAGES,
        routes.renew_url(package_code="DATA_M"),
        routes.ORDERS,
        routes.ACTIVATION,
        routes.DEVICE_CHECK,
        routes.COVERAGE,
        routes.SUPPORT,
        routes.ACCOUNT,
    ):
        check(route)
    page.locator("#logout").click()
    signed_in(page, ADMIN[0])
    for route, _, _ in routes.ADMIN_SECTIONS:
        check(route)

    assert len(problems) == 17
    assert {route: found for route, found in problems.items() if found} == {}
