"""The one guard of admin events: the role is read from the database in every handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from heyon_app.models import User
from heyon_app.services.errors import UserError
from heyon_app.state.base import AppState
from heyon_app.state.offloop import Forbidden, for_admin

T = TypeVar("T")


class AdminState(AppState):
    """Base of every admin page's state. Handlers run their work through `_as_admin`."""

    error: str = ""
    notice: str = ""

    async def _as_admin(self, work: Callable[[Session, User], T], *, done: str = "") -> T | None:
        """`work(session, admin)` in a thread for an admin; for anyone else a clear message
        and nothing changed. A UserError rolls the work back and shows its message.

        Returns None when refused or failed, so `work` should return something else.
        `done` is the message key shown on success.
        """
        self.error = self.notice = ""
        try:
            result = await for_admin(self.auth_token, work)
        except Forbidden:
            self.error = self._t("common.forbidden")
            return None
        except UserError as exc:
            self.error = self._t(exc.key, **exc.params)
            return None
        if done:
            self.notice = self._t(done)
        return result
