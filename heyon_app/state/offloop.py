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


async def for_user(token: str, work: Callable[[Session, User], T]) -> T | None:
    """`work(session, user)` for the live user behind `token`, committed, off the event loop;
    None (and nothing done) when the token is no live session."""

    def run() -> T | None:
        with session_scope() as session:
            user = accounts.user_for_token(session, token)
            return None if user is None else work(session, user)

    return await asyncio.to_thread(run)


async def for_admin(token: str, work: Callable[[Session, User], T]) -> T:
    """`work(session, admin)` off the event loop, only when the token's user is an admin
    now (the role is read from the database on every call); raises Forbidden otherwise."""

    def run() -> T:
        with session_scope() as session:
            user = accounts.user_for_token(session, token)
            if user is None or user.role != "admin":
                raise Forbidden
            return work(session, user)

    return await asyncio.to_thread(run)
