"""A tab's state lock that a cancelled event cannot leave behind (scaled out: Reflex's
Redis state manager).

An event takes the tab's lock in Redis with a SET before it touches the state. Reflex
cancels events: a navigation cancels the page load it replaces, a reconnect the load in
progress. Cancelled while its SET was on the way, an event has the lock in Redis and never
learns it; nothing releases it, and the tab's next events wait out its expiry
(`redis_lock_expiration`, 10 s): the page the customer went to shows nothing for ten
seconds. Here the SET's answer is always read, and a lock taken by an event that is gone
is given back at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging

import reflex as rx
from reflex.istate.manager.redis import StateManagerRedis

log = logging.getLogger(__name__)

# Delete the lock only if it is still the one that was taken: it may have expired and
# gone to another event meanwhile.
_DELETE_IF_OURS = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class CancelSafeLocks(StateManagerRedis):
    """Reflex's Redis state manager, less the lock a cancelled event leaves taken."""

    async def _try_get_lock(self, lock_key: bytes, lock_id: bytes) -> bool | None:
        attempt = asyncio.ensure_future(super()._try_get_lock(lock_key, lock_id))
        try:
            return await asyncio.shield(attempt)
        except asyncio.CancelledError:
            # The event is gone; the SET goes on to its answer, and a lock it took is freed.
            with contextlib.suppress(Exception):
                if await asyncio.shield(attempt):
                    await self.redis.eval(_DELETE_IF_OURS, 1, lock_key, lock_id)
                    self._notify_next_waiter(lock_key)
                    log.info("gave back a tab lock taken by a cancelled event")
            raise


def install(app: rx.App) -> None:
    """Scaled out (Redis state manager): the app keeps its state with the manager above."""
    current = app._state_manager
    if type(current) is StateManagerRedis:
        app._state_manager = CancelSafeLocks(
            **{f.name: getattr(current, f.name) for f in dataclasses.fields(current) if f.init}
        )
