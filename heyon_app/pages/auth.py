"""Login, registration and password reset pages."""

from __future__ import annotations

import reflex as rx

from heyon_app import routes
from heyon_app.components.form import field, messages, new_password_fields, submit_button
from heyon_app.components.layout import public_page
from heyon_app.components.text import t
from heyon_app.state.auth import AuthFormState


def _form(*children: rx.Component, on_submit, form_id: str) -> rx.Component:
    return rx.form(
        rx.vstack(
            messages(AuthFormState.error, AuthFormState.notice),
            *children,
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        id=form_id,
        width="100%",
    )


def _link(label_key: str, href: str) -> rx.Component:
    return rx.link(t(label_key), href=href, size="3", padding_y="8px", display="inline-block")


def login_page() -> rx.Component:
    return public_page(
        rx.heading(t("auth.login.title"), size="6", as_="h1"),
        _form(
            field("auth.email", "email", type="email", autocomplete="username"),
            field("auth.password", "password", type="password", autocomplete="current-password"),
            submit_button("auth.login.submit", id="login-submit"),
            on_submit=AuthFormState.log_in,
            form_id="login-form",
        ),
        rx.vstack(
            _link("auth.login.forgot", routes.FORGOT_PASSWORD),
            _link("auth.login.no_account", routes.REGISTER),
            spacing="1",
        ),
    )


def register_page() -> rx.Component:
    return public_page(
        rx.heading(t("auth.register.title"), size="6", as_="h1"),
        _form(
            field("auth.email", "email", type="email", autocomplete="email"),
            field("auth.phone", "phone", type="tel", autocomplete="tel"),
            new_password_fields(),
            submit_button("auth.register.submit", id="register-submit"),
            on_submit=AuthFormState.register,
            form_id="register-form",
        ),
        _link("auth.register.have_account", routes.LOGIN),
    )


def forgot_password_page() -> rx.Component:
    return public_page(
        rx.heading(t("auth.forgot.title"), size="6", as_="h1"),
        rx.text(t("auth.forgot.explain")),
        _form(
            field("auth.email", "email", type="email", autocomplete="email"),
            submit_button("auth.forgot.submit", id="forgot-submit"),
            on_submit=AuthFormState.request_reset,
            form_id="forgot-form",
        ),
        _link("auth.forgot.back", routes.LOGIN),
    )


def reset_password_page() -> rx.Component:
    return public_page(
        rx.heading(t("auth.reset.title"), size="6", as_="h1"),
        _form(
            new_password_fields("auth.new_password"),
            submit_button("auth.reset.submit", id="reset-submit"),
            on_submit=AuthFormState.reset_password,
            form_id="reset-form",
        ),
        _link("auth.forgot.back", routes.LOGIN),
    )
