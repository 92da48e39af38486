"""Fixtures of the payment tests: the local Stripe server and where its webhooks go."""

from __future__ import annotations

import pytest

from heyon_app.services import stripe_gateway


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
