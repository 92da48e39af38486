"""The one way to get a database session outside Reflex event handlers' own helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy
from sqlmodel import Session, create_engine

from heyon_app.settings import settings

_engines: dict[str, sqlalchemy.engine.Engine] = {}


def engine(url: str | None = None) -> sqlalchemy.engine.Engine:
    url = url or settings.db_url
    if url not in _engines:
        args: dict = {}
        if url.startswith("sqlite"):
            # Reflex serves events from threads; SQLite waits for a lock instead of failing.
            args["connect_args"] = {"check_same_thread": False, "timeout": 30}
        _engines[url] = create_engine(url, **args)
    return _engines[url]


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
