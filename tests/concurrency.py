"""Run the same work in several threads released at the same instant."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

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


def wait_for(check: Callable[[], T], timeout: float = 15.0, every: float = 0.05) -> T:
    """Poll a condition the app reaches on its own time (a mail sent after commit, a
    process coming up); its last value, falsy if the time ran out."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)
