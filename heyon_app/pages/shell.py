"""The account page."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.form import field, messages, new_password_fields, submit_button
from heyon_app.components.layout import app_page
from heyon_app.components.text import t
from heyon_app.state.auth import AuthFormState


def account_page() -> rx.Component:
    return app_page(
        "page.account.title",
        rx.card(
            rx.form(
                rx.vstack(
                    rx.heading(t("auth.change_password.title"), size="4", as_="h2"),
                    messages(AuthFormState.error, AuthFormState.notice),
                    field(
                        "auth.current_password",
                        "current_password",
                        type="password",
                        autocomplete="current-password",
                    ),
                    new_password_fields("auth.new_password"),
                    submit_button("common.save", id="change-password-submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=AuthFormState.change_password,
                reset_on_submit=True,
                width="100%",
            ),
            width="100%",
            max_width="480px",
        ),
    )
