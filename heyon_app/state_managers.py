"""Reflex's state managers, where they fail Heyon's customers: at start the app's manager
is replaced by the one below for the same mode (`install`).

**One process (disk).** Reflex's disk state manager keeps each of a tab's substates in a
file, written a little after it changes, and deletes the files of tabs unseen for an hour.
Under load its writer woke whenever the next tab came due, which with hundreds of tabs was
every few milliseconds; each time it handed every file of every due tab to a thread of its
own and then looked through every tab for expired ones, in memory and on disk. Those
threads contend for the GIL with the events: with 500 customers the expiry scan alone cost
12-20 % of the CPU of a page load, and the writes' threads another 8 %
(bench/event_load_bench.py, docs/PERFORMANCE.md). Here the writer wakes once a second and
writes everything due in one thread call, leaving out files whose bytes it wrote already in
the last minute (a customer going back and forth between two pages changes little), and
looks for expired tabs once a minute.

**Scaled out (Redis).** An event takes the tab's lock in Redis with a SET before it
touches the state. Reflex cancels events: a navigation cancels the page load it replaces,
a reconnect the load in progress. Cancelled while its SET was on the way, an event has the
lock in Redis and never learns it; nothing releases it, and the tab's next events wait out
its expiry (`redis_lock_expiration`, 10 s): the page the customer went to shows nothing for
ten seconds. Here the SET's answer is always read, and a lock taken by an event that is
gone is given back at once.

A state a handler asks for on the way (`get_state`) is read from Redis with its parents
and the states whose computed vars depend on it, not with every state below it: every
in-app navigation sets the login token and the language (local storage) on AppState,
which is the parent of every page's state, and Reflex read and unpickled all of them to
set two vars. A state below it that is asked for later is read then, as Reflex already
does for a state the event's own fetch left out.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import logging
import time
from pathlib import Path
from time import monotonic

import reflex as rx
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken, StateToken
from reflex.state import BaseState

from heyon_app.redis_keys import delete_if_unchanged

log = logging.getLogger(__name__)

# A tab's file outlives its hour by at most this long.
PURGE_EVERY_SECONDS = 60.0
# A changed state reaches the disk at most this long after Reflex's debounce.
WRITE_EVERY_SECONDS = 1.0


class BatchedDiskStates(StateManagerDisk):
    """Reflex's disk state manager, writing in batches, skipping files whose bytes have not
    changed since the last minute's writes, and looking for expired tabs once a minute."""

    _last_purge: float | None = None

    def __post_init__(self) -> None:
        # The bytes last written to each file (a few KiB per tab). Forgotten every minute:
        # the hourly purge deletes files by age, so a live tab's files are written anew at
        # least once a minute.
        self._written: dict[Path, bytes] = {}
        super().__post_init__()

    def _purge_due(self) -> bool:
        return self._last_purge is None or monotonic() - self._last_purge >= PURGE_EVERY_SECONDS

    def _purge_expired_states(self) -> None:
        if not self._purge_due():
            return
        self._last_purge = monotonic()
        super()._purge_expired_states()

    async def set_state_for_substate(self, token: StateToken, substate) -> None:
        await self._write_in_thread(self._changed_files(token, substate))

    async def _process_write_queue(self) -> None:
        while True:
            try:
                await asyncio.sleep(WRITE_EVERY_SECONDS)
                now = time.time()
                due = [
                    token
                    for token, item in self._write_queue.items()
                    if now - item.timestamp >= self._write_debounce_seconds
                ]
                files = []
                for token in due:
                    files += self._changed_files(token, self._write_queue.pop(token).state)
                await self._write_in_thread(files)
                if self._purge_due():
                    self._written.clear()
                    self._forget_idle_tabs(now)
                    await asyncio.to_thread(self._purge_expired_states)
            except asyncio.CancelledError:
                await self._flush_write_queue()
                raise
            except Exception as exc:
                if exc.args == ("cannot schedule new futures after shutdown",):
                    return  # the process is stopping
                log.exception("writing tabs' states to disk")

    def _changed_files(self, token: StateToken, state) -> list[tuple[Path, bytes]]:
        """The files of `state` and its substates that changed since they were last
        written, pickled now: the event loop is the only place the state is not changing."""
        files = []
        if token.get_and_reset_touched_state(state) and (pickled := token.serialize(state)):
            path = self.token_path(token.with_cls(type(state)))
            if self._written.get(path) != pickled:
                files.append((path, pickled))
        if isinstance(token, BaseStateToken) and isinstance(state, BaseState):
            for substate in state.substates.values():
                files += self._changed_files(token, substate)
        return files

    async def _write_in_thread(self, files: list[tuple[Path, bytes]]) -> None:
        if files:
            await asyncio.to_thread(self._write, files)

    def _write(self, files: list[tuple[Path, bytes]]) -> None:
        self.states_directory.mkdir(parents=True, exist_ok=True)
        for path, pickled in files:
            try:
                path.write_bytes(pickled)
                self._written[path] = pickled
            except OSError:
                # One tab's lost write must not cost the others theirs.
                log.exception("writing a tab's state to %s", path)

    def _forget_idle_tabs(self, now: float) -> None:
        pending = {token.cache_key for token in self._write_queue}
        for cache_key, (last_touched, token) in list(self._token_last_touched.items()):
            if (
                now - last_touched > self.token_expiration
                and cache_key not in pending
                and not self._is_locked(token)
            ):
                self._purge_token(token)


# Set while Redis is read for a state a handler asked for (see RedisStates.get_state).
_FETCHING_FOR_A_HANDLER = contextvars.ContextVar("fetching_for_a_handler", default=False)


class RedisStates(StateManagerRedis):
    """Reflex's Redis state manager, less the lock a cancelled event leaves taken, and less
    the states below one a handler asks for."""

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

    async def get_state(self, token, top_level=True, for_state_instance=None):
        if for_state_instance is None:  # the event's own states: Reflex's rule
            return await super().get_state(token, top_level, for_state_instance)
        fetching = _FETCHING_FOR_A_HANDLER.set(True)
        try:
            return await super().get_state(token, top_level, for_state_instance)
        finally:
            _FETCHING_FOR_A_HANDLER.reset(fetching)

    def _get_required_state_classes(
        self, target_state_cls, subclasses=False, required_state_classes=None
    ):
        if required_state_classes is None and _FETCHING_FOR_A_HANDLER.get():
            subclasses = False
        return super()._get_required_state_classes(
            target_state_cls, subclasses, required_state_classes
        )


_REPLACEMENTS = {StateManagerDisk: BatchedDiskStates, StateManagerRedis: RedisStates}


def install(app: rx.App) -> None:
    """The app keeps its tabs' state with the manager above for the mode Reflex chose."""
    current = app._state_manager
    if (replacement := _REPLACEMENTS.get(type(current))) is not None:
        app._state_manager = replacement(
            **{f.name: getattr(current, f.name) for f in dataclasses.fields(current) if f.init}
        )
