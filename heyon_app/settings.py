"""Typed settings read once from the environment.

Defaults are the embedded development set-up (SQLite, local SMTP sink, local Stripe);
production overrides every one of them by environment variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HEYON_VAR_DIR", PROJECT_ROOT / "var"))
# The database when none is configured: the local demo set-up's own file.
LOCAL_DEFAULT_DB_URL = f"sqlite:///{VAR_DIR / 'heyon.db'}"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw else default


def _env_float(name: str, default: float) -> float:
    raw = _env(name)
    return float(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    db_url: str
    redis_url: str
    public_url: str
    smtp_host: str
    smtp_port: int
    smtp_security: str  # "none", "starttls" or "ssl"
    smtp_user: str
    smtp_password: str
    mail_from: str
    sms_outbox_dir: Path
    session_days: int
    # Reverse proxies in front of the app that each append the peer to X-Forwarded-For;
    # 0 = none, the socket peer is the client (see security.client_address).
    trusted_proxy_hops: int
    display_timezone: str
    support_phone: str
    support_hours: str
    support_email: str
    # Stripe: "local" (the localstripe server of devtools, test values, no real money)
    # unless STRIPE_SECRET_KEY is set, then "live" and every Stripe variable is required.
    stripe_mode: str
    stripe_secret_key: str
    stripe_publishable_key: str
    stripe_webhook_secret: str
    stripe_api_base: str  # empty in live mode: the SDK's own default
    stripe_js_url: str
    # The health check fails when no worker has started a pass for this long.
    worker_stale_minutes: int = 5
    # SMS: "local" writes files to sms_outbox_dir; "http" posts to a gateway (services/sms).
    sms_provider: str = "local"
    sms_http_url: str = ""
    sms_http_token: str = ""
    sms_http_sender: str = "Heyon"
    sms_http_timeout: float = 10.0

    @property
    def stripe_test_payments(self) -> bool:
        """No real money moves: the local server, or Stripe itself with test keys."""
        return self.stripe_mode == "local" or self.stripe_secret_key.startswith("sk_test_")

    @classmethod
    def from_env(cls) -> Settings:
        db_url = _env("DB_URL") or _env("REFLEX_DB_URL") or LOCAL_DEFAULT_DB_URL
        security = _env("SMTP_SECURITY", "none").lower()
        if security not in {"none", "starttls", "ssl"}:
            raise ValueError("SMTP_SECURITY must be none, starttls or ssl")
        trusted_proxy_hops = _env_int("TRUSTED_PROXY_HOPS", 0)
        if trusted_proxy_hops < 0:
            raise ValueError("TRUSTED_PROXY_HOPS must be 0 or more")
        stripe_secret = _env("STRIPE_SECRET_KEY")
        stripe_mode = "live" if stripe_secret else "local"
        local_stripe = _env("STRIPE_API_BASE", "http://127.0.0.1:8420").rstrip("/")
        if stripe_mode == "live" and not (
            _env("STRIPE_PUBLISHABLE_KEY") and _env("STRIPE_WEBHOOK_SECRET")
        ):
            raise ValueError("STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET are required")
        worker_stale_minutes = _env_int("WORKER_STALE_MINUTES", 5)
        if worker_stale_minutes < 1:
            raise ValueError("WORKER_STALE_MINUTES must be 1 or more")
        sms_provider = _env("SMS_PROVIDER", "local").lower()
        if sms_provider not in {"local", "http"}:
            raise ValueError("SMS_PROVIDER must be local or http")
        sms_http_url = _env("SMS_HTTP_URL")
        if sms_provider == "http" and not (sms_http_url and _env("SMS_HTTP_TOKEN")):
            raise ValueError("SMS_PROVIDER=http needs SMS_HTTP_URL and SMS_HTTP_TOKEN")
        if sms_http_url and not sms_http_url.startswith(("http://", "https://")):
            raise ValueError("SMS_HTTP_URL must start with http:// or https://")
        sms_http_timeout = _env_float("SMS_HTTP_TIMEOUT", 10.0)
        # Well under the outbox's 5-minute claim lease, so no second sender takes over a
        # message whose gateway call is still running.
        if not 0 < sms_http_timeout <= 120:
            raise ValueError("SMS_HTTP_TIMEOUT must be more than 0 and at most 120 seconds")
        return cls(
            db_url=db_url,
            redis_url=_env("REDIS_URL"),
            public_url=_env("PUBLIC_URL", "http://localhost:3000").rstrip("/"),
            smtp_host=_env("SMTP_HOST", "127.0.0.1"),
            smtp_port=_env_int("SMTP_PORT", 8025),
            smtp_security=security,
            smtp_user=_env("SMTP_USER"),
            smtp_password=_env("SMTP_PASSWORD"),
            mail_from=_env("MAIL_FROM", "Heyon <no-reply@heyon.local>"),
            sms_outbox_dir=Path(_env("SMS_OUTBOX_DIR") or VAR_DIR / "sms"),
            session_days=_env_int("SESSION_DAYS", 14),
            trusted_proxy_hops=trusted_proxy_hops,
            display_timezone=_env("DISPLAY_TIMEZONE", "Asia/Shanghai"),
            support_phone=_env("SUPPORT_PHONE", "400-820-1234"),
            support_hours=_env("SUPPORT_HOURS", "09:00–21:00"),
            support_email=_env("SUPPORT_EMAIL", "support@heyon.local"),
            stripe_mode=stripe_mode,
            # Local test values only: the local server accepts any key.
            stripe_secret_key=stripe_secret or "sk_test_heyon_local",
            stripe_publishable_key=_env("STRIPE_PUBLISHABLE_KEY", "pk_test_heyon_local"),
            stripe_webhook_secret=_env("STRIPE_WEBHOOK_SECRET"),
            stripe_api_base="" if stripe_mode == "live" else local_stripe,
            stripe_js_url=(
                "https://js.stripe.com/v3/"
                if stripe_mode == "live"
                else f"{local_stripe}/js.stripe.com/v3/heyon-test-mode.js"
            ),
            worker_stale_minutes=worker_stale_minutes,
            sms_provider=sms_provider,
            sms_http_url=sms_http_url,
            sms_http_token=_env("SMS_HTTP_TOKEN"),
            sms_http_sender=_env("SMS_HTTP_SENDER", "Heyon"),
            sms_http_timeout=sms_http_timeout,
        )


settings = Settings.from_env()
