"""The account page's renewal reminder choices: a switch saves at once, survives a reload,
and is what the worker reads."""

from __future__ import annotations

from playwright.sync_api import expect

from heyon_app.db import session_scope
from heyon_app.services import reminders
from tests import factories
from tests.browser.conftest import labels_not_in_name, snap

PASSWORD = "Reminder-choice-2026"


def test_customer_switches_off_sms_reminders_and_the_choice_is_kept(page):
    with session_scope() as s:
        user = factories.customer(s, password_hash=factories.password_hash(PASSWORD))
        email, user_id = user.email, user.id
    page.goto(f"{page.app_url}/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("#login-submit").click()
    expect(page.get_by_role("heading", name="我的 eSIM")).to_be_visible()

    page.goto(f"{page.app_url}/account")
    expect(page.get_by_role("heading", name="续费提醒")).to_be_visible()
    sms = page.get_by_role("switch", name="短信")
    expect(sms).to_be_checked()
    sms.click()
    expect(page.locator("#reminder-notice")).to_have_text("已保存")
    expect(sms).not_to_be_checked()
    assert labels_not_in_name(page) == []
    snap(page, "account-reminders")

    page.reload()
    expect(page.get_by_role("switch", name="短信")).not_to_be_checked()
    expect(page.get_by_role("switch", name="邮件")).to_be_checked()
    with session_scope() as s:
        prefs = reminders.preferences(s, user_id=user_id)
    assert prefs["sms"] is False and prefs["email"] is True
