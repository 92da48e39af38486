"""Scaled out: a tab whose worker died keeps its token (hence its state) on the worker it
reconnects to; a tab duplicated while its worker lives still gets a token of its own.

Runs with HEYON_TEST_BACKEND=pg-redis (make test's second pass) on the run's own Redis.
"""

from __future__ import annotations

import uuid

from redis.asyncio import Redis
from reflex.utils.token_manager import RedisTokenManager

from heyon_app.tab_handover import HandoverTokenManager
from tests.concurrency import run_coroutine


async def _killed(manager: RedisTokenManager) -> None:
    """What Redis sees of a kill -9: the worker's connections drop, its records stay."""
    await manager.close()


def _run(url: str, scenario) -> None:
    managers: list[RedisTokenManager] = []

    def manager(cls: type[RedisTokenManager] = HandoverTokenManager) -> RedisTokenManager:
        managers.append(cls(Redis.from_url(url)))
        return managers[-1]

    async def run() -> None:
        try:
            await scenario(manager)
        finally:
            for each in managers:
                await each.close()

    run_coroutine(run())


def test_tab_of_a_killed_worker_keeps_its_token_on_another_worker(pg_redis):
    async def scenario(manager) -> None:
        token = str(uuid.uuid4())
        killed = manager()
        assert await killed.link_token_to_sid(token, "sid-on-killed") is None
        await _killed(killed)
        assert await manager().link_token_to_sid(token, "sid-on-live") is None

    _run(pg_redis.url, scenario)


def test_reflex_alone_gives_that_tab_a_new_token(pg_redis):
    """Why heyon_app.tab_handover exists: when this fails, Reflex does it by itself."""

    async def scenario(manager) -> None:
        token = str(uuid.uuid4())
        killed = manager(RedisTokenManager)
        await killed.link_token_to_sid(token, "sid-on-killed")
        await _killed(killed)
        assert await manager(RedisTokenManager).link_token_to_sid(token, "sid-on-live")

    _run(pg_redis.url, scenario)


def test_tab_duplicated_while_its_worker_lives_gets_a_new_token(pg_redis):
    async def scenario(manager) -> None:
        token = str(uuid.uuid4())
        assert await manager().link_token_to_sid(token, "first-tab") is None
        new_token = await manager().link_token_to_sid(token, "duplicated-tab")
        assert new_token and new_token != token

    _run(pg_redis.url, scenario)
