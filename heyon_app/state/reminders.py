"""The account page's reminder choices: which steps and channels the customer wants."""

from __future__ import annotations

from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app import routes
from heyon_app.models import User
from heyon_app.services import forms, reminders
from heyon_app.services.errors import UserError
from heyon_app.state.base import AppState
from heyon_app.state.offloop import for_user


def _load(session: Session, user: User) -> dict[str, bool]:
    return reminders.preferences(session, user_id=user.id)


def _switch(session: Session, user: User, *, option: str, on: bool | None) -> dict[str, bool]:
    if on is None:
        raise UserError("common.bad_request")
    return reminders.set_preference(session, user_id=user.id, option=option, on=on)


class ReminderPrefsState(AppState):
    prefs: dict[str, bool] = {option: True for option in reminders.OPTIONS}
    prefs_error: str = ""
    prefs_notice: str = ""

    @rx.event
    async def load(self):
        self.prefs_error = self.prefs_notice = ""
        user, found = await self._as_user(_load)
        if user is None:
            return rx.redirect(routes.LOGIN)
        self.prefs = found
        return None

    @rx.event
    async def switch(self, option: str, on: bool):
        self.prefs_error = self.prefs_notice = ""
        try:
            found = await for_user(
                self.auth_token, partial(_switch, option=forms.text(option), on=forms.switch(on))
            )
        except UserError as exc:
            self.prefs_error = self._t(exc.key, **exc.params)
            return None
        if found is None:
            return rx.redirect(routes.LOGIN)
        self.prefs = found
        self.prefs_notice = self._t("reminder.prefs.saved")
        return None
