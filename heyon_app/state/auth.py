"""Login, registration and password forms: read input, call services.accounts, show the outcome."""

from __future__ import annotations

import logging

import reflex as rx

from heyon_app import routes
from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.services import accounts, notifications
from heyon_app.services.errors import UserError
from heyon_app.settings import settings
from heyon_app.state.base import AppState

log = logging.getLogger(__name__)


class AuthFormState(AppState):
    error: str = ""
    notice: str = ""

    def _fail(self, exc: UserError) -> None:
        self.error = self._t(exc.key, **exc.params)
        self.notice = ""

    @rx.event
    def clear_messages(self):
        self.error, self.notice = "", ""

    @rx.event
    def log_in(self, form: dict):
        self.clear_messages()
        try:
            with session_scope() as session:
                result = accounts.log_in(
                    session,
                    email=form.get("email", ""),
                    password=form.get("password", ""),
                    client_ip=self.router.session.client_ip,
                )
                self.auth_token = result.token
                self._remember_user(result.user)
        except UserError as exc:
            self._fail(exc)
            return None
        return rx.redirect(routes.DASHBOARD)

    @rx.event
    def register(self, form: dict):
        self.clear_messages()
        if form.get("password", "") != form.get("password_repeat", ""):
            self.error = self._t("auth.passwords_differ")
            return None
        try:
            with session_scope() as session:
                user = accounts.register(
                    session,
                    email=form.get("email", ""),
                    phone=form.get("phone", ""),
                    password=form.get("password", ""),
                    locale=self.locale,
                )
                self.auth_token = accounts.open_session(session, user)
                self._remember_user(user)
        except UserError as exc:
            self._fail(exc)
            return None
        return rx.redirect(routes.DASHBOARD)

    @rx.event
    def request_reset(self, form: dict):
        self.clear_messages()
        with session_scope() as session:
            found = accounts.start_password_reset(session, email=form.get("email", ""))
            if found is not None:
                user, token = found
                link = routes.reset_password_url(settings.public_url, token)
                mail = notifications.email(
                    session,
                    user_id=user.id,
                    recipient=user.email,
                    subject=translate("auth.reset.mail_subject", user.locale),
                    body=translate("auth.reset.mail_body", user.locale, link=link),
                )
                if not notifications.send_now(session, mail):
                    log.error("password reset mail to user %s failed: %s", user.id, mail.last_error)
        # Same words whether or not the address exists: the page must not reveal accounts.
        self.notice = self._t("auth.forgot.sent")

    @rx.event
    def reset_password(self, form: dict):
        self.clear_messages()
        if form.get("password", "") != form.get("password_repeat", ""):
            self.error = self._t("auth.passwords_differ")
            return None
        token = self.router.url.query_parameters.get("token", "")
        try:
            with session_scope() as session:
                accounts.complete_password_reset(
                    session, token=token, new_password=form.get("password", "")
                )
        except UserError as exc:
            self._fail(exc)
            return None
        self.notice = self._t("auth.reset.done")
        return None

    @rx.event
    def change_password(self, form: dict):
        self.clear_messages()
        if form.get("password", "") != form.get("password_repeat", ""):
            self.error = self._t("auth.passwords_differ")
            return None
        try:
            with session_scope() as session:
                user = self._current_user(session)
                if user is None:
                    return rx.redirect(routes.LOGIN)
                accounts.change_password(
                    session,
                    user=user,
                    current=form.get("current_password", ""),
                    new=form.get("password", ""),
                )
        except UserError as exc:
            self._fail(exc)
            return None
        self.notice = self._t("auth.password_changed")
        return None
