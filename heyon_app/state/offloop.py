"""Database work of event handlers, run in a worker thread.

Reflex serves every connected tab from one asyncio loop; a query that waits on a lock (or
a slow disk) there makes every customer wait. Handlers await these instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from heyon_app.db import session_scope
from heyon_app.models import User
from heyon_app.services import accounts

T = TypeVar("T")


class Forbidden(Exception):
    """The tab's user is not an admin (or not logged in): nothing was done."""


def _with_live_user(
    token: str, work: Callable[[Session, User], T] | None
) -> tuple[User | None, T | None]:
    with session_scope() as session:
        user = accounts.user_for_token(session, token)
        if user is None or work is None:
            return user, None
        return user, work(session, user)


async def with_user(
    token: str, work: Callable[[Session, User], T] | None = None
) -> tuple[User | None, T | None]:
    """The live user behind `token` (None when it is no live session) and, for a live
    user, `work(session, user)`: one session, one lookup, committed, off the event loop."""
    return await asyncio.to_thread(_with_live_user, token, work)


async def for_user(token: str, work: Callable[[Session, User], T]) -> T | None:
    """`work(session, user)` for the live user behind `token`; None (and nothing done)
    when the token is no live session."""
    return (await with_user(token, work))[1]


async def for_admin(token: str, work: Callable[[Session, User], T]) -> T:
    """`work(session, admin)` off the event loop, only when the token's user is an admin
    now (the role is read from the database on every call); raises Forbidden otherwise."""

    def admin_only(session: Session, user: User) -> T:
        if user.role != "admin":
            raise Forbidden
        return work(session, user)

    user, result = await with_user(token, admin_only)
    if user is None:
        raise Forbidden
    return result  # type: ignore[return-value]
