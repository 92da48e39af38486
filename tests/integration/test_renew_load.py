"""The renewal review's page load on a real state tree: the catalogue read once for the
package list, the advice and the quote; coming back to the page sends only what changed."""

from __future__ import annotations

import pytest
import reflex as rx

from heyon_app import db
from heyon_app.devtools.sql_count import counting_statements
from heyon_app.state.checkout import CheckoutState
from tests.concurrency import run_coroutine


def _statements_of_package_reads(statements: list[str]) -> int:
    return sum(" ".join(s.split()).startswith("SELECT package.") for s in statements)


@pytest.mark.parametrize("lines", [1, 5])
def test_a_review_load_reads_the_catalogue_once_and_shows_the_advice(customer_with_usage, lines):
    # Used past the more-data advice's threshold: the review pre-selects a bigger package.
    token = customer_with_usage(lines=lines, days=30, data_mb=2000)

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


def test_coming_back_to_the_review_sends_only_what_changed(customer_with_usage):
    token = customer_with_usage(lines=1, days=30, data_mb=2000)

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
