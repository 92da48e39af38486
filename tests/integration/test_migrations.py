"""The Alembic migrations build the same schema as the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy
from sqlmodel import SQLModel

import heyon_app.models  # noqa: F401
from heyon_app import db

PG_ADMIN_URL = os.environ.get("HEYON_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _tables(url: str) -> set[str]:
    engine = sqlalchemy.create_engine(url)
    try:
        return set(sqlalchemy.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_create_every_model_table_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    db.migrate(url)
    assert _tables(url) == set(SQLModel.metadata.tables)


@pytest.fixture
def pg_database():
    admin = sqlalchemy.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        admin.connect().close()
    except sqlalchemy.exc.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is needed at {PG_ADMIN_URL} (set HEYON_TEST_PG_URL; .ci/run starts it): {exc}"
        )
    name = f"heyon_mig_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_migrations_create_every_model_table_on_postgresql(pg_database):
    db.migrate(pg_database)
    assert _tables(pg_database) == set(SQLModel.metadata.tables)


@pytest.mark.parametrize("where", ["sqlite", "postgresql"])
def test_migrations_and_models_agree_column_by_column(where, tmp_path, request):
    """A column added to a model without a migration (or the other way) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = (
        f"sqlite:///{tmp_path / 'm.db'}"
        if where == "sqlite"
        else request.getfixturevalue("pg_database")
    )
    db.migrate(url)
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == []
