"""Run the same work in several threads released at the same instant, and a handler on a
stand-in for one tab's state, in the order a test means.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import copy
import inspect
import threading
import time
import types
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import reflex as rx

T = TypeVar("T")


def run_at_once(work: Callable[[], T], times: int = 2, timeout: float = 30.0) -> list[T]:
    """The results of `times` simultaneous calls; the first error in any thread is raised."""
    start = threading.Barrier(times)
    results: list[T] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(work())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    assert len(results) == times, "a thread did not finish in time"
    return results


def run_coroutine(coroutine: Coroutine[object, object, T]) -> T:
    """`asyncio.run` in a thread of its own.

    The browser tests' Playwright (sync API) keeps an event loop running in the main
    thread for the whole session, where a plain `asyncio.run` refuses to start. The
    caller's context variables (Reflex keeps its state registry in one) come along.
    """
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(context.run, asyncio.run, coroutine).result()


@contextlib.contextmanager
def no_running_loop() -> Iterator[None]:
    """This thread without its running event loop for a while: Playwright's sync API keeps
    one running in the main thread, and what asks for a running loop meanwhile (an
    asyncio task made at import) would be tied to Playwright's loop, not to its own."""
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


def wait_for(check: Callable[[], T], timeout: float = 15.0, every: float = 0.05) -> T:
    """Poll a condition the app reaches on its own time (a mail sent after commit, a
    process coming up); its last value, falsy if the time ran out."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


class Tab:
    """One tab's state, stood in for so that its event handlers run without a served app.

    Every var of `states` starts at its default (or as given), the states' own helpers
    (`_t` in the tab's locale, `_show`, `_requote`) work on it, and `async with self`,
    Reflex's lock on a tab's background changes, has just this one tab to lock. Reflex runs
    one tab's events one at a time; a test runs them in the order it means.
    """

    def __init__(self, *states: type[rx.State], **values: object) -> None:
        self.__dict__["_states"] = states
        for state in reversed(states):
            for name, var in state.get_fields().items():
                setattr(self, name, copy.deepcopy(var.default_value()))
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        # Only a helper method: a name that is no var of the states fails here rather than
        # reading the class's Var.
        for state in self._states:
            helper = inspect.getattr_static(state, name, None)
            if inspect.isfunction(helper):
                return types.MethodType(helper, self)
        raise AttributeError(f"the tab has no {name}")

    async def handle(self, name: str, *args: object) -> Any:
        """The event handler `name` run to its end on this tab: what it returned, or the
        list of what it yielded."""
        handler = next(s.event_handlers[name] for s in self._states if name in s.event_handlers)
        outcome = handler.fn(self, *args)
        if inspect.isasyncgen(outcome):
            return [item async for item in outcome]
        if inspect.iscoroutine(outcome):
            return await outcome
        return list(outcome) if inspect.isgenerator(outcome) else outcome

    async def __aenter__(self) -> Tab:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None
