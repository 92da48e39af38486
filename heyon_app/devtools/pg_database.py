"""`make run-scaled`: create the PostgreSQL database DB_URL names when the server lacks it.

python -m heyon_app.devtools.pg_database
"""

from __future__ import annotations

import sys

import sqlalchemy
from sqlalchemy.engine import make_url

from heyon_app.settings import settings


def ensure_database(url: str) -> bool:
    """True if this call created it. Connects to the server's `postgres` database to ask."""
    target = make_url(url)
    if target.get_backend_name() != "postgresql":
        raise SystemExit(f"DB_URL is not PostgreSQL: {target.render_as_string()}")
    admin = sqlalchemy.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                sqlalchemy.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            ).first()
            if not exists:
                name = target.database.replace('"', '""')
                conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
            return not exists
    except sqlalchemy.exc.OperationalError as exc:
        raise SystemExit(f"PostgreSQL is not reachable at {target}: {exc.orig}") from None
    finally:
        admin.dispose()


if __name__ == "__main__":
    created = ensure_database(settings.db_url)
    print(f"database {make_url(settings.db_url).database}: {'created' if created else 'exists'}")
    sys.exit(0)
