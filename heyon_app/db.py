"""The one way to get a database session outside Reflex event handlers' own helpers."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, create_engine

from heyon_app.settings import settings

_engines: dict[str, sqlalchemy.engine.Engine] = {}

# What a database that is down, restarting or out of reach raises (and SQLite locked past
# its timeout): the transaction rolled back, so the caller can say "try again" safely.
DatabaseUnavailable = sqlalchemy.exc.OperationalError
CONNECT_TIMEOUT_SECONDS = 5
# Threads of one process that may hold a session at once: page loads' own pool and
# asyncio's default pool (state/offloop.py), each ThreadPoolExecutor's default size.
SESSION_THREADS = 2 * min(32, (os.cpu_count() or 1) + 4)


def engine(url: str | None = None) -> sqlalchemy.engine.Engine:
    url = url or settings.db_url
    if url not in _engines:
        args: dict = {}
        if url.startswith("sqlite"):
            # Reflex serves events from threads; SQLite waits for a lock instead of failing.
            args["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            # A server that restarted or failed over leaves the pool's connections dead: test
            # each before use rather than fail the next customer's click. A server out of
            # reach fails a new connection after this long instead of hanging the handler.
            args["pool_pre_ping"] = True
            args["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
            # A connection for each of them stays open. With SQLAlchemy's 5, one opened past
            # the fifth was closed as soon as it was given back: two workers under 500
            # customers opened 16-70 new ones in a 40-second run, each a process forked and
            # a login on the server (docs/PERFORMANCE.md, 2026-11-27 17:10).
            args["pool_size"] = SESSION_THREADS
        _engines[url] = create_engine(url, **args)
    return _engines[url]


def insert_once(session: Session, row: SQLModel, *, unique: str | tuple[str, ...]) -> bool:
    """Insert `row` unless its `unique` column's (or columns') value is taken; True if this
    call did.

    One INSERT … ON CONFLICT DO NOTHING: a racing insert waits for the other transaction and
    then inserts nothing. Not a savepoint: SQLite's driver commits a savepoint opened before
    any other write, so a later rollback (a failed Stripe call, a webhook that errs) would
    keep the row and the event would count as handled when it was not.
    """
    table = type(row).__table__  # type: ignore[attr-defined]
    values = {k: v for k, v in row.model_dump().items() if k in table.c}
    for column in table.primary_key.columns:
        if values.get(column.name) is None:
            values.pop(column.name, None)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[unique] if isinstance(unique, str) else unique)
        # A returned key, not rowcount: the ORM session reports no rowcount on PostgreSQL.
        .returning(*table.primary_key.columns)
    )
    return result.first() is not None


def take_turns(session: Session, *keys: str) -> None:
    """Make transactions that name one of the same keys pass this point one at a time, each
    waiting for the other's commit or rollback.

    For counters kept as rows and read with `id < own id`: PostgreSQL hands out ids before
    the commit, so a row with a lower id may still be invisible to a reader; rows inserted
    in turns are committed in id order. SQLite lets one transaction write at a time, which
    already gives that order.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    # Taken in one order whatever the caller's, so two transactions cannot deadlock.
    for lock in sorted({_lock_id(key) for key in keys}):
        session.execute(sqlalchemy.text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": lock})


def _lock_id(key: str) -> int:
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def migrate(url: str | None = None) -> None:
    """Bring the database to the newest Alembic revision (what `reflex db migrate` does)."""
    from alembic.config import Config

    from alembic import command
    from heyon_app.settings import PROJECT_ROOT

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    # configparser treats % as interpolation; a password may contain one.
    config.set_main_option("sqlalchemy.url", (url or settings.db_url).replace("%", "%%"))
    command.upgrade(config, "head")
