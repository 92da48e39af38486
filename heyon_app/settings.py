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


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw else default


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
    display_timezone: str
    support_phone: str
    support_hours: str
    support_email: str

    @classmethod
    def from_env(cls) -> Settings:
        db_url = _env("DB_URL") or _env("REFLEX_DB_URL") or f"sqlite:///{VAR_DIR / 'heyon.db'}"
        security = _env("SMTP_SECURITY", "none").lower()
        if security not in {"none", "starttls", "ssl"}:
            raise ValueError("SMTP_SECURITY must be none, starttls or ssl")
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
            display_timezone=_env("DISPLAY_TIMEZONE", "Asia/Shanghai"),
            support_phone=_env("SUPPORT_PHONE", "400-820-1234"),
            support_hours=_env("SUPPORT_HOURS", "09:00–21:00"),
            support_email=_env("SUPPORT_EMAIL", "support@heyon.local"),
        )


settings = Settings.from_env()
