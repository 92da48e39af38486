"""Forgot password in the browser: same answer for any address, a mailed link that works once."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from heyon_app.db import session_scope
from heyon_app.services import accounts
from tests.browser.conftest import snap
from tests.concurrency import wait_for


def test_forgot_password_mail_link_resets_once(page, mailbox):
    base = page.app_url
    email = "forgetful@example.com"
    with session_scope() as s:
        accounts.register(s, email=email, phone="13800138111", password="Quiet-forest-2931")

    page.goto(f"{base}/forgot-password")
    page.get_by_label("邮箱").fill("nobody-here@example.com")
    page.locator("#forgot-submit").click()
    expect(page.locator("#form-notice")).to_contain_text("如果该邮箱已注册")
    unknown_answer = page.locator("#form-notice").inner_text()
    page.get_by_label("邮箱").fill(email)
    page.locator("#forgot-submit").click()
    expect(page.locator("#form-notice")).to_have_text(unknown_answer)
    snap(page, "forgot-password")

    # The page answers at once; the mail follows from a background thread.
    (mail,) = wait_for(lambda: mailbox.to(email))
    assert mail["Subject"] == "Heyon 密码重置"
    link = re.search(r"http://heyon\.test(/reset-password\?token=\S+)", mail.get_content()).group(1)

    page.goto(base + link)
    page.get_by_label("新密码").fill("Bright-meadow-4410")
    page.get_by_label("再次输入密码").fill("Bright-meadow-4410")
    page.locator("#reset-submit").click()
    expect(page.locator("#form-notice")).to_contain_text("密码已重置")
    snap(page, "reset-password")

    page.goto(base + link)  # a second use of the same link
    page.get_by_label("新密码").fill("Other-meadow-4410")
    page.get_by_label("再次输入密码").fill("Other-meadow-4410")
    page.locator("#reset-submit").click()
    expect(page.locator("#form-error")).to_contain_text("重置链接无效")

    page.goto(f"{base}/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill("Bright-meadow-4410")
    page.locator("#login-submit").click()
    expect(page.get_by_role("heading", name="我的 eSIM")).to_be_visible()
