"""Reflex's state managers, where they fail Heyon's customers: at start the app's manager
is replaced by the one below for the same mode (`install`).

**One process (disk).** Reflex's disk state manager keeps each tab's state in a file and
deletes the files of tabs unseen for an hour. It looked for them by reading the time of
every tab's file after each batch of writes: under load many times a second, in threads
that contend for the GIL with the events. With 500 customers that cost 12-20 % of the CPU
of a page load (bench/event_load_bench.py, docs/PERFORMANCE.md). It now looks once a minute.

**Scaled out (Redis).** An event takes the tab's lock in Redis with a SET before it
touches the state. Reflex cancels events: a navigation cancels the page load it replaces,
a reconnect the load in progress. Cancelled while its SET was on the way, an event has the
lock in Redis and never learns it; nothing releases it, and the tab's next events wait out
its expiry (`redis_lock_expiration`, 10 s): the page the customer went to shows nothing for
ten seconds. Here the SET's answer is always read, and a lock taken by an event that is
gone is given back at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from time import monotonic

import reflex as rx
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.redis import StateManagerRedis

from heyon_app.redis_keys import delete_if_unchanged

log = logging.getLogger(__name__)

# A tab's file outlives its hour by at most this long.
PURGE_EVERY_SECONDS = 60.0


class PurgeOncePerMinute(StateManagerDisk):
    """Reflex's disk state manager, looking for expired tabs' files once a minute."""

    _last_purge: float | None = None

    def _purge_expired_states(self) -> None:
        now = monotonic()
        if self._last_purge is not None and now - self._last_purge < PURGE_EVERY_SECONDS:
            return
        self._last_purge = now
        super()._purge_expired_states()


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
                    # Only ours: it may have expired and gone to another event meanwhile.
                    await delete_if_unchanged(self.redis, lock_key, lock_id)
                    self._notify_next_waiter(lock_key)
                    log.info("gave back a tab lock taken by a cancelled event")
            raise


_REPLACEMENTS = {StateManagerDisk: PurgeOncePerMinute, StateManagerRedis: CancelSafeLocks}


def install(app: rx.App) -> None:
    """The app keeps its tabs' state with the manager above for the mode Reflex chose."""
    current = app._state_manager
    if (replacement := _REPLACEMENTS.get(type(current))) is not None:
        app._state_manager = replacement(
            **{f.name: getattr(current, f.name) for f in dataclasses.fields(current) if f.init}
        )
