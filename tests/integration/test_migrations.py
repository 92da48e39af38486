"""The Alembic migrations build the same schema as the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy
from sqlmodel import SQLModel

import heyon_app.models  # noqa: F401
from heyon_app import db


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


def test_migrations_create_every_model_table_on_postgresql(pg_url):
    db.migrate(pg_url)
    assert _tables(pg_url) == set(SQLModel.metadata.tables)


@pytest.mark.parametrize("where", ["sqlite", "postgresql"])
def test_migrations_and_models_agree_column_by_column(where, tmp_path, request):
    """A column added to a model without a migration (or the other way) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = (
        f"sqlite:///{tmp_path / 'm.db'}" if where == "sqlite" else request.getfixturevalue("pg_url")
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
