"""Login, registration and password forms: read input, call services.accounts, show the outcome.

Hashing (~100 ms), SMTP and database writes run in a worker thread (`asyncio.to_thread`
of the plain functions at the end), so one customer's login never stalls the others.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import reflex as rx

from heyon_app import routes
from heyon_app.db import session_scope
from heyon_app.models import User
from heyon_app.services import accounts, forms
from heyon_app.services.errors import UserError
from heyon_app.state.base import AppState

log = logging.getLogger(__name__)


class AuthFormState(AppState):
    error: str = ""
    notice: str = ""

    def _fail(self, exc: UserError) -> None:
        self.error = self._t(exc.key, **exc.params)
        self.notice = ""

    def _passwords_differ(self, form: dict) -> bool:
        if forms.field(form, "password") == forms.field(form, "password_repeat"):
            return False
        self.error = self._t("auth.passwords_differ")
        return True

    @rx.event
    def clear_messages(self):
        self.error, self.notice = "", ""

    @rx.event
    async def log_in(self, form: dict):
        self.clear_messages()
        try:
            result = await asyncio.to_thread(
                _log_in,
                email=forms.field(form, "email"),
                password=forms.field(form, "password"),
                address=self._client_address(),
            )
        except UserError as exc:
            self._fail(exc)
            return None
        self.auth_token = result.token
        self._remember_user(result.user)
        return rx.redirect(routes.DASHBOARD)

    @rx.event
    async def register(self, form: dict):
        self.clear_messages()
        if self._passwords_differ(form):
            return None
        try:
            user, token = await asyncio.to_thread(
                _register,
                email=forms.field(form, "email"),
                phone=forms.field(form, "phone"),
                password=forms.field(form, "password"),
                locale=self.locale,
            )
        except UserError as exc:
            self._fail(exc)
            return None
        self.auth_token = token
        self._remember_user(user)
        return rx.redirect(routes.DASHBOARD)

    @rx.event
    async def request_reset(self, form: dict):
        self.clear_messages()
        try:
            mail = await asyncio.to_thread(
                record_password_reset,
                email=forms.field(form, "email"),
                address=self._client_address(),
            )
        except UserError as exc:
            self._fail(exc)
            return
        if mail is not None:
            # Not awaited: the page answers as fast as for an unknown address, so neither
            # a slow mail server nor the answer's timing tells that the account exists.
            threading.Thread(target=mail_password_reset, args=(mail,), daemon=True).start()
        # Same words whether or not the address exists: the page must not reveal accounts.
        self.notice = self._t("auth.forgot.sent")

    @rx.event
    async def reset_password(self, form: dict):
        self.clear_messages()
        if self._passwords_differ(form):
            return
        try:
            await asyncio.to_thread(
                _reset_password,
                token=self.router.url.query_parameters.get("token", ""),
                password=forms.field(form, "password"),
            )
        except UserError as exc:
            self._fail(exc)
            return
        self.notice = self._t("auth.reset.done")

    @rx.event
    async def change_password(self, form: dict):
        self.clear_messages()
        if self._passwords_differ(form):
            return None
        try:
            changed = await asyncio.to_thread(
                _change_password,
                token=self.auth_token,
                current=forms.field(form, "current_password"),
                new=forms.field(form, "password"),
                address=self._client_address(),
            )
        except UserError as exc:
            self._fail(exc)
            return None
        if not changed:
            return rx.redirect(routes.LOGIN)
        self.notice = self._t("auth.password_changed")
        return None


def _log_in(*, email: str, password: str, address: str) -> accounts.LoginResult:
    with session_scope() as session:
        return accounts.log_in(session, email=email, password=password, address=address)


def _register(*, email: str, phone: str, password: str, locale: str) -> tuple[User, str]:
    with session_scope() as session:
        user = accounts.register(
            session, email=email, phone=phone, password=password, locale=locale
        )
        return user, accounts.open_session(session, user)


def record_password_reset(*, email: str, address: str) -> accounts.ResetMail | None:
    """Commit a reset link (None for an unknown address); UserError when asked too often."""
    with session_scope() as session:
        return accounts.start_password_reset(session, email=email, address=address)


def mail_password_reset(mail: accounts.ResetMail) -> None:
    """Sent only once the link is committed, so a mailed link always works."""
    with session_scope() as session:
        if not accounts.send_reset_mail(session, mail):
            log.error("password reset mail %s failed", mail.notification_id)


def request_password_reset(*, email: str, address: str) -> None:
    """Record a reset link and mail it; raises UserError when the address asked too often."""
    mail = record_password_reset(email=email, address=address)
    if mail is not None:
        mail_password_reset(mail)


def _reset_password(*, token: str, password: str) -> None:
    with session_scope() as session:
        accounts.complete_password_reset(session, token=token, new_password=password)


def _change_password(*, token: str, current: str, new: str, address: str) -> bool:
    """False when the tab's session has ended meanwhile."""
    with session_scope() as session:
        user = accounts.user_for_token(session, token)
        if user is None:
            return False
        accounts.change_password(
            session, user=user, current=current, new=new, keep_token=token, address=address
        )
        return True
