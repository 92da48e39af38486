"""Handlers that wait on Stripe, a mail server or an SMS gateway hold no lock on the tab's
state while they wait: with the Redis state manager a lock held past its expiry (10 s by
default) is lost, and every other event of the tab waits behind it. Such a handler is a
background event that locks the tab only to read and to show (`async with self`)."""

from __future__ import annotations

import pytest

from heyon_app.state.admin.customers import CustomersState
from heyon_app.state.admin.tickets import TicketsState
from heyon_app.state.autorenew import AutoRenewState
from heyon_app.state.checkout import CheckoutState, ResultState

WAITS_ON_AN_OUTSIDE_SERVICE = [
    (CheckoutState, "pay"),  # Stripe: creates the PaymentIntent
    (CheckoutState, "payment_returned"),  # Stripe: reads the intent
    (CheckoutState, "wait_for_wechat"),  # Stripe, polled
    (CheckoutState, "send_phone_code"),  # the SMS gateway
    (ResultState, "load_result"),  # Stripe, polled
    (AutoRenewState, "save_card"),  # Stripe: customer and SetupIntent
    (AutoRenewState, "card_returned"),  # Stripe: reads the SetupIntent and card
    (AutoRenewState, "switch_off"),  # Stripe
    (CustomersState, "refund"),  # Stripe: the refund, then watching for its event
    (TicketsState, "answer"),  # the mail server
]


@pytest.mark.parametrize(
    ("state_cls", "name"),
    WAITS_ON_AN_OUTSIDE_SERVICE,
    ids=[f"{c.__name__}.{n}" for c, n in WAITS_ON_AN_OUTSIDE_SERVICE],
)
def test_a_handler_waiting_on_an_outside_service_holds_no_lock_on_the_tab(state_cls, name):
    assert state_cls.event_handlers[name].is_background
