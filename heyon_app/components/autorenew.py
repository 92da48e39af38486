"""The dashboard's auto-renew section for the line shown: on with the card's brand and last
four, or off with a button that opens the card form (Stripe's card element)."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.form import messages
from heyon_app.components.text import t
from heyon_app.components.ui import section
from heyon_app.state.autorenew import AutoRenewState as S


def _status() -> rx.Component:
    return rx.hstack(
        rx.badge(
            rx.cond(S.enabled, t("autorenew.status.on"), t("autorenew.status.off")),
            color_scheme=rx.cond(S.enabled, "green", "gray"),
            size="2",
            id="autorenew-status",
        ),
        rx.cond(
            S.enabled & (S.card != ""),
            rx.text(S.card, weight="bold", id="autorenew-card"),
        ),
        spacing="3",
        align="center",
        wrap="wrap",
    )


def _card_form() -> rx.Component:
    return rx.vstack(
        rx.box(id="card-element", class_name="heyon-card-element"),
        rx.text(t("autorenew.card_hint"), size="2", color_scheme="gray"),
        rx.hstack(
            rx.button(
                t("autorenew.save_card"),
                on_click=S.save_card,
                loading=S.busy,
                # The dashboard's loader closes the form; its card field is not mounted yet.
                disabled=~rx.State.is_hydrated,
                size="3",
                id="autorenew-save",
            ),
            rx.button(
                t("autorenew.cancel"),
                on_click=S.close_form,
                disabled=S.busy,
                variant="soft",
                size="3",
                id="autorenew-cancel",
            ),
            spacing="3",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


def autorenew_section(*, line_key: rx.Var) -> rx.Component:
    """Loads itself when shown, and again for each line picked (`line_key` remounts it), so
    the dashboard's own loader stays as it is."""
    return section(
        "autorenew.title",
        _status(),
        rx.cond(
            S.enabled,
            rx.text(t("autorenew.on_text"), size="2"),
            rx.text(t("autorenew.off_text"), size="2"),
        ),
        messages(S.error, S.notice, id_prefix="autorenew"),
        rx.cond(
            S.enabled,
            rx.button(
                t("autorenew.switch_off"),
                on_click=S.switch_off,
                variant="outline",
                size="3",
                id="autorenew-off",
                disabled=~rx.State.is_hydrated,
            ),
            rx.cond(
                S.editing,
                _card_form(),
                rx.button(
                    t("autorenew.switch_on"),
                    on_click=S.open_form,
                    size="3",
                    id="autorenew-on",
                    disabled=~rx.State.is_hydrated,
                ),
            ),
        ),
        id="autorenew",
        key=line_key,
    )
