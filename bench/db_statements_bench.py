"""SQL statements per dashboard load and per checkout, counted with SQLAlchemy events.

Prints a table; run with `make bench` (or `PYTHONPATH=. .venv/bin/python
bench/db_statements_bench.py`). A customer with 1 and with 5 lines, 90 days of usage each,
on a fresh SQLite file with the real catalogue. A dashboard load is what the server runs
for the page's on_load (the login check and the loader are one event); the goal is at most
3 statements whatever the number of lines and days.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlmodel import select

_DIR = tempfile.mkdtemp(prefix="heyon-bench-")
# Before heyon_app reads its settings: the bench never touches the real database.
os.environ["DB_URL"] = f"sqlite:///{Path(_DIR) / 'bench.db'}"

from heyon_app import clock, db, seed  # noqa: E402
from heyon_app.devtools.sql_count import counting_statements  # noqa: E402
from heyon_app.models import EsimLine, Package, UsageRecord, User  # noqa: E402
from heyon_app.services import accounts, billing  # noqa: E402
from heyon_app.state.base import _run_as_user  # noqa: E402
from heyon_app.state.dashboard import dashboard_view  # noqa: E402

DAYS = 90


def _customer(lines: int, *, daily_mb: int, tag: str) -> str:
    """A customer with `lines` DATA_M lines and DAYS days of usage on each; their token."""
    with db.session_scope() as session:
        package = session.exec(select(Package).where(Package.code == "DATA_M")).one()
        user = User(email=f"bench-{tag}@example.com", phone=f"+8613900{tag:0>6}", password_hash="x")
        session.add(user)
        session.flush()
        today = clock.local_today()
        for n in range(lines):
            line = EsimLine(
                user_id=user.id,
                number=f"+8617{tag:0>5}{n:04d}",
                iccid=f"8986{tag:0>11}{n:04d}",
                status="active",
                activation_code=f"LPA:1$smdp.heyon.local${tag}-{n}",
                package_id=package.id,
                valid_until=clock.now() + timedelta(days=12),
            )
            session.add(line)
            session.flush()
            for day in range(1, DAYS + 1):
                session.add(
                    UsageRecord(
                        line_id=line.id,
                        day=today - timedelta(days=day),
                        data_mb=daily_mb,
                        minutes=3,
                    )
                )
        return accounts.open_session(session, user)


def _dashboard_load(token: str) -> int:
    with counting_statements(db.engine()) as count:
        user, view = _run_as_user(token, partial(dashboard_view, wanted=""))
    assert user is not None and view is not None and len(view.chart) == 30
    return len(count)


def _checkout(token: str) -> tuple[int, int]:
    """Statements of the review's quote, and of placing the order (Stripe not included)."""
    with db.session_scope() as session:
        owner = accounts.user_for_token(session, token)
        line_id = session.exec(select(EsimLine.id).where(EsimLine.user_id == owner.id)).first()
    with counting_statements(db.engine()) as quoted, db.session_scope() as session:
        user = accounts.user_for_token(session, token)
        billing.quote(session, user=user, line_id=line_id, package_code="DATA_Q")
    with counting_statements(db.engine()) as ordered, db.session_scope() as session:
        user = accounts.user_for_token(session, token)
        billing.create_order(
            session, user=user, line_id=line_id, package_code="DATA_Q", method="card"
        )
    return len(quoted), len(ordered)


def main() -> None:
    db.migrate()
    with db.session_scope() as session:
        seed.seed_catalogue(session)
    rows: list[tuple[str, int]] = []
    for lines in (1, 5):
        quiet = _customer(lines, daily_mb=10, tag=f"1{lines}")
        heavy = _customer(lines, daily_mb=400, tag=f"2{lines}")
        rows.append(
            (f"dashboard load, {lines} line(s) x {DAYS} days, no advice", _dashboard_load(quiet))
        )
        rows.append(
            (
                f"dashboard load, {lines} line(s) x {DAYS} days, more-data advice",
                _dashboard_load(heavy),
            )
        )
    quote, order = _checkout(quiet)
    rows.append(("checkout: quote (review page)", quote))
    rows.append(("checkout: order (Pay, before Stripe)", order))
    width = max(len(name) for name, _ in rows)
    print(f"{'work':<{width}}  statements")
    for name, count in rows:
        print(f"{name:<{width}}  {count:>10}")


if __name__ == "__main__":
    main()
