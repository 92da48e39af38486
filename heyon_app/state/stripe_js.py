"""Loading Stripe.js and Heyon's side of it (assets/heyon-pay.js) in the page: one script for
every state that drives a card element (paying on the renew page, saving a card for
auto-renew on the dashboard)."""

from __future__ import annotations

import json

from heyon_app.i18n import supported
from heyon_app.settings import settings


def init_script(locale: str, *, then_mount_card: bool = False) -> str:
    """JS that loads heyon-pay.js once and Stripe.js through it; resolves when both are in,
    and with `then_mount_card` once the card form is mounted too (in the page, without a
    round trip to the server for it)."""
    # The tab's language is browser storage: Stripe.js is only ever told one we support.
    language = supported(locale)
    args = json.dumps([settings.stripe_js_url, settings.stripe_publishable_key, language])
    go = "window.heyonPay.init.apply(null,a)"
    if then_mount_card:
        go += ".then(function(){return window.heyonPay.mountCard();})"
    return (
        "(function(){var a=" + args + ";var go=function(){return " + go + ";};"
        "if(window.heyonPay){return go();}"
        "return new Promise(function(ok,no){var s=document.createElement('script');"
        "s.src='/heyon-pay.js';s.onload=function(){ok(go());};"
        "s.onerror=no;document.head.appendChild(s);});})()"
    )
