"""The renewal review's page load on a real state tree: the catalogue read once for the
package list, the advice and the quote; coming back to the page sends only what changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import reflex as rx
from sqlalchemy import delete

from heyon_app import clock, db
from heyon_app.devtools.sql_count import counting_statements
from heyon_app.models import UsageRecord
from heyon_app.services import accounts
from heyon_app.state.checkout import CheckoutState
from tests import factories
from tests.concurrency import run_coroutine

_lines_made: list[int] = []


@pytest.fixture(autouse=True)
def _usage_removed():
    """The database is shared by the run: other tests count usage records by day."""
    yield
    with db.session_scope() as session:
        session.execute(delete(UsageRecord).where(UsageRecord.line_id.in_(_lines_made)))
    _lines_made.clear()


def _heavy_data_customer(lines: int) -> str:
    """DATA_M lines, the first used past the more-data advice's threshold (so the review
    pre-selects a bigger package)."""
    with db.session_scope() as session:
        user = factories.customer(session)
        for _ in range(lines):
            line = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=9))
            _lines_made.append(line.id)
            for day in range(1, 31):
                session.add(
                    UsageRecord(
                        line_id=line.id, day=clock.local_today() - timedelta(days=day), data_mb=2000
                    )
                )
        return accounts.open_session(session, user)


def _statements_of_package_reads(statements: list[str]) -> int:
    return sum(" ".join(s.split()).startswith("SELECT package.") for s in statements)


@pytest.mark.parametrize("lines", [1, 5])
def test_a_review_load_reads_the_catalogue_once_and_shows_the_advice(app_db, lines):
    token = _heavy_data_customer(lines)

    async def scenario():
        state = await rx.State(_reflex_internal_init=True).get_state(CheckoutState)
        state.auth_token = token
        await state.load_renew()
        return state

    with counting_statements(db.engine()) as count:
        state = run_coroutine(scenario())
    assert _statements_of_package_reads(count.statements) == 1, count.statements
    # Session+user, lines, catalogue with the advice's order history, usage window, the
    # customer's paid orders, promotion uses, the free-month claim of their number, the
    # promotions, the last payment method: whatever the number of lines.
    assert len(count.statements) == 9, count.statements
    recommended = [p["code"] for p in state.packages if p["recommended"]]
    assert len(recommended) == 1 and recommended[0] != "DATA_M"
    assert state.selected == recommended[0]
    assert state.review["total"]


def test_coming_back_to_the_review_sends_only_what_changed(app_db):
    token = _heavy_data_customer(1)

    async def scenario():
        root = rx.State(_reflex_internal_init=True)
        state = await root.get_state(CheckoutState)
        state.auth_token = token
        await state.load_renew()
        first = root.get_delta()
        root._clean()
        state.error = "the card was declined"  # what the tab showed when the customer left
        root._clean()
        await state.load_renew()
        return first, root.get_delta()

    first, again = run_coroutine(scenario())
    name = CheckoutState.get_full_name()
    assert {"packages", "review", "selected"} <= {k.rsplit("_rx_state_", 1)[0] for k in first[name]}
    # The list, the quote and the choice are as the tab holds them: not sent again.
    assert again.get(name, {}).keys() == {"error_rx_state_"}
    assert again[name]["error_rx_state_"] == ""
