"""A new customer registers, reaches the shell, switches language, logs out and in again."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from heyon_app.db import session_scope
from heyon_app.state.dashboard import DashboardState
from heyon_app.state.orders import OrdersState
from tests import factories
from tests.browser.conftest import snap
from tests.concurrency import wait_for

PASSWORD = "Maple-lantern-4827"
NEW_PASSWORD = "Cedar-window-6154"


def test_register_switch_language_log_out_and_in(page):
    base = page.app_url
    email = "new@example.com"

    page.goto(f"{base}/register")
    expect(page.get_by_role("heading", name="注册 Heyon 账户")).to_be_visible()
    snap(page, "register")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("手机号").fill("+86 139 1234 5678")
    page.get_by_label("密码", exact=True).fill("1234567890")
    page.get_by_label("再次输入密码").fill("1234567890")
    page.locator("#register-submit").click()
    expect(page.locator("#form-error")).to_contain_text("太常见")

    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.locator("#register-submit").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="我的 eSIM")).to_be_visible()
    expect(page.locator("#welcome")).to_contain_text(email)
    snap(page, "dashboard-zh")

    page.locator("#language-switch").click()
    expect(page.get_by_role("heading", name="My eSIM")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main navigation").first).to_be_attached()
    snap(page, "dashboard-en")
    # The choice is remembered for the user: a reload keeps English.
    page.reload()
    expect(page.get_by_role("heading", name="My eSIM")).to_be_visible()
    page.locator("#language-switch").click()
    expect(page.get_by_role("heading", name="我的 eSIM")).to_be_visible()

    for path, heading in [
        ("/packages", "套餐"),
        ("/orders", "我的订单"),
        ("/support", "客服与帮助"),
        ("/account", "账户设置"),
    ]:
        page.goto(base + path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        snap(page, path.strip("/"))
    page.goto(f"{base}/admin")
    expect(page).to_have_url(re.compile(r"/$"))  # customers are sent away from admin

    page.goto(f"{base}/account")
    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label("新密码").fill(NEW_PASSWORD)
    page.get_by_label("再次输入密码").fill(NEW_PASSWORD)
    page.locator("#change-password-submit").click()
    expect(page.locator("#form-notice")).to_contain_text("密码已修改")

    page.locator("#logout").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/login$"))  # the old token no longer opens the app

    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill("wrong-password-x")
    page.locator("#login-submit").click()
    expect(page.locator("#form-error")).to_contain_text("邮箱或密码不正确")
    snap(page, "login-error")
    page.get_by_label("密码").fill(NEW_PASSWORD)
    page.locator("#login-submit").click()
    expect(page.get_by_role("heading", name="我的 eSIM")).to_be_visible()
    page.locator("#logout").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def test_admin_sees_admin_page(page):
    base = page.app_url
    page.goto(f"{base}/login")
    page.get_by_label("邮箱").fill("admin@heyon.local")
    page.get_by_label("密码").fill("Heyon-demo-2026")
    page.locator("#login-submit").click()
    expect(page.get_by_role("heading", name="我的 eSIM")).to_be_visible()
    page.goto(f"{base}/admin")
    expect(page.get_by_role("heading", name="管理后台")).to_be_visible()
    snap(page, "admin")


def _tab_state(harness, token: str, state_cls):
    """The server's copy of one state of the browser tab holding `token`."""
    manager = harness.app_instance.state_manager
    if not hasattr(manager, "states"):
        # The Redis state manager (HEYON_TEST_BACKEND=pg-redis): each state is stored under
        # "<tab token>_<state's full name>".
        import redis
        from reflex.istate.manager.token import BaseStateToken

        from heyon_app.settings import settings

        client = redis.Redis.from_url(settings.redis_url)
        try:
            raw = client.get(f"{token}_{state_cls.get_full_name()}")
        finally:
            client.close()
        assert raw is not None, f"{state_cls.__name__} was never loaded in this tab"
        return BaseStateToken.deserialize(data=raw)
    roots = [root for key, root in manager.states.items() if token in key]
    assert len(roots) == 1, "the tab's state is not on the server"
    pending = [roots[0]]
    while pending:
        state = pending.pop()
        if type(state) is state_cls:
            return state
        pending.extend(state.substates.values())
    raise AssertionError(f"{state_cls.__name__} was never loaded in this tab")


def test_log_out_leaves_nothing_of_the_customer_in_the_tab(page, app_harness):
    base = page.app_url
    with session_scope() as s:
        user = factories.customer(s, password_hash=factories.password_hash(PASSWORD))
        line = factories.line(s, user=user)
        email, number = user.email, line.number

    page.goto(f"{base}/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("#line-card")).to_contain_text(number)
    page.goto(f"{base}/orders")
    expect(page.get_by_role("heading", name="我的订单", exact=True)).to_be_visible()
    token = page.evaluate("sessionStorage.getItem('token')")
    assert _tab_state(app_harness, token, DashboardState).lines  # what log out must forget

    page.locator("#logout").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    assert number not in page.content() and email not in page.content()

    # The next person at this browser gets none of it from the server either. With Redis
    # the forgotten states are written back after the redirect has gone out: poll.
    def forgotten() -> bool:
        dashboard = _tab_state(app_harness, token, DashboardState)
        orders = _tab_state(app_harness, token, OrdersState)
        return (dashboard.lines, dashboard.card, dashboard.chart, orders.orders) == ([], {}, [], [])

    assert wait_for(forgotten), "the server still holds the customer's data for the tab"
