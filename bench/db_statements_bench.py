"""SQL statements per dashboard load and per checkout, counted with SQLAlchemy events.

Prints a table; run with `make bench` (or `PYTHONPATH=. .venv/bin/python
bench/db_statements_bench.py`). Customers with 1 and with 5 lines, 90 days of usage on
each, on a fresh SQLite file with the real catalogue, one per kind of advice the
dashboard can show (each rule reads different data). A dashboard load is what the server
runs for the page's on_load (the login check and the loader are one event); the goal is
at most 3 statements whatever the number of lines, days or advice.
"""

from __future__ import annotations

from functools import partial

from bench import _harness

_harness.use_scratch_database()

from sqlmodel import select  # noqa: E402

from heyon_app import db  # noqa: E402
from heyon_app.devtools.sql_count import counting_statements  # noqa: E402
from heyon_app.models import EsimLine  # noqa: E402
from heyon_app.services import accounts, billing  # noqa: E402
from heyon_app.state.checkout import _renew_review  # noqa: E402
from heyon_app.state.dashboard import dashboard_view  # noqa: E402
from heyon_app.state.offloop import _with_live_user  # noqa: E402

DAYS = 90
# name, customer's usage and history, the advice the dashboard must show
ADVICE = [
    ("no advice", {"daily_mb": 10}, ""),
    ("more-data advice", {"daily_mb": 900}, "DATA_PLUS_M"),
    ("roaming advice", {"daily_mb": 10, "roaming_mb": 5}, "ROAM_ASIA_M"),
    ("longer-period advice", {"daily_mb": 10, "monthly_orders": 3}, "DATA_Y"),
]


def _dashboard_load(token: str, advice: str) -> int:
    with counting_statements(db.engine()) as count:
        user, view = _with_live_user(token, partial(dashboard_view, wanted=""))
    assert user is not None and view is not None and len(view.chart) == 30
    assert view.rec.get("code", "") == advice, view.rec
    return len(count)


def _checkout(token: str) -> tuple[int, int, int]:
    """Statements of the review page's load (its loader is also its login guard), of the
    quote alone, and of placing the order (Stripe not included)."""
    with db.session_scope() as session:
        owner = accounts.user_for_token(session, token)
        line_id = session.exec(select(EsimLine.id).where(EsimLine.user_id == owner.id)).first()
    with counting_statements(db.engine()) as loaded:
        work = partial(_renew_review, line_id=line_id, package_code="DATA_Q", code="")
        user, _ = _with_live_user(token, work)
        assert user is not None
    with counting_statements(db.engine()) as quoted, db.session_scope() as session:
        user = accounts.user_for_token(session, token)
        billing.quote(session, user=user, line_id=line_id, package_code="DATA_Q")
    with counting_statements(db.engine()) as ordered, db.session_scope() as session:
        user = accounts.user_for_token(session, token)
        billing.create_order(
            session, user=user, line_id=line_id, package_code="DATA_Q", method="card"
        )
    return len(loaded), len(quoted), len(ordered)


def main() -> None:
    _harness.prepare_database()
    rows: list[tuple[str, int]] = []
    tag = 0
    for lines in (1, 5):
        for name, history, advice in ADVICE:
            tag += 1
            token = _harness.customer(lines=lines, days=DAYS, tag=str(tag), **history)
            rows.append(
                (
                    f"dashboard load, {lines} line(s) x {DAYS} days, {name}",
                    _dashboard_load(token, advice),
                )
            )
    review, quote, order = _checkout(token)
    rows.append(("renewal review page load (session, choice, quote, phone)", review))
    rows.append(("checkout: quote alone (review page, promo code)", quote))
    rows.append(("checkout: order (Pay, before Stripe)", order))
    width = max(len(name) for name, _ in rows)
    print(f"{'work':<{width}}  statements")
    for name, count in rows:
        print(f"{name:<{width}}  {count:>10}")


if __name__ == "__main__":
    main()
