"""Local Stripe for development and tests: localstripe, bound to loopback, plus what it lacks.

localstripe speaks the real Stripe API the app's SDK uses. It lacks what Stripe's test mode
offers for the browser side, so this launcher adds it, outside production code:
- a Stripe.js stand-in (`/js.stripe.com/v3/heyon-test-mode.js`) whose `confirmCardPayment`
  with a card element, `confirmAlipayPayment` and `confirmWechatPayPayment` behave like
  Stripe.js in test mode: 4242… succeeds, 4000 0000 0000 0002 is declined at confirm,
  4000 0025 0000 3155 asks for 3-D Secure;
- the page Stripe shows in test mode for redirect and QR methods, where the tester
  authorizes or fails the payment (Alipay redirects back to `return_url` like Stripe);
- the `charge.refunded` event Stripe sends after a refund (disputes it cannot make: post
  signed `charge.dispute.*` events to the webhook to try them);
- saving a card for later (auto-renew): `confirmCardSetup` with a card element, the card
  attached to the SetupIntent's customer as Stripe does, and off-session PaymentIntents
  (`off_session=true, confirm=true`) on a saved card with Stripe's test cards: 4242…
  succeeds, 4000 0000 0000 0341 is saved but declined at charge (`card_declined`),
  4000 0027 6000 3184 needs authentication on every off-session charge
  (`authentication_required`, the intent back to `requires_payment_method`).
Alipay and WeChat Pay do not exist in localstripe, so the authorized payment is charged on a
stand-in test card; the PaymentIntent, its events and webhooks are the real ones.
"""

from __future__ import annotations

import argparse
import html
import json
import socket
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web

from heyon_app.settings import VAR_DIR

# Stripe's test mode declines this card at confirm; localstripe only on attach. Its
# "declines at charge" card gives the same outcome, so we charge that one instead.
_DECLINED_AT_CONFIRM = {"4000000000000002": "4000000000000341"}
_PASSING_CARD = "4242424242424242"
_FAILING_CARD = "4000000000000341"
# Stripe's "authenticate unless set up" card (…3155) charges off-session once saved; this one
# asks for authentication on every off-session charge. localstripe asks on both, every time.
_OFF_SESSION_NEEDS_AUTH = {"4000002760003184"}

_JS_EXTENSION = r"""
;(function () {
  const base = LOCALSTRIPE_BASE_API;
  const LocalStripe = Stripe;
  async function post(path, body) {
    const response = await fetch(base + path, {method: 'POST', body: JSON.stringify(body)});
    const data = await response.json().catch(() => ({}));
    return response.status === 200 ? data : {error: data.error || {message: 'error'}};
  }
  function piOf(secret) { return secret.match(/^(pi_\w+)_secret_/)[1]; }
  function setiOf(secret) { return secret.match(/^(seti_\w+)_secret_/)[1]; }
  Stripe = (apiKey) => {
    const s = LocalStripe(apiKey);
    const authenticate = s.confirmCardPayment;  // localstripe's 3-D Secure dialog
    s.confirmCardPayment = async (secret, data) => {
      const element = data && data.payment_method && data.payment_method.card;
      if (!element) { return authenticate(secret); }
      const card = (element.value || {}).card || {};
      const body = await post(`/_config/heyon/payment_intents/${piOf(secret)}/confirm_card`,
                              {client_secret: secret, card: card});
      if (body.error) { return {error: body.error}; }
      if (body.status === 'requires_action') {
        const result = await authenticate(secret);
        if (result.paymentIntent && result.paymentIntent.status === 'requires_payment_method') {
          return {error: {type: 'card_error', code: 'payment_intent_authentication_failure',
                          message: 'authentication failed', payment_intent: result.paymentIntent}};
        }
        return result;
      }
      return {paymentIntent: body};
    };
    const setup = s.confirmCardSetup;  // localstripe's, for anything but a card element
    s.confirmCardSetup = async (secret, data) => {
      const element = data && data.payment_method && data.payment_method.card;
      if (!element || !element.value) { return setup(secret, data); }
      const card = element.value.card || {};
      const path = `/_config/heyon/setup_intents/${setiOf(secret)}`;
      let body = await post(`${path}/confirm_card`, {client_secret: secret, card: card});
      if (body.error) { return {error: body.error}; }
      if (body.status === 'requires_action') {
        const success = await openModal('3D Secure\nDo you want to confirm or cancel?',
                                        'Complete authentication', 'Fail authentication');
        body = await post(`${path}/authenticate`, {client_secret: secret, success: success});
        if (body.error) { return {error: body.error}; }
      }
      if (body.status !== 'succeeded') {
        return {error: {type: 'card_error', code: 'setup_intent_authentication_failure',
                        message: 'authentication failed', setup_intent: body}};
      }
      return {setupIntent: body};
    };
    s.confirmAlipayPayment = async (secret, data) => {
      const query = new URLSearchParams({payment_intent: piOf(secret), client_secret: secret,
                                         method: 'alipay', return_url: data.return_url});
      window.location.assign(`${base}/_config/heyon/authorize?${query}`);
      return new Promise(() => {});  // like Stripe.js: the page is leaving
    };
    s.confirmWechatPayPayment = async (secret, data, options) => {
      const body = await post(`/_config/heyon/payment_intents/${piOf(secret)}/wechat_pay`,
                              {client_secret: secret});
      return body.error ? {error: body.error} : {paymentIntent: body};
    };
    return s;
  };
})();
"""

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Test payment</title>
<style>body{{font-family:sans-serif;max-width:420px;margin:2em auto;padding:0 1em}}
button{{font-size:1.1em;padding:.7em 1em;margin:.4em 0;width:100%}}</style></head><body>
<h1>{method} test payment</h1><p>Local Stripe test mode — no real money. {amount} {currency}</p>
<form method="post"><input type="hidden" name="outcome" value="authorize">
<button id="authorize">Authorize test payment</button></form>
<form method="post"><input type="hidden" name="outcome" value="fail">
<button id="fail">Fail test payment</button></form>{done}</body></html>"""


def _owned(kind, intent_id: str, secret: str):  # noqa: ANN001 - a localstripe resource class
    """The PaymentIntent or SetupIntent, if the browser holds its client secret."""
    from localstripe.errors import UserError

    intent = kind._api_retrieve(intent_id)
    if secret != intent.client_secret:
        raise UserError(401, "Unauthorized")
    return intent


def _intent(pi_id: str, secret: str):
    from localstripe.resources import PaymentIntent

    return _owned(PaymentIntent, pi_id, secret)


def _setup_intent(seti_id: str, secret: str):
    from localstripe.resources import SetupIntent

    return _owned(SetupIntent, seti_id, secret)


def _test_card(number: str):  # noqa: ANN202 - localstripe's PaymentMethod
    """The card typed into the element as a PaymentMethod (expiry and CVC as any test card)."""
    from localstripe.resources import PaymentMethod

    return PaymentMethod(
        type="card", card={"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"}
    )


def _refusal_for_stripe_js(exc: Exception) -> dict:
    """localstripe's refusal as the card error Stripe.js hands the page."""
    body = getattr(exc, "body", None) or {}
    error = body.get("error", {}) if isinstance(body, dict) else {}
    return {
        "type": "card_error",
        "code": error.get("code") or "card_declined",
        "message": error.get("message") or "Your card was declined.",
    }


def _entered_card(intent, data: dict) -> tuple[str, web.Response | None]:  # noqa: ANN001
    """The card number typed into the element, or Stripe.js's refusal when the intent takes
    no card now or the number is incomplete."""
    if intent.status not in ("requires_payment_method", "requires_confirmation"):
        refusal = {"error": {"message": f"intent is {intent.status}"}}
        return "", web.json_response(refusal, status=400)
    card = data.get("card") or {}
    number = "".join(ch for ch in str(card.get("number", "")) if ch.isdigit())
    if len(number) != 16:
        return "", web.json_response(
            {"error": {"type": "card_error", "code": "incomplete_number", "message": "bad card"}},
            status=400,
        )
    return number, None


def _charge_card(pi_id: str, number: str) -> dict | None:
    """Attach a test card to the intent and confirm; the Stripe-like error if declined."""
    from localstripe.errors import UserError
    from localstripe.resources import PaymentIntent

    pm = _test_card(number)
    intent = PaymentIntent._api_retrieve(pi_id)
    # Stripe lets a customer retry after a decline; localstripe would refuse to confirm an
    # intent whose last charge failed, so forget that charge first.
    if intent.latest_charge is not None and intent.latest_charge.status == "failed":
        intent.latest_charge = None
    PaymentIntent._api_update(pi_id, payment_method=pm.id)
    try:
        PaymentIntent._api_confirm(pi_id)
    except UserError as exc:
        return _refusal_for_stripe_js(exc)
    return None


async def confirm_card(request: web.Request) -> web.Response:
    data = json.loads(await request.text() or "{}")
    intent = _intent(request.match_info["id"], data.get("client_secret", ""))
    number, refusal = _entered_card(intent, data)
    if refusal is not None:
        return refusal
    error = _charge_card(intent.id, _DECLINED_AT_CONFIRM.get(number, number))
    if error:
        return web.json_response({"error": error}, status=402)
    return web.json_response(intent._export())


async def confirm_card_setup(request: web.Request) -> web.Response:
    """What Stripe.js's confirmCardSetup does with a card element: make the card a
    PaymentMethod and confirm the SetupIntent with it (a card declined at attach fails)."""
    from localstripe.errors import UserError
    from localstripe.resources import SetupIntent

    data = json.loads(await request.text() or "{}")
    intent = _setup_intent(request.match_info["id"], data.get("client_secret", ""))
    number, refusal = _entered_card(intent, data)
    if refusal is not None:
        return refusal
    pm = _test_card(number)
    try:
        SetupIntent._api_confirm(
            intent.id, client_secret=intent.client_secret, payment_method=pm.id
        )
    except UserError as exc:
        return web.json_response({"error": _refusal_for_stripe_js(exc)}, status=402)
    return web.json_response(intent._export())


async def authenticate_setup(request: web.Request) -> web.Response:
    """The tester's answer to the 3-D Secure dialog of a card being saved."""
    data = json.loads(await request.text() or "{}")
    intent = _setup_intent(request.match_info["id"], data.get("client_secret", ""))
    if intent.status != "requires_action":
        return web.json_response({"error": {"message": f"intent is {intent.status}"}}, status=400)
    intent.next_action = None
    if data.get("success") is True:
        intent.status = "succeeded"
        _attach_to_customer(intent)
    else:
        intent.status, intent.payment_method = "requires_payment_method", None
    return web.json_response(intent._export())


def _attach_to_customer(setup_intent) -> None:
    """Stripe attaches the card a SetupIntent saved to the intent's customer."""
    from localstripe.resources import PaymentMethod

    if setup_intent.status == "succeeded" and setup_intent.customer:
        PaymentMethod._api_attach(setup_intent.payment_method, customer=setup_intent.customer)


def _attach_saved_cards() -> None:
    from localstripe.resources import SetupIntent

    original = SetupIntent._attach_pm
    if getattr(original, "_heyon", False):
        return

    def attach_pm(self, pm):
        original(self, pm)
        _attach_to_customer(self)

    attach_pm._heyon = True  # type: ignore[attr-defined]
    SetupIntent._attach_pm = attach_pm


def _card_error(intent, code: str, message: str):
    """Stripe's answer to a failed confirm=true create: a card error naming the intent."""
    from localstripe.errors import UserError

    error = UserError(402, message, {"code": code, "decline_code": code})
    error.body["error"]["type"] = "card_error"
    error.body["error"]["payment_intent"] = intent._export()
    return error


def _charge_off_session() -> None:
    """localstripe confirms an off-session intent like an on-session one: it asks a saved
    card for 3-D Secure and, on a decline, names no intent. Stripe does neither."""
    from localstripe.errors import UserError
    from localstripe.resources import Charge, Event, PaymentIntent, PaymentMethod
    from localstripe.resources import try_convert_to_bool as boolean
    from localstripe.webhooks import schedule_webhook

    original = PaymentIntent._api_create
    if getattr(original, "_heyon", False):
        return

    def create(cls, confirm=None, off_session=None, **data):
        if not boolean(off_session):
            return original(confirm=confirm, off_session=off_session, **data)
        if boolean(confirm) is not True or not data.get("payment_method"):
            raise UserError(400, "Bad request")
        intent = original(**data)
        method = PaymentMethod._api_retrieve(intent.payment_method)
        if getattr(method, "_card_number", "") in _OFF_SESSION_NEEDS_AUTH:
            # Stripe records the attempt as a failed charge and wants a new payment method.
            charge = Charge(
                amount=intent.amount,
                currency=intent.currency,
                customer=intent.customer,
                source=method.id,
            )
            charge.payment_intent = intent.id
            charge.status = "failed"
            charge.failure_code = "authentication_required"
            charge.failure_message = (
                "Your card was declined. This transaction requires authentication."
            )
            intent.latest_charge = charge
            schedule_webhook(Event("payment_intent.payment_failed", intent))
            raise _card_error(intent, "authentication_required", charge.failure_message)
        try:
            intent._create_charge(on_failure_now=intent._report_failure)
        except UserError as exc:
            error = (getattr(exc, "body", None) or {}).get("error", {})
            raise _card_error(
                intent,
                error.get("code") or "card_declined",
                error.get("message") or "Your card was declined.",
            ) from None
        return intent

    create._heyon = True  # type: ignore[attr-defined]
    PaymentIntent._api_create = classmethod(create)


def _authorize_url(request: web.Request, intent, method: str, return_url: str = "") -> str:
    query = {"payment_intent": intent.id, "client_secret": intent.client_secret, "method": method}
    if return_url:
        query["return_url"] = return_url
    return f"{request.scheme}://{request.host}/_config/heyon/authorize?{urlencode(query)}"


async def wechat_pay(request: web.Request) -> web.Response:
    import segno

    data = json.loads(await request.text() or "{}")
    intent = _intent(request.match_info["id"], data.get("client_secret", ""))
    url = _authorize_url(request, intent, "wechat_pay")
    body = intent._export()
    body["status"] = "requires_action"
    body["next_action"] = {
        "type": "wechat_pay_display_qr_code",
        "wechat_pay_display_qr_code": {
            "data": url,
            "hosted_instructions_url": url,
            "image_data_url": segno.make(url, error="m").png_data_uri(scale=4, border=2),
        },
    }
    return web.json_response(body)


async def authorize_page(request: web.Request) -> web.Response:
    q = request.query
    intent = _intent(q.get("payment_intent", ""), q.get("client_secret", ""))
    method = {"alipay": "Alipay", "wechat_pay": "WeChat Pay"}.get(q.get("method", ""), "Card")
    done = ""
    if request.method == "POST":
        form = await request.post()
        if intent.status in ("requires_payment_method", "requires_confirmation"):
            number = _PASSING_CARD if form.get("outcome") == "authorize" else _FAILING_CARD
            _charge_card(intent.id, number)
        status = "succeeded" if intent.status == "succeeded" else "failed"
        if q.get("return_url"):
            sep = "&" if "?" in q["return_url"] else "?"
            back = urlencode(
                {
                    "payment_intent": intent.id,
                    "payment_intent_client_secret": intent.client_secret,
                    "redirect_status": status,
                }
            )
            raise web.HTTPSeeOther(q["return_url"] + sep + back)
        done = f'<p id="outcome">Payment {status}.</p>'
    page = _PAGE.format(
        method=method,
        amount=f"{intent.amount / 100:.2f}",
        currency=html.escape(intent.currency.upper()),
        done=done,
    )
    return web.Response(text=page, content_type="text/html")


def _stripe_js(_: web.Request) -> web.Response:
    import localstripe

    original = (Path(localstripe.__file__).parent / "localstripe-v3.js").read_text()
    return web.Response(text=original + _JS_EXTENSION, content_type="application/javascript")


def _keep_payment_method_types() -> None:
    """localstripe drops `payment_method_types`; Stripe keeps it and lets it be updated."""
    from localstripe.resources import PaymentIntent

    original = PaymentIntent.__init__
    if getattr(original, "_heyon", False):
        return

    def init(self, *args, payment_method_types=None, **kwargs):
        original(self, *args, payment_method_types=payment_method_types, **kwargs)
        self.payment_method_types = payment_method_types or ["card"]

    init._heyon = True  # type: ignore[attr-defined]
    PaymentIntent.__init__ = init


def _send_refund_events() -> None:
    """Stripe sends `charge.refunded` when a charge is refunded; localstripe sends nothing."""
    from localstripe.resources import Charge, Event, Refund
    from localstripe.webhooks import schedule_webhook

    original = Refund.__init__
    if getattr(original, "_heyon", False):
        return

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        schedule_webhook(Event("charge.refunded", Charge._api_retrieve(self.charge)))

    init._heyon = True  # type: ignore[attr-defined]
    Refund.__init__ = init


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--state", type=Path, default=VAR_DIR / "localstripe.pickle")
    args = parser.parse_args()

    from localstripe import resources, server

    # Keep its state under var/ (it would write /tmp/localstripe.pickle).
    args.state.parent.mkdir(parents=True, exist_ok=True)
    resources.store.dump_to_disk = _dumper(resources.store, args.state)
    _load(resources.store, args.state)

    _keep_payment_method_types()
    _send_refund_events()
    _attach_saved_cards()
    _charge_off_session()
    app = server.app
    app.router.add_get("/js.stripe.com/v3/heyon-test-mode.js", _stripe_js)
    app.router.add_post("/_config/heyon/payment_intents/{id}/confirm_card", confirm_card)
    app.router.add_post("/_config/heyon/payment_intents/{id}/wechat_pay", wechat_pay)
    app.router.add_post("/_config/heyon/setup_intents/{id}/confirm_card", confirm_card_setup)
    app.router.add_post("/_config/heyon/setup_intents/{id}/authenticate", authenticate_setup)
    app.router.add_route("*", "/_config/heyon/authorize", authorize_page)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    print(f"local Stripe on http://127.0.0.1:{args.port}", flush=True)
    web.run_app(app, sock=sock, print=None)


def _dumper(store, path: Path):
    import pickle

    def dump_to_disk() -> None:
        with open(path, "wb") as f:
            pickle.dump(dict(store), f)

    return dump_to_disk


def _load(store, path: Path) -> None:
    import pickle

    if path.exists():
        try:
            with open(path, "rb") as f:
                store.update(pickle.load(f))
        except Exception:  # noqa: BLE001 - a corrupt dev state file just starts afresh
            pass


if __name__ == "__main__":
    main()
