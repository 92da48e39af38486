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
        result, failure = await admin_outcome(self.auth_token, work)
        self._show_outcome(failure, done)
        return result

    async def _as_admin_unlocked(
        self, work: Callable[[Session, User], T], *, done: str = ""
    ) -> T | None:
        """`_as_admin` for a background event: the tab is locked only to read the token and
        to show the outcome, never while `work` waits on Stripe or a mail server (a Redis
        state lock held past its expiry would be lost, and the tab's other events wait)."""
        async with self:
            self.error = self.notice = ""
            token = self.auth_token
        result, failure = await admin_outcome(token, work)
        async with self:
            self._show_outcome(failure, done)
        return result

    def _show_outcome(self, failure: tuple[str, dict] | None, done: str) -> None:
        if failure is not None:
            self.error = self._t(failure[0], **failure[1])
        elif done:
            self.notice = self._t(done)


async def admin_outcome(
    token: str, work: Callable[[Session, User], T]
) -> tuple[T | None, tuple[str, dict] | None]:
    """The work's result for an admin, or None and the message (key, params) to show."""
    try:
        return await for_admin(token, work), None
    except Forbidden:
        return None, ("common.forbidden", {})
    except UserError as exc:
        return None, (exc.key, exc.params)
