"""Fixtures of the payment tests: the local Stripe server and where its webhooks go."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy

from heyon_app.services import stripe_gateway
from tests.conftest import PG_ADMIN_URL


@pytest.fixture
def stripe_db(app_db: str, local_stripe: str) -> str:
    return app_db


@pytest.fixture
def no_webhooks(local_stripe: str):
    """Webhooks from the local server go nowhere (as if lost), then back to where they were."""
    previous = stripe_gateway.registered_webhook_url
    stripe_gateway.register_local_webhook("http://127.0.0.1:9/lost")
    yield
    if previous:
        stripe_gateway.register_local_webhook(previous)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards. Row locks only
    mean something there (SQLite locks the whole database), so these tests never skip."""
    admin = sqlalchemy.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        admin.connect().close()
    except sqlalchemy.exc.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is needed at {PG_ADMIN_URL} (set HEYON_TEST_PG_URL; .ci/run starts it): {exc}"
        )
    name = f"heyon_t_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        from heyon_app import db

        for url in [u for u in db._engines if u.endswith("/" + name)]:
            db._engines.pop(url).dispose()
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
