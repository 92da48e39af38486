"""Labelled form fields and the message boxes under forms."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.text import t


def field(
    label_key: str, name: str, *, type: str = "text", autocomplete: str = "", **props
) -> rx.Component:
    """A label above a full-width input, tied together by id for screen readers."""
    input_id = f"field-{name}"
    return rx.el.div(
        rx.el.label(t(label_key), html_for=input_id, class_name="heyon-label"),
        rx.input(
            id=input_id,
            name=name,
            type=type,
            auto_complete=autocomplete or "off",
            size="3",
            width="100%",
            required=True,
            **props,
        ),
        class_name="heyon-field",
    )


def submit_button(label_key: str, **props) -> rx.Component:
    # Disabled until hydrated: before that a click would be a plain GET putting the
    # password in the URL.
    return rx.button(
        t(label_key),
        type="submit",
        size="3",
        width="100%",
        disabled=~rx.State.is_hydrated,
        **props,
    )


def messages(error: rx.Var, notice: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.cond(
            error != "",
            rx.callout(error, color_scheme="red", role="alert", width="100%", id="form-error"),
        ),
        rx.cond(
            notice != "",
            rx.callout(notice, color_scheme="green", role="status", width="100%", id="form-notice"),
        ),
    )


def new_password_fields(label_key: str = "auth.password") -> rx.Component:
    """A new password, its repeat and the policy hint: form keys `password`, `password_repeat`."""
    return rx.fragment(
        field(label_key, "password", type="password", autocomplete="new-password"),
        field(
            "auth.password_repeat", "password_repeat", type="password", autocomplete="new-password"
        ),
        rx.text(t("auth.register.password_hint"), size="2", color_scheme="gray"),
    )
