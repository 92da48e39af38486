"""Labelled form fields and the message boxes under forms."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.text import t


def labelled(label_key: str, control: rx.Component, input_id: str) -> rx.Component:
    """A label above any full-width control, tied together by id for screen readers."""
    return rx.el.div(
        rx.el.label(t(label_key), html_for=input_id, class_name="heyon-label"),
        control,
        class_name="heyon-field",
    )


def field(
    label_key: str,
    name: str,
    *,
    type: str = "text",
    autocomplete: str = "",
    input_id: str = "",
    required: bool = True,
    multiline: bool = False,
    **props,
) -> rx.Component:
    """A labelled text input (or text area when `multiline`) named `name` in the form data."""
    input_id = input_id or f"field-{name}"
    common = {"id": input_id, "name": name, "size": "3", "width": "100%", "required": required}
    if multiline:
        control = rx.text_area(**common, **props)
    else:
        control = rx.input(type=type, auto_complete=autocomplete or "off", **common, **props)
    return labelled(label_key, control, input_id)


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


def messages(error: rx.Var, notice: rx.Var, *, id_prefix: str = "form") -> rx.Component:
    """A form's error and notice; `id_prefix` tells two forms on one page apart."""
    return rx.fragment(
        rx.cond(
            error != "",
            rx.callout(
                error, color_scheme="red", role="alert", width="100%", id=f"{id_prefix}-error"
            ),
        ),
        rx.cond(
            notice != "",
            rx.callout(
                notice, color_scheme="green", role="status", width="100%", id=f"{id_prefix}-notice"
            ),
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
