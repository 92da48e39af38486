"""The admin frame: the app shell plus the admin sections' navigation."""

from __future__ import annotations

import reflex as rx

from heyon_app import routes
from heyon_app.components.layout import app_page
from heyon_app.components.text import t
from heyon_app.state.base import AppState


def _section_link(href: str, label_key: str, icon: str) -> rx.Component:
    active = rx.State.router.page.path == href
    return rx.link(
        rx.icon(icon, size=18),
        rx.text(t(label_key), size="2", white_space="nowrap"),
        href=href,
        underline="none",
        class_name="heyon-nav-link",
        data_active=rx.cond(active, "true", "false"),
        aria_current=rx.cond(active, "page", ""),
    )


def admin_page(title_key: str, *children: rx.Component) -> rx.Component:
    """An admin page; its content is rendered only for an admin (the server checks again)."""
    return app_page(
        title_key,
        rx.cond(
            AppState.is_admin,
            rx.vstack(
                rx.el.nav(
                    *[_section_link(*section) for section in routes.ADMIN_SECTIONS],
                    class_name="heyon-admin-nav",
                    aria_label=t("admin.nav.label"),
                ),
                *children,
                spacing="4",
                width="100%",
            ),
            rx.callout(t("common.forbidden"), icon="shield-alert", color_scheme="red"),
        ),
    )


def on_off_switch(
    *, on: rx.Var[bool], on_change, id: rx.Var[str], on_key: str, off_key: str
) -> rx.Component:
    """A labelled switch whose words say the state it is in (switched on / off)."""
    return rx.el.label(
        rx.switch(
            checked=on,
            on_change=on_change,
            id=id,
            size="3",
            disabled=~rx.State.is_hydrated,
        ),
        rx.text(
            rx.cond(on, t(on_key), t(off_key)),
            weight="bold",
            color_scheme=rx.cond(on, "green", "gray"),
        ),
        display="flex",
        align_items="center",
        gap="8px",
        min_height="44px",
        cursor="pointer",
    )
