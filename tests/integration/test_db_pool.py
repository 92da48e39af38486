"""A worker on PostgreSQL keeps a connection open for each thread that may hold a session at
once: a new one is a process forked and a login on the server, on a customer's click."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy

from heyon_app import db
from heyon_app.state import offloop


def _sessions_at_once(count: int) -> None:
    """`count` threads, each holding a session with a statement run, all at the same time."""
    everyone = threading.Barrier(count)

    def hold() -> None:
        with db.session_scope() as session:
            session.execute(sqlalchemy.text("SELECT 1"))
            everyone.wait(timeout=30)

    with ThreadPoolExecutor(count) as pool:
        for done in [pool.submit(hold) for _ in range(count)]:
            done.result()


def test_every_thread_that_may_hold_a_session_keeps_its_connection(pg_redis):
    # The threads that run database work: page loads' own pool and asyncio's default one
    # (`asyncio.to_thread`), as large as they are in this process.
    threads = offloop._loader_pool(os.getpid())._max_workers + ThreadPoolExecutor()._max_workers
    opened = []

    def count(*_) -> None:
        opened.append(1)

    engine = db.engine()
    sqlalchemy.event.listen(engine, "connect", count)
    try:
        _sessions_at_once(threads)
        opened.clear()
        _sessions_at_once(threads)
        _sessions_at_once(threads)
    finally:
        sqlalchemy.event.remove(engine, "connect", count)
    assert opened == [], f"{len(opened)} new connections for {threads} threads already served"
