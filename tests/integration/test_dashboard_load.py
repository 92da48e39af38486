"""A dashboard load on a real state tree: one session lookup, and a statement count that does
not grow with the customer's lines or days of usage."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import reflex as rx

from heyon_app import db, routes
from heyon_app.devtools.sql_count import counting_statements
from heyon_app.services import accounts
from heyon_app.state.dashboard import DashboardState
from tests.concurrency import run_coroutine


def _dashboard_on_load() -> list:
    from heyon_app.heyon_app import app

    page = app._unevaluated_pages[routes.DASHBOARD.strip("/") or "index"]
    return page.on_load if isinstance(page.on_load, list) else [page.on_load]


def _load_dashboard(token: str) -> tuple[DashboardState, list, list[str]]:
    """Every on_load event of the dashboard, in order, as a fresh tab with `token` runs them."""

    async def scenario():
        root = rx.State(_reflex_internal_init=True)
        state = await root.get_state(DashboardState)
        state.auth_token = token
        outcomes = [await getattr(state, event.fn.__name__)() for event in _dashboard_on_load()]
        return state, outcomes

    with counting_statements(db.engine()) as count:
        state, outcomes = run_coroutine(scenario())
    return state, outcomes, count.statements


def _session_lookups(statements: list[str]) -> int:
    return sum("FROM authsession" in s.replace("\n", " ") for s in statements)


def test_dashboard_load_checks_the_session_once_and_shows_the_lines(customer_with_usage):
    state, outcomes, statements = _load_dashboard(customer_with_usage(lines=2, days=30))
    assert _session_lookups(statements) == 1
    assert outcomes == [None] * len(outcomes)
    assert state.loaded and state.user_email and len(state.lines) == 2
    assert len(state.chart) == 30


@pytest.mark.parametrize(
    ("customer", "advice"),
    [
        ({"lines": 1, "days": 5}, ""),
        ({"lines": 5, "days": 90}, ""),
        ({"lines": 5, "days": 90, "data_mb": 1_000}, "DATA_PLUS_M"),
        ({"lines": 2, "days": 30, "roaming_mb": 5}, "ROAM_ASIA_M"),
        ({"lines": 2, "days": 30, "monthly_orders": 3}, "DATA_Y"),
    ],
    ids=["1 line x 5 days", "5 lines x 90 days", "more data", "roaming", "longer period"],
)
def test_dashboard_load_is_three_statements_whatever_the_lines_days_or_advice(
    customer_with_usage, customer, advice
):
    state, _, statements = _load_dashboard(customer_with_usage(**customer))
    assert state.rec.get("code", "") == advice
    assert len(state.lines) == customer["lines"] and len(state.chart) == 30
    # The session and user; the lines, their packages and the chosen line's usage
    # window; the advice's catalogue and the line's last renewals.
    assert len(statements) == 3, statements


def test_dashboard_load_after_log_out_elsewhere_sends_to_login_and_shows_nothing(
    customer_with_usage,
):
    token = customer_with_usage(lines=1, days=5)
    with db.session_scope() as session:
        accounts.log_out(session, token)
    state, outcomes, _ = _load_dashboard(token)
    assert any(routes.LOGIN in str(outcome) for outcome in outcomes if outcome is not None)
    assert not state.loaded and state.lines == [] and state.user_email == ""
    assert state.auth_token == ""


def test_a_dashboard_loads_while_every_general_worker_thread_waits_on_a_slow_service(
    customer_with_usage,
):
    """Calls to Stripe or a mail server run in the default thread pool and may take their
    whole timeout; page loads have a pool of their own, so customers' pages load meanwhile."""
    token = customer_with_usage(lines=1, days=3)
    release = threading.Event()

    async def scenario():
        loop = asyncio.get_running_loop()
        loop.set_default_executor(ThreadPoolExecutor(2))
        slow = [asyncio.create_task(asyncio.to_thread(release.wait, 30)) for _ in range(2)]
        await asyncio.sleep(0.05)
        try:
            state = await rx.State(_reflex_internal_init=True).get_state(DashboardState)
            state.auth_token = token
            await asyncio.wait_for(state.load(), 5)
            return state
        finally:
            release.set()
            await asyncio.gather(*slow)

    state = run_coroutine(scenario())
    assert state.loaded and len(state.lines) == 1 and state.card
