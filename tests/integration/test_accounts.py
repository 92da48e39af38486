"""Accounts against the real migrated database file and a real SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.models import AuthSession, User
from heyon_app.services import accounts, notifications
from heyon_app.services.errors import UserError

PASSWORD = "Violet-harbor-5821"


def _register(email: str) -> None:
    with session_scope() as s:
        accounts.register(s, email=email, phone="+86 138 0013 8001", password=PASSWORD)


def test_register_log_in_log_out(app_db):
    _register("wang@example.com")
    with session_scope() as s:
        user = s.exec(select(User).where(User.email == "wang@example.com")).one()
        assert user.password_hash.startswith("$argon2") and user.phone == "+8613800138001"
        token = accounts.log_in(s, email="WANG@example.com ", password=PASSWORD).token
    with session_scope() as s:
        assert accounts.user_for_token(s, token).email == "wang@example.com"
        stored = s.exec(select(AuthSession).where(AuthSession.user_id == user.id)).one()
        assert stored.token_hash != token
        accounts.log_out(s, token)
    with session_scope() as s:
        assert accounts.user_for_token(s, token) is None


def test_duplicate_email_and_bad_input_change_nothing(app_db):
    _register("dup@example.com")
    for kwargs, key in [
        ({"email": "dup@example.com"}, "auth.email_taken"),
        ({"email": "not-an-email"}, "auth.email_invalid"),
        ({"email": "new@example.com", "phone": "12"}, "auth.phone_invalid"),
        ({"email": "new@example.com", "password": "short"}, "password.too_short"),
    ]:
        args = {"phone": "13800138002", "password": PASSWORD} | kwargs
        with pytest.raises(UserError) as err, session_scope() as s:
            accounts.register(s, **args)
        assert err.value.key == key
    with session_scope() as s:
        assert s.exec(select(User).where(User.email == "new@example.com")).first() is None


def test_session_expires(app_db):
    _register("expiry@example.com")
    with session_scope() as s:
        token = accounts.log_in(s, email="expiry@example.com", password=PASSWORD).token
    with clock.freeze(clock.now() + timedelta(days=15)), session_scope() as s:
        assert accounts.user_for_token(s, token) is None


def test_failed_logins_are_throttled_even_with_right_password(app_db):
    _register("throttle@example.com")
    for _ in range(5):
        with pytest.raises(UserError) as err, session_scope() as s:
            accounts.log_in(s, email="throttle@example.com", password="wrong-password-1")
        assert err.value.key == "auth.bad_credentials"
    with pytest.raises(UserError) as err, session_scope() as s:
        accounts.log_in(s, email="throttle@example.com", password=PASSWORD)
    assert err.value.key == "auth.throttled" and err.value.params["seconds"] > 0


def _send_reset(email: str) -> None:
    with session_scope() as s:
        found = accounts.start_password_reset(s, email=email)
        if found:
            user, token = found
            mail = notifications.email(
                s, user_id=user.id, recipient=user.email, subject="reset", body=f"token={token}"
            )
            assert notifications.send_now(s, mail)


def test_reset_link_is_mailed_works_once(app_db, mailbox):
    _register("reset@example.com")
    _send_reset("reset@example.com")
    (mail,) = mailbox.to("reset@example.com")
    token = re.search(r"token=(\S+)", mail.get_content()).group(1)
    with session_scope() as s:
        accounts.complete_password_reset(s, token=token, new_password="Amber-valley-9034")
    with pytest.raises(UserError) as err, session_scope() as s:
        accounts.complete_password_reset(s, token=token, new_password="Other-valley-9034")
    assert err.value.key == "auth.reset_link_invalid"
    with session_scope() as s:
        assert accounts.log_in(s, email="reset@example.com", password="Amber-valley-9034")


def test_reset_link_expires_after_30_minutes(app_db, mailbox):
    _register("late@example.com")
    _send_reset("late@example.com")
    token = re.search(r"token=(\S+)", mailbox.to("late@example.com")[0].get_content()).group(1)
    later = clock.freeze(clock.now() + timedelta(minutes=31))
    with later, pytest.raises(UserError) as err, session_scope() as s:
        accounts.complete_password_reset(s, token=token, new_password="Amber-valley-9034")
    assert err.value.key == "auth.reset_link_invalid"


def test_reset_for_unknown_address_sends_nothing(app_db, mailbox):
    _send_reset("nobody@example.com")
    assert mailbox.messages == []
