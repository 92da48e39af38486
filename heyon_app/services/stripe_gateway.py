"""The only module that talks to Stripe (official SDK), so the rest of the app sees plain data.

In local mode the SDK points at the devtools Stripe server; the calls are the same ones
production makes against api.stripe.com.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import stripe

from heyon_app.services import forms
from heyon_app.settings import VAR_DIR, settings

WEBHOOK_PATH = "/api/stripe/webhook"
LOCAL_WEBHOOK_ID = "heyon"

_client: stripe.StripeClient | None = None
registered_webhook_url = ""  # last URL this process gave the local server (tests restore it)


@dataclass(frozen=True)
class IntentView:
    id: str
    status: str  # Stripe's PaymentIntent status
    amount_minor: int
    currency: str  # upper case, like Money
    client_secret: str
    error_code: str  # code of the last failed attempt, "" if none
    order_id: int | None = None  # the order named in the intent's metadata

    @property
    def going_through(self) -> bool:
        """Paid, or being paid (a debit still clearing): nothing more is asked of the
        customer. Payments are captured automatically, so never "requires_capture"."""
        return self.status in ("processing", "succeeded")


class GatewayError(Exception):
    """Stripe could not be reached or refused the request (not a customer's decline)."""


@contextmanager
def _as_gateway_error(*, detail: bool = True) -> Iterator[None]:
    """Any error of the Stripe SDK inside, raised as GatewayError: the one error the rest of
    the app handles. Without `detail` only the error's kind is kept (the health report)."""
    try:
        yield
    except stripe.StripeError as exc:
        raise GatewayError(str(exc) if detail else type(exc).__name__) from exc


def client() -> stripe.StripeClient:
    global _client
    if _client is None:
        base = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
        _client = stripe.StripeClient(
            settings.stripe_secret_key,
            base_addresses=base,  # type: ignore[arg-type]
            max_network_retries=0 if settings.stripe_mode == "local" else 2,
        )
    return _client


def webhook_secret() -> str:
    """Live: from the environment. Local: made up once and kept under var/ for every worker."""
    if settings.stripe_webhook_secret:
        return settings.stripe_webhook_secret
    path = VAR_DIR / "stripe-local-webhook-secret"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text("whsec_local_" + secrets.token_hex(16))
    return path.read_text().strip()


def _view(intent) -> IntentView:
    error = getattr(intent, "last_payment_error", None)
    code = ""
    if error:
        code = (error.get("code") if isinstance(error, dict) else getattr(error, "code", "")) or ""
    metadata = getattr(intent, "metadata", None)
    raw_order = (metadata.to_dict() if metadata else {}).get("order_id")
    return IntentView(
        id=intent.id,
        status=intent.status,
        amount_minor=int(intent.amount),
        currency=str(intent.currency).upper(),
        client_secret=intent.client_secret or "",
        error_code=code,
        order_id=forms.row_id(raw_order),
    )


def create_payment_intent(
    *, amount_minor: int, currency: str, method: str, order_id: int, idempotency_key: str
) -> IntentView:
    with _as_gateway_error():
        intent = client().v1.payment_intents.create(
            params={
                "amount": amount_minor,
                "currency": currency.lower(),
                "payment_method_types": [method],
                "metadata": {"order_id": str(order_id)},
            },
            options={"idempotency_key": idempotency_key},
        )
    return _view(intent)


def charge_saved_card(
    *,
    amount_minor: int,
    currency: str,
    customer_id: str,
    payment_method_id: str,
    order_id: int,
    idempotency_key: str,
) -> IntentView:
    """Auto-renew: create and confirm the order's intent on the customer's saved card with
    nobody at the page (off_session). A decline or a bank that wants the customer to
    authenticate is no GatewayError: the intent comes back with its error code, as Stripe
    reports it on the card error."""
    with _as_gateway_error():
        try:
            intent = client().v1.payment_intents.create(
                params={
                    "amount": amount_minor,
                    "currency": currency.lower(),
                    "payment_method_types": ["card"],
                    "customer": customer_id,
                    "payment_method": payment_method_id,
                    "off_session": True,
                    "confirm": True,
                    "metadata": {"order_id": str(order_id)},
                },
                options={"idempotency_key": idempotency_key},
            )
        except stripe.CardError as exc:
            failed = exc.error.payment_intent if exc.error else None
            if failed is None:
                raise  # a card error with no intent to show is Stripe refusing the request
            view = _view(failed)
            return dataclasses.replace(view, error_code=view.error_code or exc.code or "card_error")
    return _view(intent)


def retrieve_payment_intent(intent_id: str) -> IntentView:
    with _as_gateway_error():
        return _view(client().v1.payment_intents.retrieve(intent_id))


def switch_method(intent_id: str, method: str) -> IntentView:
    """A customer who changes method before paying keeps the same intent (one charge)."""
    with _as_gateway_error():
        return _view(
            client().v1.payment_intents.update(intent_id, params={"payment_method_types": [method]})
        )


def cancel_payment_intent(intent_id: str) -> None:
    with _as_gateway_error():
        client().v1.payment_intents.cancel(intent_id)


def refund_payment(intent_id: str, *, idempotency_key: str) -> str:
    """Give a payment's whole amount back; the refund's id."""
    with _as_gateway_error():
        refund = client().v1.refunds.create(
            params={"payment_intent": intent_id}, options={"idempotency_key": idempotency_key}
        )
    return refund.id


@dataclass(frozen=True)
class SetupView:
    id: str
    status: str  # Stripe's SetupIntent status
    client_secret: str
    customer_id: str
    payment_method_id: str  # "" until a card is saved
    line_id: int | None  # the line named in the metadata


@dataclass(frozen=True)
class CardView:
    brand: str
    last4: str


def create_customer(*, email: str, user_id: int, idempotency_key: str) -> str:
    """A Stripe Customer for the user's saved cards; its id."""
    with _as_gateway_error():
        customer = client().v1.customers.create(
            params={"email": email, "metadata": {"user_id": str(user_id)}},
            options={"idempotency_key": idempotency_key},
        )
    return customer.id


def _setup_view(intent) -> SetupView:
    metadata = getattr(intent, "metadata", None)
    raw_line = (metadata.to_dict() if metadata else {}).get("line_id")
    method = intent.payment_method
    return SetupView(
        id=intent.id,
        status=intent.status,
        client_secret=intent.client_secret or "",
        customer_id=str(intent.customer or ""),
        payment_method_id=str(getattr(method, "id", method) or ""),
        line_id=forms.row_id(raw_line),
    )


def create_setup_intent(*, customer_id: str, line_id: int, idempotency_key: str) -> SetupView:
    """A SetupIntent that saves a card for charges made later without the customer."""
    with _as_gateway_error():
        intent = client().v1.setup_intents.create(
            params={
                "customer": customer_id,
                "usage": "off_session",
                "payment_method_types": ["card"],
                "metadata": {"line_id": str(line_id)},
            },
            options={"idempotency_key": idempotency_key},
        )
    return _setup_view(intent)


def retrieve_setup_intent(setup_intent_id: str) -> SetupView:
    with _as_gateway_error():
        return _setup_view(client().v1.setup_intents.retrieve(setup_intent_id))


def card_of(payment_method_id: str) -> CardView:
    """The brand and last four digits of a saved card, for the customer to recognise it."""
    with _as_gateway_error():
        method = client().v1.payment_methods.retrieve(payment_method_id)
    card = getattr(method, "card", None)
    return CardView(
        brand=str(getattr(card, "brand", "") or ""), last4=str(getattr(card, "last4", "") or "")
    )


def verified_event(payload: bytes, signature: str) -> dict:
    """The event as a dict; raises ValueError or SignatureVerificationError if not from Stripe."""
    try:
        found = stripe.Webhook.construct_event(payload, signature, webhook_secret()).to_dict()
    except (AttributeError, TypeError) as exc:  # signed, but no JSON object: no event
        raise ValueError("not a Stripe event") from exc
    _check_event_shape(found)
    return found


def _check_event_shape(event: object) -> None:
    """Refuse (ValueError) a signed body that is no event: its id is what makes each event
    count once, and every handler reads `data.object` as a mapping."""
    if not isinstance(event, dict):
        raise ValueError("not a Stripe event")
    event_id, kind, data = event.get("id"), event.get("type", ""), event.get("data", {})
    if not (isinstance(event_id, str) and re.fullmatch(r"[A-Za-z0-9_]{1,255}", event_id)):
        raise ValueError("a Stripe event without a usable id")
    if not isinstance(kind, str) or not isinstance(data, dict):
        raise ValueError("a Stripe event of an unknown shape")
    if not isinstance(data.get("object", {}), dict):
        raise ValueError("a Stripe event of an unknown shape")


def register_local_webhook(url: str) -> None:
    """Local mode only: tell the devtools Stripe server where to send signed events."""
    if settings.stripe_mode != "local":
        return
    import httpx

    global registered_webhook_url
    httpx.post(
        f"{settings.stripe_api_base}/_config/webhooks/{LOCAL_WEBHOOK_ID}",
        data={"url": url, "secret": webhook_secret()},
        timeout=5,
    ).raise_for_status()
    registered_webhook_url = url


def ping(*, timeout: float, api_base: str | None = None) -> None:
    """The cheapest authenticated call (the balance), for the health check; raises GatewayError.
    A client of its own: a short timeout and no retries, unlike the payments' client."""
    base = settings.stripe_api_base if api_base is None else api_base
    probe = stripe.StripeClient(
        settings.stripe_secret_key,
        base_addresses={"api": base} if base else None,  # type: ignore[arg-type]
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=timeout),
    )
    with _as_gateway_error(detail=False):
        probe.v1.balance.retrieve()
