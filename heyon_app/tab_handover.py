"""A tab whose backend worker died keeps its token, hence its state, on the worker it
reconnects to (scaled out: several workers sharing Reflex's Redis state manager).

Reflex's Redis token manager records which worker holds each tab's websocket and takes a
tab that connects while such a record exists for a duplicated browser tab: it hands it a
new token, i.e. an empty state. A worker that is killed (kill -9, the OOM killer, a crash)
never deletes its records, so for the next hour (redis_token_expiration) each tab it
served came back empty: the login returned from the browser's token, but the checkout in
progress (the card typed in, a promotion, the WeChat Pay code shown) was gone.

Here each worker also holds a Redis subscription of its own for as long as it lives;
Redis drops it the moment the process dies. A record whose worker has no subscription is
a dead worker's: the reconnecting tab takes it over and keeps its token. A live worker's
record still means a duplicated tab, which gets a new token as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle

import reflex as rx
from reflex.utils.tasks import ensure_task
from reflex.utils.token_manager import RedisTokenManager, SocketRecord

from heyon_app.redis_keys import delete_if_unchanged

log = logging.getLogger(__name__)

_ALIVE_CHANNEL = "heyon_worker_alive_{instance_id}"
_SUBSCRIBE_SECONDS = 5.0


def _alive_channel(instance_id: str) -> str:
    return _ALIVE_CHANNEL.format(instance_id=instance_id)


class HandoverTokenManager(RedisTokenManager):
    """Reflex's Redis token manager, less the duplicate-tab verdict on a dead worker's tabs."""

    _alive_task: asyncio.Task | None = None
    _subscribed: asyncio.Event | None = None

    def _reset_instance_id(self) -> None:
        # A worker gets its identity when it starts serving: subscribe under the new one.
        super()._reset_instance_id()
        if self._alive_task is not None:
            self._alive_task.cancel()
            self._alive_task = None

    async def _hold_alive_subscription(self) -> None:
        assert self._subscribed is not None
        async with self.redis.pubsub() as pubsub:
            await pubsub.subscribe(_alive_channel(self.instance_id))
            self._subscribed.set()
            try:
                async for _ in pubsub.listen():
                    pass  # nothing is published: holding the subscription is the signal
            finally:
                self._subscribed.clear()

    async def _announce_alive(self) -> None:
        """Subscribed before this worker records a tab, so no live tab looks abandoned."""
        if self._subscribed is None:
            self._subscribed = asyncio.Event()
        ensure_task(
            owner=self,
            task_attribute="_alive_task",
            coro_function=self._hold_alive_subscription,
            suppress_exceptions=[Exception],
        )
        await asyncio.wait_for(self._subscribed.wait(), _SUBSCRIBE_SECONDS)

    async def _take_over_from_dead_worker(self, token: str) -> None:
        key = self._get_redis_key(token)
        raw = await self.redis.get(key)
        if not raw:
            return
        record: SocketRecord = pickle.loads(raw)
        if record.instance_id == self.instance_id:
            return  # this worker's own record: Reflex's rules apply
        [(_, subscribers)] = await self.redis.pubsub_numsub(_alive_channel(record.instance_id))
        if subscribers:
            return  # a live worker holds the tab: this one is a duplicate
        # Only the record read: another worker may have recorded the tab (a duplicated tab
        # connecting at the same moment) since.
        if await delete_if_unchanged(self.redis, key, raw):
            self.token_to_socket.pop(token, None)
            if self.sid_to_token.get(record.sid) == token:
                self.sid_to_token.pop(record.sid, None)
            log.info("a tab of a stopped worker reconnected here and keeps its state")

    async def link_token_to_sid(self, token: str, sid: str) -> str | None:
        try:
            await self._announce_alive()
            await self._take_over_from_dead_worker(token)
        except Exception:  # noqa: BLE001 - Redis trouble: Reflex's own handling follows
            log.warning("could not check whether a tab's worker is alive", exc_info=True)
        return await super().link_token_to_sid(token, sid)

    async def close(self) -> None:
        if self._alive_task is not None:
            self._alive_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._alive_task
            self._alive_task = None
        await super().close()


def install(app: rx.App) -> None:
    """Scaled out (Redis state manager): the app's websocket namespace uses the manager above."""
    namespace = app.event_namespace
    if namespace is None:
        return
    current = namespace._token_manager
    if type(current) is RedisTokenManager:
        namespace._token_manager = HandoverTokenManager(current.redis)
