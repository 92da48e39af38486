"""Small display helpers shared by the customer pages."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.text import t
from heyon_app.state.base import AppState


def localized(zh: rx.Var | str, en: rx.Var | str) -> rx.Var:
    """Pick the Chinese or English variant of data that comes from the database."""
    return rx.cond(AppState.locale == "en", en, zh)


def fill(key: str, **params: rx.Var | str) -> rx.Var:
    """The message `key` with its {placeholders} replaced in the browser."""
    text = t(key)
    for name, value in params.items():
        text = text.replace("{" + name + "}", value)
    return text


def typed(value: rx.Var | str) -> rx.Component:
    """Text someone typed, shown among other words on one line: in its own bidi isolate, so
    a direction override in it (U+202E) reverses only it, never the words after it. A
    block (rx.text) is such an isolate already; inline text needs this."""
    return rx.el.bdi(value)


def section(title_key: str, *children: rx.Component, **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t(title_key), size="4", as_="h2"),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        **props,
    )


def link_button(label: rx.Var, href: rx.Var | str, *, icon: str = "", **props) -> rx.Component:
    """A real link styled as a button, so it works before hydration and reads as a link."""
    return rx.button(
        rx.link(*([rx.icon(icon, size=18)] if icon else []), label, href=href, underline="none"),
        as_child=True,
        size="3",
        class_name="heyon-link-button",
        **props,
    )


def share_bar(percent: rx.Var, label: rx.Var, **props) -> rx.Component:
    """A share of 100 as a bar. Two plain elements rather than Radix's Progress, whose
    component tree cost the dashboard ~5 ms of each load's render; the width is an inline
    style, not an emotion class: one per distinct value would each be compiled and added."""
    return rx.el.div(
        rx.el.div(
            class_name="heyon-bar-fill",
            custom_attrs={"style": rx.Var.create({"width": percent.to(str) + "%"})},
        ),
        class_name="heyon-bar",
        role="progressbar",
        aria_valuemin=0,
        aria_valuemax=100,
        aria_valuenow=percent,
        aria_label=label,
        **props,
    )


def stat(label: rx.Var, value: rx.Var, detail: rx.Var | None = None) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.text(value, size="4", weight="bold"),
        *([rx.text(detail, size="2", color_scheme="gray")] if detail is not None else []),
        spacing="1",
        min_width="0",
    )


def label_value(label_key: str, value: rx.Var | str, *, size: str = "3", **props) -> rx.Component:
    """One line of a summary: the label on the left, its value on the right."""
    return rx.hstack(
        rx.text(t(label_key), color_scheme="gray", size=size),
        rx.spacer(),
        rx.text(value, size=size, text_align="right", **props),
        width="100%",
        wrap="wrap",
    )


def list_section(
    title_key: str, items: rx.Var, render, *, empty_key: str, spacing: str = "2", **props
) -> rx.Component:
    """A titled card listing `items` one `render(item)` each, or saying there are none."""
    return section(
        title_key,
        rx.cond(
            items.length() > 0,
            rx.vstack(rx.foreach(items, render), spacing=spacing, width="100%"),
            rx.text(t(empty_key), color_scheme="gray"),
        ),
        **props,
    )
