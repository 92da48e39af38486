"""One customer's slow outside service never slows another customer's page.

Reflex serves every tab from one event loop: a handler that waited on Stripe or SMTP
there would freeze everyone. The slow service is forced (a proxy that holds Stripe's
answers; an SMTP server that stalls) until a second customer's clicks have all been
answered: with a frozen loop none would be. How long those clicks take is a figure for
bench/event_loop_bench.py, not a verdict here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import stripe
from playwright.sync_api import expect

from heyon_app.db import session_scope
from heyon_app.services import stripe_gateway
from heyon_app.settings import settings
from tests import factories
from tests.browser.conftest import signed_in
from tests.browser.test_checkout_flow import PASSWORD, _fill_card
from tests.concurrency import wait_for
from tests.slow_proxy import SlowProxy

# The benchmark (bench/event_loop_bench.py) asks for more rounds and a report file.
ROUNDS = int(os.environ.get("HEYON_ROUND_TRIP_ROUNDS", "6"))
REPORT = os.environ.get("HEYON_ROUND_TRIP_REPORT", "")

# Click a package filter and wait until the page shows it chosen (the state change came
# back from the server after its database query), or give up after 5 s.
_ROUND_TRIP_JS = """
async (id) => {
  const button = document.getElementById(id);
  const start = performance.now();
  button.click();
  const chosen = () => button.getAttribute("aria-pressed") === "true";
  while (!chosen() && performance.now() - start < 5000) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { ms: performance.now() - start, answered: chosen() };
}
"""
_FILTERS = ["kind-data", "kind-all", "kind-voice", "kind-roaming", "kind-all"]


def _customer_page(open_page, app_url: str, *, with_line: bool = True):
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(PASSWORD))
        line_id = factories.line(session, user=user).id if with_line else None
        email = user.email
    page = open_page(app_url)
    signed_in(page, email)
    return page, email, line_id


def _click_while_waiting(name: str, page, still_waiting: Callable[[], bool]) -> None:
    """The other customer's clicks, each answered while the first one waits."""
    trips = [page.evaluate(_ROUND_TRIP_JS, _FILTERS[i % len(_FILTERS)]) for i in range(ROUNDS)]
    if REPORT:
        with Path(REPORT).open("a") as out:
            out.write(json.dumps({"scenario": name, "round_trips_ms": [t["ms"] for t in trips]}))
            out.write("\n")
    assert all(t["answered"] for t in trips), (
        f"{name}: the other customer's clicks went unanswered: {trips}"
    )
    # Answered while the slow call was really still pending, not after it returned.
    assert still_waiting(), f"{name}: the slow call ended before the clicks were answered"


@pytest.fixture
def slow_stripe(local_stripe: str, monkeypatch) -> Iterator[SlowProxy]:
    """The app's server-side Stripe calls go through a proxy that can hold them."""
    with SlowProxy(local_stripe) as proxy:
        client = stripe.StripeClient(
            settings.stripe_secret_key,
            base_addresses={"api": proxy.url},
            max_network_retries=0,
        )
        monkeypatch.setattr(stripe_gateway, "_client", client)
        yield proxy


def test_a_payment_waiting_on_stripe_does_not_slow_another_customer(
    open_page, app_url, slow_stripe
):
    payer, _, line_id = _customer_page(open_page, app_url)
    other, _, _ = _customer_page(open_page, app_url)
    other.goto(f"{app_url}/packages")
    expect(other.locator(".heyon-offer").first).to_be_visible()
    payer.goto(f"{app_url}/renew?line={line_id}")
    expect(payer.locator("#card-element input[placeholder=number]")).to_be_visible()
    _fill_card(payer, "4242424242424242")

    with slow_stripe.holding():
        payer.locator("#pay").click()
        assert wait_for(lambda: slow_stripe.in_flight > 0, every=0.01), "Stripe was never asked"
        _click_while_waiting("payment waiting on Stripe", other, lambda: slow_stripe.in_flight > 0)

    # The payment itself still goes through once Stripe answers.
    expect(payer.locator("#result-message")).to_contain_text("支付成功", timeout=30_000)


def test_a_reset_mail_waiting_on_a_stalled_mail_server_does_not_slow_another_customer(
    open_page, app_url, mailbox
):
    forgetful, email, _ = _customer_page(open_page, app_url, with_line=False)
    forgetful.goto(f"{app_url}/forgot-password")
    other, _, _ = _customer_page(open_page, app_url)
    other.goto(f"{app_url}/packages")
    expect(other.locator(".heyon-offer").first).to_be_visible()

    with mailbox.holding():
        forgetful.get_by_label("邮箱").fill(email)
        forgetful.locator("#forgot-submit").click()
        assert wait_for(lambda: mailbox.held > 0, every=0.01), "no mail was sent"
        _click_while_waiting("reset mail waiting on SMTP", other, lambda: mailbox.held > 0)

    # The mail still arrives once the server answers.
    expect(forgetful.locator("#form-notice")).to_be_visible()
    assert wait_for(lambda: mailbox.to(email), timeout=10)


def test_a_payment_waiting_on_stripe_holds_no_redis_lock_on_its_tab(
    open_page, app_url, slow_stripe, pg_redis
):
    """With the Redis state manager a handler that held the tab's lock while Stripe is slow
    would make the tab's next event wait, and past the lock's expiry lose its own answer."""
    import redis
    from reflex.config import get_config

    payer, _, line_id = _customer_page(open_page, app_url)
    payer.goto(f"{app_url}/renew?line={line_id}")
    expect(payer.locator("#card-element input[placeholder=number]")).to_be_visible()
    _fill_card(payer, "4242424242424242")
    token = payer.evaluate("sessionStorage.getItem('token')")
    store = redis.Redis.from_url(pg_redis.url)

    # Longer than Reflex's lock expiry: a lock held throughout would expire mid-payment.
    slow_stripe.delay = get_config().redis_lock_expiration / 1000 + 2
    payer.locator("#pay").click()
    assert wait_for(lambda: slow_stripe.in_flight > 0, every=0.01), "Stripe was never asked"
    assert not store.exists(f"{token}_lock"), "the tab's state is locked while Stripe answers"
    # Another event of the same tab is served while Stripe still holds the payment, not
    # after it: the check after the answer, not a time limit, is the verdict.
    payer.locator("#promo-code-input").fill("NO-SUCH-CODE")
    payer.locator("#promo-apply").click()
    expect(payer.locator("#promo-error")).to_be_visible()
    assert slow_stripe.in_flight > 0, "the second event was served only after Stripe answered"

    expect(payer.locator("#result-message")).to_contain_text("支付成功", timeout=40_000)
    store.close()
