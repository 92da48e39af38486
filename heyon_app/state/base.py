"""The base state every feature state inherits: language, login session, current user."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import reflex as rx
from sqlmodel import Session

from heyon_app import routes, security
from heyon_app.db import session_scope
from heyon_app.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, translate
from heyon_app.models import User
from heyon_app.services import accounts
from heyon_app.settings import settings
from heyon_app.state.offloop import for_user, load_as_user

T = TypeVar("T")

# Where the browser keeps the login token and the tab's language (read by scripts too).
SESSION_KEY = "heyon_session"
LOCALE_KEY = "heyon_locale"


class AppState(rx.State):
    # Opaque random token; the database keeps only its hash (see services.accounts).
    auth_token: str = rx.LocalStorage("", name=SESSION_KEY, sync=True)
    locale: str = rx.LocalStorage(DEFAULT_LOCALE, name=LOCALE_KEY, sync=True)
    user_email: str = ""
    user_role: str = ""
    _user_id: int = 0

    @rx.var
    def is_authenticated(self) -> bool:
        return bool(self.user_email)

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == "admin"

    def _t(self, key: str, **params: object) -> str:
        return translate(key, self.locale, **params)

    def _current_user(self, session: Session) -> User | None:
        """The live user behind this browser's token, checked against the database."""
        return accounts.user_for_token(session, self.auth_token)

    def _set_changed(self, **values: object) -> None:
        """Assign only the vars whose value differs: Reflex sends every var assigned, and
        loaders run on every page load (an unchanged page then costs no bytes)."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _remember_user(self, user: User | None) -> None:
        seen: dict[str, object] = {"user_email": "", "user_role": "", "_user_id": 0}
        if user is not None:
            seen = {"user_email": user.email, "user_role": user.role, "_user_id": user.id or 0}
            if user.locale in SUPPORTED_LOCALES:
                seen["locale"] = user.locale
        self._set_changed(**seen)

    def _client_address(self) -> str:
        """Where this tab's requests come from, as the login throttle counts it."""
        headers = self.router.headers.raw_headers
        # Reflex records the socket peer under this name before it applies its own
        # trusted_proxy_hops, so our TRUSTED_PROXY_HOPS is applied once, to the real peer.
        peer = headers.get("asgi-scope-client") or self.router.session.client_ip
        return security.client_address(
            peer=peer,
            forwarded_for=headers.get("x-forwarded-for", ""),
            trusted_hops=settings.trusted_proxy_hops,
        )

    async def _refresh_user(self) -> User | None:
        """Re-read the user behind the token and mirror it into the page's vars."""
        user, _ = await self._as_user(None)
        return user

    async def _as_user(
        self, work: Callable[[Session, User], T] | None
    ) -> tuple[User | None, T | None]:
        """The login guard and a page's loader in one event and one session+user lookup.

        The token is checked against the database here, every time: a log-out or a revoked
        session elsewhere holds from the next event on. `work(session, user)` runs in the
        same database session, off the event loop, only for a live user; it reads the
        database and nothing else (offloop.loader_threads).
        """
        user, result = await load_as_user(self.auth_token, work)
        self._remember_user(user)
        if user is None:
            self.auth_token = ""
        return user, result

    @rx.event
    async def require_login(self):
        """on_load guard of every customer page."""
        if await self._refresh_user() is None:
            return rx.redirect(routes.LOGIN)
        return None

    @rx.event
    async def require_admin(self):
        """on_load guard of admin pages; the role is read from the database, not the browser."""
        user = await self._refresh_user()
        if user is None:
            return rx.redirect(routes.LOGIN)
        if user.role != "admin":
            return rx.redirect(routes.DASHBOARD)
        return None

    @rx.event
    async def redirect_if_logged_in(self):
        """on_load of the login and register pages."""
        if await self._refresh_user() is not None:
            return rx.redirect(routes.DASHBOARD)
        return None

    @rx.event
    async def switch_locale(self):
        self.locale = "en" if self.locale == "zh-CN" else "zh-CN"
        if self.auth_token:
            locale = self.locale
            await for_user(
                self.auth_token,
                lambda session, user: accounts.set_locale(session, user_id=user.id, locale=locale),
            )

    @rx.event
    async def log_out(self):
        if self.auth_token:
            await asyncio.to_thread(_end_session, token=self.auth_token)
        await self._forget_user()
        return rx.redirect(routes.LOGIN)

    async def _forget_user(self) -> None:
        """Reset every var of this tab (the token, the user, each page's data) but the language.

        The next person to use the tab must see nothing of the previous user. Loading
        each feature state first makes the reset reach them also when Redis keeps the
        tab's states apart.
        """
        locale = self.locale
        pending = list(AppState.get_substates())
        while pending:
            state_cls = pending.pop()
            await self.get_state(state_cls)
            pending.extend(state_cls.get_substates())
        app_state = await self.get_state(AppState)
        app_state.reset()
        app_state.locale = locale


def _end_session(*, token: str) -> None:
    with session_scope() as session:
        accounts.log_out(session, token)
