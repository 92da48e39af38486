"""The review page's promo code field on one tab: a code that does not apply says which
(wrong, expired, used up, not for this package) in the tab's language, and stops being
used; the amount shown is always the server's quote. The review loaded again (the tab
reconnected) keeps what was chosen on it."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import Session

from heyon_app import clock
from heyon_app.models import Promotion
from heyon_app.services import billing
from heyon_app.state import base
from heyon_app.state import checkout as checkout_state
from heyon_app.state.checkout import CheckoutState
from tests.concurrency import Tab, run_coroutine
from tests.unit.helpers import catalogue, customer, line


@pytest.fixture
def shop(session: Session, monkeypatch):
    catalogue(session)
    now = clock.now()
    for code, fields in {
        "SPRING": {"percent_off": 20},
        "OLD": {"percent_off": 20, "ends_at": now - timedelta(days=1)},
        "GONE": {"percent_off": 20, "max_redemptions": 1, "redemptions": 1},
        "VOICE": {"percent_off": 20, "package_codes": "VOICE_M"},
    }.items():
        session.add(
            Promotion(
                code=code, kind="promo_code", name_zh=code, name_en=code, active=True, **fields
            )
        )
    user = customer(session)
    ln = line(session, user=user)
    session.flush()

    def quote(_token: str, line_id: int, package_code: str, code: str = ""):
        return billing.quote(
            session, user=user, line_id=line_id, package_code=package_code, code=code
        )

    async def load_as_user(_token: str, work):
        return user, (work(session, user) if work else None)

    monkeypatch.setattr(checkout_state, "_quote", quote)
    monkeypatch.setattr(base, "load_as_user", load_as_user)
    return ln.id


def _tab(locale: str, line_id: int) -> Tab:
    return Tab(CheckoutState, auth_token="token", locale=locale, line_id=line_id, selected="DATA_M")


def _renewal_tab(locale: str, line_id: int, query: dict[str, str]) -> Tab:
    """A tab on the renewal page `query` names, as load_renew reads it."""
    tab = _tab(locale, line_id)
    tab.router = SimpleNamespace(url=SimpleNamespace(query_parameters=query))
    return tab


def _load(tab: Tab) -> None:
    run_coroutine(tab.handle("load_renew"))


def _apply(tab: Tab, code: str) -> None:
    run_coroutine(tab.handle("apply_code", {"promo_code": code}))


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("NOPE", "优惠码无效", "not valid"),
        ("OLD", "已过期", "expired"),
        ("GONE", "名额已用完", "used up"),
        ("VOICE", "不适用于所选套餐", "does not apply to the chosen package"),
    ],
)
def test_a_code_that_does_not_apply_says_which_in_the_tabs_language(shop, code, zh, en):
    for locale, words in (("zh-CN", zh), ("en", en)):
        tab = _tab(locale, shop)
        _apply(tab, code)
        assert words in tab.promo_error and tab.promo_code == ""
        assert tab.review["total"] == "¥59.00" and tab._shown_minor == 5_900


def test_a_good_code_shows_the_discount_and_is_sent_with_the_order(shop):
    tab = _tab("en", shop)
    _apply(tab, " spring ")
    assert tab.promo_code == "SPRING" and tab.promo_error == ""
    assert "SPRING" in tab.promo_notice
    assert (tab.review["price"], tab.review["discount"], tab.review["total"]) == (
        "¥59.00",
        "-¥11.80",
        "¥47.20",
    )
    assert tab._shown_minor == 4_720


def test_the_renewal_loaded_again_keeps_what_was_chosen_on_it(shop):
    """Reflex runs a page's on_load again whenever the tab reconnects (its worker restarted,
    the phone changed networks): the package, method and code stay, quoted afresh."""
    tab = _renewal_tab("en", shop, {"line": str(shop)})
    _load(tab)
    assert (tab.selected, tab.promo_code) == ("DATA_M", "")
    run_coroutine(tab.handle("choose_package", "DATA_Q"))
    run_coroutine(tab.handle("choose_method", "alipay"))
    _apply(tab, "SPRING")
    _load(tab)
    assert (tab.selected, tab.method, tab.promo_code) == ("DATA_Q", "alipay", "SPRING")
    assert (tab.review["price"], tab.review["total"]) == ("¥159.00", "¥127.20")
    assert "SPRING" in tab.promo_notice

    # Another renewal (another address) starts afresh.
    tab.router.url.query_parameters = {"line": str(shop), "package": "DATA_M"}
    _load(tab)
    assert (tab.selected, tab.method, tab.promo_code) == ("DATA_M", "card", "")
    assert tab.review["total"] == "¥59.00"
