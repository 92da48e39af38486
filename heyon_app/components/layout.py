"""Page frames: the public frame for login pages and the shell with navigation."""

from __future__ import annotations

import reflex as rx

from heyon_app import routes
from heyon_app.components.text import t
from heyon_app.state.base import AppState

NAV_ITEMS = (
    (routes.DASHBOARD, "nav.dashboard", "house"),
    (routes.PACKAGES, "nav.packages", "package"),
    (routes.ORDERS, "nav.orders", "receipt"),
    (routes.SUPPORT, "nav.support", "headset"),
    (routes.ACCOUNT, "nav.account", "user"),
)


def language_switch() -> rx.Component:
    return rx.button(
        rx.icon("languages", size=18),
        t("common.switch_language"),
        on_click=AppState.switch_locale,
        variant="soft",
        size="3",
        id="language-switch",
        aria_label=t("common.switch_language_label"),
    )


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("smartphone-nfc", size=24),
            rx.text(
                t("app.name"),
                weight="bold",
                size=rx.breakpoints(initial="4", sm="5"),
                white_space="nowrap",
            ),
            align="center",
            spacing="2",
        ),
        href=routes.DASHBOARD,
        underline="none",
    )


def public_page(*children: rx.Component) -> rx.Component:
    """A narrow centered card for pages used without logging in."""
    return rx.box(
        rx.hstack(brand(), rx.spacer(), language_switch(), width="100%", align="center"),
        rx.card(rx.vstack(*children, spacing="4", width="100%"), width="100%", size="3"),
        class_name="heyon-public",
    )


def _nav_link(href: str, label_key: str, icon: str, *, compact: bool) -> rx.Component:
    active = rx.State.router.page.path == href
    return rx.link(
        rx.icon(icon, size=20),
        rx.text(t(label_key), size="1" if compact else "2"),
        href=href,
        underline="none",
        class_name="heyon-nav-link",
        data_active=rx.cond(active, "true", "false"),
        aria_current=rx.cond(active, "page", ""),
    )


def _nav_items(*, compact: bool) -> list[rx.Component]:
    items = [_nav_link(h, k, i, compact=compact) for h, k, i in NAV_ITEMS]
    items.append(
        rx.cond(AppState.is_admin, _nav_link(routes.ADMIN, "nav.admin", "shield", compact=compact))
    )
    return items


def app_page(title_key: str | rx.Var[str], *children: rx.Component) -> rx.Component:
    """The logged-in shell: header, navigation (top on desktop, bottom bar on a phone)."""
    return rx.box(
        rx.el.header(
            brand(),
            rx.el.nav(
                *_nav_items(compact=False), class_name="heyon-nav-top", aria_label=t("nav.main")
            ),
            rx.hstack(
                language_switch(),
                rx.button(
                    rx.icon("log-out", size=18),
                    rx.text(t("nav.logout"), class_name="heyon-hide-narrow"),
                    on_click=AppState.log_out,
                    variant="outline",
                    size="3",
                    id="logout",
                    aria_label=t("nav.logout"),
                ),
                spacing="2",
            ),
            class_name="heyon-header",
        ),
        rx.el.main(
            rx.cond(
                AppState.is_authenticated,
                rx.vstack(
                    rx.heading(t(title_key), size="6", as_="h1"),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                rx.center(rx.spinner(size="3"), padding="4em"),
            ),
            class_name="heyon-main",
        ),
        rx.el.nav(
            *_nav_items(compact=True), class_name="heyon-nav-bottom", aria_label=t("nav.main")
        ),
    )
