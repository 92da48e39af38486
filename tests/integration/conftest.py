"""Fixtures of the integration tests: the local Stripe server and where its webhooks go,
customers with usage, a PostgreSQL database of a test's own."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy

from heyon_app import clock, db
from heyon_app.models import Order, UsageRecord
from heyon_app.services import accounts, stripe_gateway
from tests import factories
from tests.conftest import PG_ADMIN_URL


@pytest.fixture
def stripe_db(app_db: str, local_stripe: str) -> str:
    return app_db


@pytest.fixture
def customer_with_usage(app_db: str) -> Iterator[Callable[..., str]]:
    """Makes a customer with DATA_M lines valid 9 more days, `days` of usage on each (and
    `monthly_orders` renewals), and returns their session token. Their usage and orders go
    after the test: the database is shared by the run, and other tests count usage by day."""
    made: list[int] = []

    def make(
        *, lines: int, days: int, data_mb: int = 20, roaming_mb: int = 0, monthly_orders: int = 0
    ) -> str:
        with db.session_scope() as session:
            user = factories.customer(session)
            today = clock.local_today()
            for _ in range(lines):
                until = clock.now() + timedelta(days=9)
                line = factories.line(session, user=user, valid_until=until)
                made.append(line.id)
                session.add_all(
                    UsageRecord(
                        line_id=line.id,
                        day=today - timedelta(days=day),
                        data_mb=data_mb,
                        roaming_mb=roaming_mb,
                    )
                    for day in range(1, days + 1)
                )
                for back in range(monthly_orders):
                    factories.order(
                        session,
                        line=line,
                        status="fulfilled",
                        with_intent=False,
                        created_at=clock.now() - timedelta(days=30 * (back + 1)),
                    )
            return accounts.open_session(session, user)

    yield make
    with db.session_scope() as session:
        session.execute(sqlalchemy.delete(UsageRecord).where(UsageRecord.line_id.in_(made)))
        session.execute(sqlalchemy.delete(Order).where(Order.line_id.in_(made)))


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
