"""The review page's promo code field on one tab: a code that does not apply says which
(wrong, expired, used up, not for this package) in the tab's language, and stops being
used; the amount shown is always the server's quote. The review loaded again (the tab
reconnected) keeps what was chosen on it."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import Session

from heyon_app import clock
from heyon_app.i18n import translate
from heyon_app.models import Promotion
from heyon_app.services import billing, checkout
from heyon_app.state import checkout as checkout_state
from heyon_app.state.checkout import CheckoutState
from tests.concurrency import run_coroutine
from tests.unit.helpers import catalogue, customer, line


class Tab:
    def __init__(self, locale: str, line_id: int) -> None:
        self.auth_token, self.locale, self.error = "token", locale, ""
        self.line_id, self.selected = line_id, "DATA_M"
        self.promo_code, self.promo_error, self.promo_notice = "", "", ""
        self.review: dict[str, str] = {}
        self._shown_minor = -1

    def _t(self, key: str, **params: object) -> str:
        return translate(key, self.locale, **params)

    def _show_quote(self, q: Any) -> None:
        CheckoutState._show_quote(self, q)

    async def _requote(self):
        return await CheckoutState._requote(self)


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

    def renew_choice(_token: str, line_id: int, package_code: str, code: str = ""):
        return checkout.renew_choice(
            session, user=user, line_id=line_id, package_code=package_code, code=code
        )

    monkeypatch.setattr(checkout_state, "_quote", quote)
    monkeypatch.setattr(checkout_state, "_renew_choice", renew_choice)
    monkeypatch.setattr(checkout_state, "_account_phone", lambda _token: user.phone)
    return ln.id


class RenewalTab(Tab):
    """A tab on the renewal page `query` names, as load_renew reads it."""

    def __init__(self, locale: str, line_id: int, query: dict[str, str]) -> None:
        super().__init__(locale, line_id)
        self.router = SimpleNamespace(url=SimpleNamespace(query_parameters=query))
        self.qr_image = self.qr_link = self.line_number = self.phone = ""
        self.phone_error = self.phone_notice = self._pay_method = ""
        self.busy, self.phone_sent, self.test_mode = False, False, True
        self.order_id = self._pay_order_id = self._wechat_order = 0
        self.method, self.packages, self._choosing_on = "", [], ""


def _load(tab: RenewalTab) -> None:
    run_coroutine(CheckoutState.event_handlers["load_renew"].fn(tab))


def _apply(tab: Tab, code: str) -> None:
    run_coroutine(CheckoutState.event_handlers["apply_code"].fn(tab, {"promo_code": code}))


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
        tab = Tab(locale, shop)
        _apply(tab, code)
        assert words in tab.promo_error and tab.promo_code == ""
        assert tab.review["total"] == "¥59.00" and tab._shown_minor == 5_900


def test_a_good_code_shows_the_discount_and_is_sent_with_the_order(shop):
    tab = Tab("en", shop)
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
    tab = RenewalTab("en", shop, {"line": str(shop)})
    _load(tab)
    assert (tab.selected, tab.promo_code) == ("DATA_M", "")
    run_coroutine(CheckoutState.event_handlers["choose_package"].fn(tab, "DATA_Q"))
    CheckoutState.event_handlers["choose_method"].fn(tab, "alipay")
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
