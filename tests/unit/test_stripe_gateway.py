"""What the rest of the app sees of Stripe's errors: every call raises GatewayError, with
Stripe's message and the SDK's error as its cause, except a card declined while charging a
saved card, which comes back as the intent with its error code."""

from __future__ import annotations

import pytest
import stripe

from heyon_app.services import stripe_gateway


class _Refusing:
    """A StripeClient whose every resource and call raises `error`."""

    def __init__(self, error: Exception) -> None:
        self._error = error

    def __getattr__(self, _name: str) -> _Refusing:
        return self

    def __call__(self, *_args: object, **_kwargs: object) -> None:
        raise self._error


CALLS = {
    "create_payment_intent": lambda g: g.create_payment_intent(
        amount_minor=5_900, currency="CNY", method="card", order_id=7, idempotency_key="k"
    ),
    "charge_saved_card": lambda g: g.charge_saved_card(
        amount_minor=5_900,
        currency="CNY",
        customer_id="cus_1",
        payment_method_id="pm_1",
        order_id=7,
        idempotency_key="k",
    ),
    "retrieve_payment_intent": lambda g: g.retrieve_payment_intent("pi_1"),
    "switch_method": lambda g: g.switch_method("pi_1", "alipay"),
    "cancel_payment_intent": lambda g: g.cancel_payment_intent("pi_1"),
    "refund_payment": lambda g: g.refund_payment("pi_1", idempotency_key="k"),
    "create_customer": lambda g: g.create_customer(email="a@b.cn", user_id=1, idempotency_key="k"),
    "create_setup_intent": lambda g: g.create_setup_intent(
        customer_id="cus_1", line_id=3, idempotency_key="k"
    ),
    "retrieve_setup_intent": lambda g: g.retrieve_setup_intent("seti_1"),
    "card_of": lambda g: g.card_of("pm_1"),
}


def _declined(**error: object) -> stripe.CardError:
    body = {"type": "card_error", "code": "card_declined", "message": "declined", **error}
    return stripe.CardError("declined", None, "card_declined", json_body={"error": body})


@pytest.mark.parametrize(
    "error",
    [stripe.APIConnectionError("Stripe is unreachable"), _declined()],
    ids=["unreachable", "card error naming no intent"],
)
@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_call_raises_stripes_errors_as_gateway_errors(monkeypatch, name, error):
    monkeypatch.setattr(stripe_gateway, "_client", _Refusing(error))
    with pytest.raises(stripe_gateway.GatewayError) as raised:
        CALLS[name](stripe_gateway)
    assert str(raised.value) == str(error) and raised.value.__cause__ is error


def test_a_saved_card_declined_at_charge_is_the_intent_with_its_error_code(monkeypatch):
    intent = {
        "id": "pi_1",
        "object": "payment_intent",
        "status": "requires_payment_method",
        "amount": 5_900,
        "currency": "cny",
        "client_secret": "pi_1_secret_x",
        "metadata": {"order_id": "7"},
        "last_payment_error": None,
    }
    monkeypatch.setattr(stripe_gateway, "_client", _Refusing(_declined(payment_intent=intent)))
    view = CALLS["charge_saved_card"](stripe_gateway)
    assert (view.id, view.status, view.error_code, view.order_id) == (
        "pi_1",
        "requires_payment_method",
        "card_declined",
        7,
    )
