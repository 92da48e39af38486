"""Pure rules of renewals: where a new period starts, which settings live mode insists on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heyon_app.services.billing import ALLOWED, new_expiry
from heyon_app.settings import Settings

NOW = datetime(2026, 1, 31, 12, tzinfo=UTC)


def test_renewal_of_a_valid_line_extends_from_its_expiry():
    assert new_expiry(datetime(2026, 2, 10, tzinfo=UTC), "month", NOW) == datetime(
        2026, 3, 10, tzinfo=UTC
    )


def test_renewal_of_a_lapsed_line_starts_now():
    assert new_expiry(datetime(2025, 12, 1, tzinfo=UTC), "quarter", NOW) == datetime(
        2026, 4, 30, 12, tzinfo=UTC
    )


def test_first_esim_starts_now():
    assert new_expiry(None, "year", NOW) == datetime(2027, 1, 31, 12, tzinfo=UTC)


def test_fulfilled_orders_move_only_when_the_money_goes_back():
    assert ALLOWED["paid"] == {"fulfilled"}
    assert ALLOWED["fulfilled"] == {"refunded", "disputed"}
    assert ALLOWED["disputed"] == {"fulfilled", "refunded"} and ALLOWED["refunded"] == set()


def test_live_stripe_needs_every_key(monkeypatch):
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_live_x")
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ValueError):
        Settings.from_env()
    monkeypatch.setenv("STRIPE_PUBLISHABLE_KEY", "pk_live_x")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_x")
    live = Settings.from_env()
    assert live.stripe_mode == "live" and live.stripe_api_base == ""
    assert live.stripe_js_url == "https://js.stripe.com/v3/"
