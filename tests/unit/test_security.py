from datetime import UTC, datetime, timedelta

from heyon_app import clock, security
from heyon_app.services import accounts
from heyon_app.settings import settings


def test_argon2_hash_verifies_only_the_right_password():
    hashed = security.hash_password("Blue-river-7391")
    assert hashed.startswith("$argon2")
    assert security.verify_password("Blue-river-7391", hashed)
    assert not security.verify_password("blue-river-7391", hashed)
    assert not security.verify_password("Blue-river-7391", "not-a-hash")


def test_password_policy_explains_each_rule():
    assert security.password_problems("short1", "li@example.com") == ["password.too_short"]
    assert "password.too_common" in security.password_problems("1234567890", "li@example.com")
    assert "password.too_common" in security.password_problems("Woaini1314520", "x@example.com")
    assert security.password_problems("zhangwei-rocks-2026", "ZhangWei@example.com") == [
        "password.contains_email"
    ]
    assert security.password_problems("Blue-river-7391", "zhangwei@example.com") == []


def test_tokens_are_random_and_stored_only_as_hash():
    first, second = security.new_token(), security.new_token()
    assert first != second and len(first) >= 40
    assert security.token_hash(first) != first
    assert len(security.token_hash(first)) == 64


def test_five_failures_are_free_then_waits_grow(session):
    keys = ["email:a@example.com"]
    start = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    for _ in range(4):
        security.record_login_failure(session, keys, now=start)
    assert security.throttle_wait(session, keys, now=start) == 0
    security.record_login_failure(session, keys, now=start)  # fifth
    first_wait = security.throttle_wait(session, keys, now=start)
    assert 25 <= first_wait <= 31
    security.record_login_failure(session, keys, now=start)  # sixth doubles it
    assert security.throttle_wait(session, keys, now=start) > first_wait
    later = start + timedelta(minutes=31)
    assert security.throttle_wait(session, keys, now=later) == 0
    security.clear_login_failures(session, keys)
    security.record_login_failure(session, keys, now=later)
    assert security.throttle_wait(session, keys, now=later) == 0


def test_session_token_expires_and_is_revoked_by_logout(session):
    user = accounts.register(
        session, email="li@example.com", phone="13800138000", password="Blue-river-7391"
    )
    token = accounts.open_session(session, user)
    assert accounts.user_for_token(session, token).id == user.id
    with clock.freeze(clock.now() + timedelta(days=settings.session_days, seconds=1)):
        assert accounts.user_for_token(session, token) is None
    assert accounts.user_for_token(session, token) is not None
    accounts.log_out(session, token)
    assert accounts.user_for_token(session, token) is None
    assert accounts.user_for_token(session, "forged-token") is None
