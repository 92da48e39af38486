"""Sending one SMS through the provider the settings choose; the outbox calls `send_sms`.

"local" writes one JSON file per message to SMS_OUTBOX_DIR, where a developer reads it;
"http" posts to an SMS gateway. Either raises `SmsError` when the message was not sent, and
the outbox (services/notifications) records it and retries with back-off.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request

from heyon_app import clock
from heyon_app.settings import settings


class SmsError(Exception):
    """The SMS was not sent; the text is safe to store and log (it never holds the token)."""


def send_sms(recipient: str, body: str) -> None:
    """Send one SMS with the configured provider; raises SmsError if it was not sent."""
    if settings.sms_provider == "http":
        _send_http(recipient, body)
    else:
        _send_local(recipient, body)


def _send_local(recipient: str, body: str) -> None:
    folder = settings.sms_outbox_dir
    stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
    # Two messages to one number in the same microsecond (a frozen clock, one worker pass
    # sending a reminder and a notice) must not overwrite each other.
    path = folder / f"{stamp}-{secrets.token_hex(3)}-{recipient.lstrip('+')}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"to": recipient, "body": body}, ensure_ascii=False), "utf-8")
    except OSError as exc:
        raise SmsError(f"could not write {path}: {exc}") from exc


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: following it would send the token to another address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _send_http(recipient: str, body: str) -> None:
    token = settings.sms_http_token
    request = urllib.request.Request(
        settings.sms_http_url,
        method="POST",
        data=json.dumps(
            {"to": recipient, "from": settings.sms_http_sender, "text": body}, ensure_ascii=False
        ).encode("utf-8"),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
        },
    )
    try:
        with _opener.open(request, timeout=settings.sms_http_timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        raise SmsError(_without(token, f"SMS gateway answered HTTP {exc.code}")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            detail = f"SMS gateway did not answer within {settings.sms_http_timeout:g} s"
        else:
            detail = f"SMS gateway not reached: {reason}"
        raise SmsError(_without(token, detail)) from None
    if not 200 <= status < 300:
        raise SmsError(f"SMS gateway answered HTTP {status}")


def _without(token: str, text: str) -> str:
    # Belt and braces: no exception text of the transport may carry the secret into logs.
    return text.replace(token, "[token]") if token else text
