"""The account page."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.form import field, messages, new_password_fields, submit_button
from heyon_app.components.layout import app_page
from heyon_app.components.text import t
from heyon_app.state.auth import AuthFormState
from heyon_app.state.reminders import ReminderPrefsState


def _reminder_switch(option: str) -> rx.Component:
    """One reminder option; saved as soon as it is switched (44 px tall for a thumb)."""
    return rx.el.label(
        rx.switch(
            checked=ReminderPrefsState.prefs[option],
            on_change=lambda on: ReminderPrefsState.switch(option, on),
            id=f"reminder-{option}",
            size="3",
            disabled=~rx.State.is_hydrated,
        ),
        rx.text(t(f"reminder.prefs.{option}")),
        display="flex",
        align_items="center",
        gap="8px",
        min_height="44px",
        cursor="pointer",
    )


def _reminder_choices() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("reminder.prefs.title"), size="4", as_="h2"),
            rx.text(t("reminder.prefs.intro"), size="2"),
            messages(
                ReminderPrefsState.prefs_error,
                ReminderPrefsState.prefs_notice,
                id_prefix="reminder",
            ),
            rx.text(t("reminder.prefs.steps"), weight="bold", size="2"),
            *[_reminder_switch(step) for step in ("7d", "3d", "1d", "lapsed")],
            rx.text(t("reminder.prefs.channels"), weight="bold", size="2"),
            *[_reminder_switch(channel) for channel in ("email", "sms")],
            spacing="1",
            width="100%",
        ),
        id="reminder-choices",
        width="100%",
        max_width="480px",
    )


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
        _reminder_choices(),
    )
