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

Each event also took four or five round trips to Redis: the lock's SET, the states' read,
the fenced write and the lock's release, each a request of its own. Here the read goes in the
SET's request (used only if the lock was free) and the release in the write's script: two.
A navigation's `update_vars_internal` reads the states holding the browser's stored vars in
that request too, where Reflex read them in a request of their own once it ran.

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
import dataclasses
import functools
import logging
import time
import uuid
from pathlib import Path
from time import monotonic

import reflex as rx
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken, StateToken
from reflex.state import BaseState, State, UpdateVarsInternalState
from reflex_base.utils.exceptions import LockExpiredError, StateSchemaMismatchError

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


# KEYS: the lock, then the states'. ARGV: the lock id, the states' expiry (s), then the
# pickled states in KEYS order. Reflex's fenced save and the lock's release in one round
# trip: nothing is written or released unless the lock is still this event's. Returns the
# lock's time left (ms) then, else nil.
_SAVE_AND_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return nil
end
for i = 2, #KEYS do
    redis.call('SET', KEYS[i], ARGV[i + 1], 'EX', ARGV[2])
end
local left = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
return left
"""


class RedisStates(StateManagerRedis):
    """Reflex's Redis state manager in two round trips per event where it took four or five
    (the lock's SET with the states' read, then their write with the lock's release),
    reading only the states an event needs, and giving back a cancelled event's lock."""

    @contextlib.asynccontextmanager
    async def _try_modify_state(self, token: StateToken, **context):
        if self._oplock_enabled or not isinstance(token, BaseStateToken):
            async with super()._try_modify_state(token, **context) as state:
                yield state
            return
        event = context.get("event")
        lock_key = self._lock_key(token)
        lock_id = f"{event.name if event else ''}:{uuid.uuid4().hex}".encode()
        try:
            state = await self._lock_and_read(token, lock_key, lock_id)
            yield state
            await self._save_and_release(token, state, lock_key, lock_id, event=event)
        except LockExpiredError:
            raise  # the lock is no longer this event's to give back
        except BaseException:
            # Only if it is this event's: the read may have failed before it was taken.
            with contextlib.suppress(Exception):
                await delete_if_unchanged(self.redis, lock_key, lock_id)
            raise
        finally:
            self._notify_next_waiter(lock_key)

    async def _lock_and_read(self, token: BaseStateToken, lock_key: bytes, lock_id: bytes):
        """The event's states, read in the round trip that takes the lock when nobody in this
        process waits for it; else after Reflex's wait for the lock. Read before the answer
        says whether the lock was free, they are used only if it was: no other event can
        write them while this one holds it."""
        if not self._n_lock_waiters(lock_key):
            classes = self._to_read(token.cls, below=True, have={})
            both = self.redis.pipeline(transaction=False)
            both.set(lock_key, lock_id, px=self.lock_expiration, nx=True)
            both.mget([token._state_key(cls) for cls in classes])
            taken, pickled = await self._taking(lock_key, lock_id, both.execute(), lambda r: r[0])
            if taken:
                return self._tree(token, classes, pickled, {}, top_level=True)
        await self._wait_lock(lock_key, lock_id)
        return await self.get_state(token)

    async def _try_get_lock(self, lock_key: bytes, lock_id: bytes) -> bool | None:
        return await self._taking(lock_key, lock_id, super()._try_get_lock(lock_key, lock_id))

    async def _taking(self, lock_key: bytes, lock_id: bytes, attempt, took=bool):
        """`attempt`'s answer (it may take the lock); if the event is cancelled meanwhile,
        the attempt goes on to its answer, and a lock it took is freed."""
        attempt = asyncio.ensure_future(attempt)
        try:
            return await asyncio.shield(attempt)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                if took(await asyncio.shield(attempt)):
                    # Only ours: it may have expired and gone to another event meanwhile.
                    await delete_if_unchanged(self.redis, lock_key, lock_id)
                    self._notify_next_waiter(lock_key)
                    log.info("gave back a tab lock taken by a cancelled event")
            raise

    async def _save_and_release(self, token, state, lock_key: bytes, lock_id: bytes, *, event):
        writes = self._collect_state_writes(token, state)
        left = await self.redis.eval(
            _SAVE_AND_RELEASE,
            1 + len(writes),
            lock_key,
            *(key for key, _ in writes),
            lock_id,
            self.token_expiration,
            *(pickled for _, pickled in writes),
        )
        named = f" (event {event.name})" if event is not None else ""
        if left is None:
            raise LockExpiredError(
                f"Lock expired for token {token} while processing{named}: its changes are"
                f" lost. Run long work in a background event (lock_expiration"
                f" {self.lock_expiration} ms)."
            )
        held = (self.lock_expiration - left) / 1000
        if held > self.lock_warning_threshold / 1000:
            log.warning("the lock of %s was held %.1f s%s", token, held, named)

    async def get_state(self, token, top_level=True, for_state_instance=None):
        """Reflex's, but a state a handler asks for on the way (`for_state_instance`) is
        read with its parents and the states whose computed vars depend on it, not with
        every state below it (see the module's doc)."""
        token = self._coerce_token(token)
        if not isinstance(token, BaseStateToken):
            return await super().get_state(token, top_level, for_state_instance)
        tree = self._get_populated_states(for_state_instance) if for_state_instance else {}
        classes = self._to_read(token.cls, below=for_state_instance is None, have=tree)
        pickled = (
            await self.redis.mget([token._state_key(cls) for cls in classes]) if classes else []
        )
        return self._tree(token, classes, pickled, tree, top_level)

    def _to_read(self, cls, *, below: bool, have: dict) -> list:
        needed = self._get_required_state_classes(cls, subclasses=below)
        if below and cls is UpdateVarsInternalState:
            # It sets the vars the browser keeps (the login token, the language) on every
            # navigation: their states are read in the same request, not in one after.
            for holder in _browser_storage_states(State):
                self._get_required_state_classes(holder, required_state_classes=needed)
        # By full name: a parent comes before its substates.
        return sorted(needed - {type(s) for s in have.values()}, key=lambda c: c.get_full_name())

    @staticmethod
    def _tree(token: BaseStateToken, classes: list, pickled: list, tree: dict, top_level: bool):
        """The states read (a new one where Redis had none, or an older shape), linked into
        `tree`; the root state, or with `top_level` False the token's own."""
        for cls, data in zip(classes, pickled, strict=True):
            state = None
            if data is not None:
                with contextlib.suppress(StateSchemaMismatchError):
                    state = BaseState._deserialize(data=data)
            if state is None:
                state = cls(init_substates=False, _reflex_internal_init=True)
            name = state.get_full_name()
            tree[name] = state
            if state.get_parent_state() is not None:
                parent_name, _, own_name = name.rpartition(".")
                parent = tree[parent_name]
                parent.substates[own_name] = state
                state.parent_state = parent
        wanted = token.cls.get_root_state() if top_level else token.cls
        return tree[wanted.get_full_name()]


@functools.cache
def _browser_storage_states(state_cls: type[BaseState]) -> tuple[type[BaseState], ...]:
    """`state_cls` and the states below it that declare vars the browser keeps (cookies,
    local storage)."""
    own = any(state_cls._is_client_storage(name) for name in state_cls.base_vars)
    below = (s for sub in state_cls.get_substates() for s in _browser_storage_states(sub))
    return (state_cls,) * own + tuple(below)


_REPLACEMENTS = {StateManagerDisk: BatchedDiskStates, StateManagerRedis: RedisStates}


def install(app: rx.App) -> None:
    """The app keeps its tabs' state with the manager above for the mode Reflex chose."""
    current = app._state_manager
    if (replacement := _REPLACEMENTS.get(type(current))) is not None:
        app._state_manager = replacement(
            **{f.name: getattr(current, f.name) for f in dataclasses.fields(current) if f.init}
        )
