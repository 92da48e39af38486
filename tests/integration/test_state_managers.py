"""Where the app keeps its tabs' state (heyon_app/state_managers.py).

One process: what a tab's events change is on disk within seconds, written for all due
tabs in one thread call, and read back by the next process; expired tabs' files are
deleted, looked for once a minute, not after every batch of writes. Scaled out: an event
cancelled while it was taking its tab's state lock (a navigation cancels the page load it
replaces) leaves no lock behind, so the tab's next event goes ahead at once instead of
waiting out the lock's expiry; an event takes two requests to Redis, and another worker
reads what it wrote. Those run with
HEYON_TEST_BACKEND=pg-redis (make test's second pass) on the run's own Redis, through a
proxy that makes Redis's answers late: the SET has taken the lock on the server while its
answer is still on the way when the event is cancelled.
"""

from __future__ import annotations

import asyncio
import os
import time
import types
import uuid

from redis.asyncio import Redis
from redis.asyncio.connection import AbstractConnection
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken

from heyon_app import state_managers
from heyon_app.state.base import AppState
from heyon_app.state_managers import BatchedDiskStates, RedisStates
from tests.concurrency import run_coroutine
from tests.tcp_proxy import TcpProxy

LOCK_EXPIRATION_MS = 4000


def _tab_file(folder, name: str, age_seconds: float):
    path = folder / f"{name}.pkl"
    path.write_bytes(b"")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_one_process_deletes_expired_tabs_files_looking_once_a_minute(tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(tmp_path))
    now = [1_000.0]
    monkeypatch.setattr(state_managers, "monotonic", lambda: now[0])
    expired = _tab_file(tmp_path, "expired-at-start", age_seconds=7_200)
    app = types.SimpleNamespace(_state_manager=StateManagerDisk(token_expiration=3_600))
    state_managers.install(app)
    manager = app._state_manager
    assert type(manager) is BatchedDiskStates
    assert manager.token_expiration == 3_600
    assert not expired.exists()

    # What Reflex runs after each batch of state writes: within the minute, no scan.
    expired = _tab_file(tmp_path, "expired-since", age_seconds=7_200)
    live = _tab_file(tmp_path, "live", age_seconds=60)
    now[0] += 30
    manager._purge_expired_states()
    assert expired.exists()
    now[0] += 31
    manager._purge_expired_states()
    assert not expired.exists()
    assert live.exists()


async def _stop_writer(manager: BatchedDiskStates) -> None:
    manager._write_queue_task.cancel()
    await asyncio.gather(manager._write_queue_task, return_exceptions=True)


def test_one_process_writes_the_tabs_changes_in_one_batch_and_reads_them_after_a_restart(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(tmp_path))
    monkeypatch.setattr(state_managers, "WRITE_EVERY_SECONDS", 0.05)
    tokens = [BaseStateToken(ident=str(uuid.uuid4()), cls=AppState) for _ in range(3)]
    batches = []

    async def serve() -> None:
        # Not due while the three events run, however slowly: then all due at once.
        manager = BatchedDiskStates(_write_debounce_seconds=3_600)
        write = manager._write
        monkeypatch.setattr(manager, "_write", lambda files: batches.append(files) or write(files))
        for n, token in enumerate(tokens):
            async with manager.modify_state(token) as root:
                app_state = await root.get_state(AppState)
                app_state.user_email = f"tab{n}@example.com"
        manager._write_debounce_seconds = 0
        for _ in range(100):
            if batches:
                break
            await asyncio.sleep(0.05)
        await _stop_writer(manager)

    async def restarted() -> list[str]:
        manager = BatchedDiskStates()
        emails = []
        for token in tokens:
            root = await manager.get_state(token)
            emails.append((await root.get_state(AppState)).user_email)
        return emails

    run_coroutine(serve())
    assert len(batches) == 1, "the three tabs' changes went to disk in more than one thread call"
    written = {path for path, _ in batches[0]}
    assert len(written) == len(batches[0]) >= 3
    assert run_coroutine(restarted()) == [f"tab{n}@example.com" for n in range(3)]


def test_one_process_writes_an_unchanged_tab_again_only_once_a_minute(tmp_path, monkeypatch):
    """Unchanged bytes are not written again, but a live tab's files are rewritten at least
    once a minute: the hourly purge deletes files by age."""
    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(tmp_path))
    monkeypatch.setattr(state_managers, "WRITE_EVERY_SECONDS", 0.02)
    now = [1_000.0]
    monkeypatch.setattr(state_managers, "monotonic", lambda: now[0])
    token = BaseStateToken(ident=str(uuid.uuid4()), cls=AppState)
    written: list[str] = []

    async def scenario() -> list[list[str]]:
        manager = BatchedDiskStates(_write_debounce_seconds=0)
        write = manager._write
        app_state_file = manager.token_path(token.with_cls(AppState)).name

        def spy(files):
            written.extend(path.name for path, _ in files if path.name == app_state_file)
            write(files)

        monkeypatch.setattr(manager, "_write", spy)

        async def event(email: str) -> list[str]:
            before = len(written)
            async with manager.modify_state(token) as root:
                (await root.get_state(AppState)).user_email = email
            await asyncio.sleep(0.1)  # a few of the writer's passes
            return written[before:]

        try:
            writes = [
                await event("first@example.com"),
                await event("first@example.com"),  # touched, the same bytes
                await event("second@example.com"),
                await event("second@example.com"),
            ]
            now[0] += 61
            await asyncio.sleep(0.1)  # the writer's pass that forgets what it wrote
            return [*writes, await event("second@example.com")]
        finally:
            await _stop_writer(manager)

    writes = [len(files) for files in run_coroutine(scenario())]
    assert writes == [1, 0, 1, 0, 1]


ANSWER_DELAY = 0.5


def _next_event_waits(redis_url: str, proxy: TcpProxy, manager_cls) -> float:
    """Seconds the tab's next event waits for its lock after the one before was cancelled
    with its SET done in Redis and the answer on the way."""

    async def scenario() -> float:
        direct = Redis.from_url(redis_url)
        manager = manager_cls(
            redis=Redis.from_url(f"redis://{proxy.host}"), lock_expiration=LOCK_EXPIRATION_MS
        )
        token = BaseStateToken(ident=str(uuid.uuid4()), cls=AppState)
        lock_key = manager._lock_key(token)
        try:
            await manager.redis.ping()  # connected: the SET is the next thing sent

            async def page_load() -> None:
                async with manager.modify_state(token):
                    pass

            proxy.answer_delay = ANSWER_DELAY
            superseded = asyncio.create_task(page_load())
            for _ in range(100):
                if await direct.exists(lock_key):
                    break
                await asyncio.sleep(0.01)
            assert await direct.exists(lock_key), "the event's SET never reached Redis"
            superseded.cancel()
            await asyncio.gather(superseded, return_exceptions=True)
            proxy.answer_delay = 0

            started = time.monotonic()
            async with manager.modify_state(token):
                waited = time.monotonic() - started
            return waited
        finally:
            await manager.close()
            await direct.aclose()

    return run_coroutine(scenario())


def test_a_cancelled_page_load_leaves_the_tabs_lock_free(pg_redis):
    with TcpProxy("127.0.0.1", pg_redis.port) as proxy:
        waited = _next_event_waits(pg_redis.url, proxy, RedisStates)
    assert waited < ANSWER_DELAY + 1.0, f"the next event waited {waited:.1f} s for the lock"


def test_reflex_alone_leaves_it_taken_until_it_expires(pg_redis):
    """Why heyon_app.state_managers exists: when this fails, Reflex gives the lock back itself."""
    with TcpProxy("127.0.0.1", pg_redis.port) as proxy:
        waited = _next_event_waits(pg_redis.url, proxy, StateManagerRedis)
    assert waited > LOCK_EXPIRATION_MS / 1000 - 1.0, f"waited only {waited:.1f} s"


def test_the_app_keeps_its_state_with_its_own_redis_manager(pg_redis):
    from heyon_app.heyon_app import app

    assert type(app.state_manager) is RedisStates


def _round_trips_of_an_event(redis_url: str, manager_cls, monkeypatch) -> tuple[int, str]:
    """Requests an uncontended event sends Redis (a pipeline is one), and what a new manager
    (another worker) then reads of the state it changed."""
    sent = []
    send = AbstractConnection.send_packed_command

    async def counted(connection, command, check_health=True):
        sent.append(command)
        return await send(connection, command, check_health)

    async def scenario() -> str:
        manager = manager_cls(redis=Redis.from_url(redis_url), lock_expiration=LOCK_EXPIRATION_MS)
        token = BaseStateToken(ident=str(uuid.uuid4()), cls=AppState)
        try:
            # Connected, and listening for other workers' lock releases: only the event's
            # own requests are counted.
            await manager.redis.ping()
            await manager._ensure_lock_task_subscribed()
            with monkeypatch.context() as counting:
                counting.setattr(AbstractConnection, "send_packed_command", counted)
                async with manager.modify_state(token) as root:
                    (await root.get_state(AppState)).user_email = "tab@example.com"
            assert not await manager.redis.exists(manager._lock_key(token)), "lock kept"
        finally:
            await manager.close()
        other = RedisStates(redis=Redis.from_url(redis_url))
        try:
            return (await (await other.get_state(token)).get_state(AppState)).user_email
        finally:
            await other.close()

    email = run_coroutine(scenario())
    return len(sent), email


def test_an_event_takes_two_round_trips_to_redis(pg_redis, monkeypatch):
    """One takes the tab's lock and reads its states, one writes them and frees the lock."""
    trips, email = _round_trips_of_an_event(pg_redis.url, RedisStates, monkeypatch)
    assert (trips, email) == (2, "tab@example.com")


def test_reflex_alone_takes_four(pg_redis, monkeypatch):
    """Why RedisStates reads with the lock's SET and frees the lock with the write: when this
    fails, Reflex's manager has changed and the two need comparing again."""
    trips, email = _round_trips_of_an_event(pg_redis.url, StateManagerRedis, monkeypatch)
    assert (trips, email) == (4, "tab@example.com")
