"""Every Reflex event is one request in the logs: its lines (threads it starts included)
carry one request_id and the event's name, like the HTTP endpoints' lines do."""

from __future__ import annotations

from reflex.middleware import Middleware

from heyon_app import logs


class EventLogContext(Middleware):
    """Reflex runs each event in its own asyncio task and calls this first in that task, so
    the context set here lasts exactly as long as the event."""

    async def preprocess(self, app, state, event):  # noqa: ANN001 - Reflex's signature
        logs.begin_task_request(event=short_name(event.name))
        return None


def short_name(full: str) -> str:
    """`checkout_state.pay` for Reflex's `reflex___state____state.….heyon_app___state___checkout____checkout_state.pay`:
    readable, and short enough that the log's token scrubber leaves it whole."""
    *states, handler = full.split(".")
    return f"{states[-1].rsplit('____', 1)[-1]}.{handler}" if states else handler
