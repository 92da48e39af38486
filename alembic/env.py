"""Alembic environment for plain `alembic` and `heyon_app.db.migrate`.

`reflex db makemigrations/migrate` bypass this file and use rxconfig's db_url; both paths
read the same setting, so they agree.
"""

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import heyon_app.models  # noqa: F401 - registers the tables
from heyon_app.settings import settings

config = context.config
target_metadata = SQLModel.metadata
url = config.get_main_option("sqlalchemy.url")
if not url or url.startswith("driver://"):
    url = settings.db_url


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
