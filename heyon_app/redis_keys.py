"""A Redis key deleted only if it still holds what was read, for the app's fixes to Reflex's
Redis managers (tab_handover, state_managers)."""

from __future__ import annotations

from redis.asyncio import Redis

# One script, so no other client can write the key between the comparison and the delete.
_DELETE_IF_UNCHANGED = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


async def delete_if_unchanged(redis: Redis, key: bytes | str, value: bytes) -> bool:
    """Whether `key` still held `value` and is now gone."""
    return bool(await redis.eval(_DELETE_IF_UNCHANGED, 1, key, value))
