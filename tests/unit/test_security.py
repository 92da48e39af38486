from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from heyon_app import clock, security
from heyon_app.services import accounts
from heyon_app.settings import Settings, settings


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


START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
OWNER = "203.0.113.7"


def _fail(session, account: str, address: str, times: int = 1, at: datetime = START) -> None:
    for _ in range(times):
        security.record_login_failure(session, account=account, address=address, now=at)


def test_five_failures_are_free_then_waits_grow(session):
    wait = partial(security.login_wait, session, account="a@example.com", address=OWNER)
    _fail(session, "a@example.com", OWNER, times=4)
    assert wait(now=START) == 0
    _fail(session, "a@example.com", OWNER)  # fifth
    first_wait = wait(now=START)
    assert first_wait == security.PAIR_BASE_DELAY.total_seconds()
    _fail(session, "a@example.com", OWNER)  # sixth doubles it
    assert wait(now=START) == 2 * first_wait
    assert wait(now=START + timedelta(seconds=2 * first_wait)) == 0


def test_failures_decay_out_of_the_sliding_window(session):
    _fail(session, "a@example.com", OWNER, times=7)
    later = START + security.LOGIN_WINDOW + timedelta(seconds=1)
    _fail(session, "a@example.com", OWNER, at=later)  # the old seven no longer count
    assert security.login_wait(session, account="a@example.com", address=OWNER, now=later) == 0


def test_failures_from_other_addresses_never_lock_out_the_account(session):
    for n in range(50):
        _fail(session, "a@example.com", f"198.51.100.{n}", times=10)
    assert security.login_wait(session, account="a@example.com", address=OWNER, now=START) == 0
    assert (
        security.login_wait(session, account="a@example.com", address="198.51.100.1", now=START) > 0
    )


def test_noisy_address_still_lets_in_accounts_it_has_not_failed_for(session):
    """Carrier-grade NAT: one address, thousands of customers, one of them guessing."""
    nat = "100.64.0.1"
    for n in range(security.NOISY_ADDRESS_FAILURES - 1):
        _fail(session, f"victim{n}@example.com", nat)
    wait = partial(security.login_wait, session, address=nat, now=START)
    assert wait(account="victim0@example.com") == 0  # 99 failures: one guess is still free
    _fail(session, "victim99@example.com", nat)  # the hundredth makes the address noisy
    # Each account it has failed for waits out the window: one guess per account.
    assert wait(account="victim0@example.com") == security.LOGIN_WINDOW.total_seconds()
    # A customer behind the same address who has not failed is never refused.
    assert wait(account="customer@example.com") == 0
    assert (
        security.login_wait(session, account="victim0@example.com", address=OWNER, now=START) == 0
    )


def test_clearing_forgets_one_address_or_every_address(session):
    _fail(session, "a@example.com", OWNER, times=5)
    _fail(session, "a@example.com", "198.51.100.1", times=5)
    security.clear_login_failures(session, account="a@example.com", address=OWNER)
    wait = partial(security.login_wait, session, account="a@example.com", now=START)
    assert wait(address=OWNER) == 0 and wait(address="198.51.100.1") > 0
    security.clear_login_failures(session, account="a@example.com")
    assert wait(address="198.51.100.1") == 0


def test_reset_requests_are_counted_per_account_and_per_address(session):
    for n in range(security.RESET_PER_ADDRESS):
        security.record_event(
            session,
            kind=security.RESET_REQUEST,
            account=f"u{n % 3}@example.com",
            address=OWNER,
            now=START + timedelta(minutes=n),
        )
    assert (
        security.reset_account_requests(
            session, account="u0@example.com", now=START + timedelta(minutes=30)
        )
        == 10
    )
    # The oldest request leaves the hour at START + 1 h; then the address may ask again.
    now = START + timedelta(minutes=40)
    assert security.reset_address_wait(session, address=OWNER, now=now) == 20 * 60
    assert security.reset_address_wait(session, address="198.51.100.1", now=now) == 0


def test_client_address_trusts_only_the_configured_proxies():
    address = security.client_address
    forged = "6.6.6.6, 198.51.100.20, 10.0.0.2"
    # No proxy: whatever the client wrote in the header is ignored.
    assert address(peer="203.0.113.7", forwarded_for=forged, trusted_hops=0) == "203.0.113.7"
    # One proxy: the address it saw the request come from, the last entry.
    assert address(peer="10.0.0.3", forwarded_for=forged, trusted_hops=1) == "10.0.0.2"
    assert address(peer="10.0.0.3", forwarded_for=forged, trusted_hops=2) == "198.51.100.20"
    # A request that skipped a proxy has fewer entries: only the peer is vouched for.
    assert address(peer="10.0.0.3", forwarded_for="198.51.100.20", trusted_hops=2) == "10.0.0.3"
    assert address(peer="10.0.0.3", forwarded_for="", trusted_hops=1) == "10.0.0.3"


def test_settings_read_trusted_proxy_hops(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "2")
    assert Settings.from_env().trusted_proxy_hops == 2
    monkeypatch.delenv("TRUSTED_PROXY_HOPS")
    assert Settings.from_env().trusted_proxy_hops == 0
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "-1")
    with pytest.raises(ValueError, match="TRUSTED_PROXY_HOPS"):
        Settings.from_env()


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
