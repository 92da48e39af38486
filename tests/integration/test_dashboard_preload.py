"""`GET /api/dashboard-preload`: the dashboard's first data over HTTP (state/preload.py),
for a live session only, never cached, without the token, and what the page shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy
from reflex_base.constants.state import FIELD_MARKER
from starlette.testclient import TestClient

from heyon_app import clock, db, routes
from heyon_app.api import build_api
from heyon_app.devtools.sql_count import counting_statements
from heyon_app.models import UsageRecord
from heyon_app.services import accounts, dashboard
from heyon_app.state.base import AppState
from heyon_app.state.dashboard import DashboardState
from heyon_app.state.present import line_card
from tests import factories

M = FIELD_MARKER


@pytest.fixture
def customer(app_db):
    """A customer with two lines, the first with 30 days of usage; their session token."""
    with db.session_scope() as session:
        user = factories.customer(session)
        first = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=9))
        second = factories.line(session, user=user, valid_until=clock.now() + timedelta(days=40))
        today = clock.local_today()
        session.add_all(
            UsageRecord(line_id=first.id, day=today - timedelta(days=d), data_mb=100 + d)
            for d in range(1, 31)
        )
        session.flush()
        card = line_card(dashboard.overview(session, line=first, now=clock.now()))
        lines = [{"id": str(x.id), "number": x.number} for x in (first, second)]
        return accounts.open_session(session, user), user.email, card, lines


def _preload(**headers: str):
    with TestClient(build_api(), raise_server_exceptions=False) as http:
        return http.get(routes.DASHBOARD_PRELOAD, headers=headers)


def test_a_live_session_gets_the_dashboard_as_the_websocket_would_send_it(customer):
    token, email, card, lines = customer
    with counting_statements(db.engine()) as count:
        answer = _preload(authorization=f"Bearer {token}")
    assert answer.status_code == 200
    # The loader's own three (session and user, lines and usage, the advice's catalogue):
    # a full load of the dashboard costs the database twice that, not more.
    assert len(count.statements) == 3, count.statements
    assert answer.headers["cache-control"] == "no-store"
    delta = answer.json()
    page = delta[DashboardState.get_full_name()]
    assert page["loaded" + M] is True
    assert page["lines" + M] == lines
    assert page["selected_line" + M] == lines[0]["id"]
    assert page["card" + M] == card
    assert len(page["chart" + M]) == 30
    assert [row[1] for row in page["chart" + M]] == [100 + d for d in range(30, 0, -1)]
    user = delta[AppState.get_full_name()]
    assert user["user_email" + M] == email
    assert user["is_authenticated" + M] is True
    # The browser has the token: the answer never carries it back.
    assert token not in answer.text


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer ", "Basic {token}", "{token}", "Bearer {token}x", "Bearer not-a-token"],
)
def test_anything_but_a_live_bearer_token_gets_401_and_no_data(customer, authorization):
    token, email, *_ = customer
    answer = _preload(authorization=authorization.format(token=token))
    assert answer.status_code == 401
    assert answer.json() == {"error": "not logged in"}
    assert answer.headers["cache-control"] == "no-store"
    assert email not in answer.text


def test_a_logged_out_session_gets_401(customer):
    token, *_ = customer
    with db.session_scope() as session:
        accounts.log_out(session, token)
    assert _preload(authorization=f"Bearer {token}").status_code == 401


def test_the_database_down_is_a_503_the_page_falls_back_on(customer, monkeypatch):
    token, *_ = customer

    def unreachable(*_args, **_kwargs):
        raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(accounts, "user_for_token", unreachable)
    answer = _preload(authorization=f"Bearer {token}")
    assert answer.status_code == 503
    assert answer.json() == {"error": "try again"}
