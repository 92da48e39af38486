"""Scaled out: an event cancelled while it was taking its tab's state lock (a navigation
cancels the page load it replaces) leaves no lock behind, so the tab's next event goes
ahead at once instead of waiting out the lock's expiry.

Runs with HEYON_TEST_BACKEND=pg-redis (make test's second pass) on the run's own Redis,
through a proxy that makes Redis's answers late: the SET has taken the lock on the server
while its answer is still on the way when the event is cancelled.
"""

from __future__ import annotations

import asyncio
import time
import uuid

from redis.asyncio import Redis
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken

from heyon_app.redis_locks import CancelSafeLocks
from heyon_app.state.base import AppState
from tests.concurrency import run_coroutine
from tests.tcp_proxy import TcpProxy

LOCK_EXPIRATION_MS = 4000
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
        waited = _next_event_waits(pg_redis.url, proxy, CancelSafeLocks)
    assert waited < ANSWER_DELAY + 1.0, f"the next event waited {waited:.1f} s for the lock"


def test_reflex_alone_leaves_it_taken_until_it_expires(pg_redis):
    """Why heyon_app.redis_locks exists: when this fails, Reflex gives the lock back itself."""
    with TcpProxy("127.0.0.1", pg_redis.port) as proxy:
        waited = _next_event_waits(pg_redis.url, proxy, StateManagerRedis)
    assert waited > LOCK_EXPIRATION_MS / 1000 - 1.0, f"waited only {waited:.1f} s"


def test_the_app_keeps_its_state_with_the_cancel_safe_manager(pg_redis):
    from heyon_app.heyon_app import app

    assert type(app.state_manager) is CancelSafeLocks
