"""Database work of event handlers, run in a worker thread.

Reflex serves every connected tab from one asyncio loop; a query that waits on a lock (or
a slow disk) there makes every customer wait. Handlers await these instead.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlmodel import Session

from heyon_app.db import session_scope
from heyon_app.models import User
from heyon_app.services import accounts
from heyon_app.settings import settings

T = TypeVar("T")

# Page loads' database work has a pool of its own. Work that may wait on Stripe or a mail
# server must not come here: it would hold up every customer's page load.
# On SQLite, few threads: SQLite runs in this process, and Python runs one thread at a
# time; with the default pool's six threads all busy with ORM work, each load cost ~40%
# more CPU and the event loop waited for its turn (docs/PERFORMANCE.md, 2026-11-27). A
# database server's threads mostly wait on the network (and, while it is out of reach, on
# the connect timeout): as many as the default pool (None: ThreadPoolExecutor's default).
SQLITE_LOADER_THREADS = 2


def loader_threads() -> int | None:
    return SQLITE_LOADER_THREADS if settings.db_url.startswith("sqlite") else None


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


@functools.cache
def _loader_pool(pid: int) -> ThreadPoolExecutor:
    """One pool per process (a forked worker does not inherit its parent's threads)."""
    return ThreadPoolExecutor(loader_threads(), thread_name_prefix=f"heyon-loader-{pid}")


async def load_as_user(
    token: str, work: Callable[[Session, User], T] | None = None
) -> tuple[User | None, T | None]:
    """`with_user` for a page's loader and login guard: database work only, in the loaders'
    pool (the log context goes along, as with `asyncio.to_thread`)."""
    loop = asyncio.get_running_loop()
    run = functools.partial(contextvars.copy_context().run, _with_live_user, token, work)
    return await loop.run_in_executor(_loader_pool(os.getpid()), run)


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
