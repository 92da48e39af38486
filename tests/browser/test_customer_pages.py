"""The demo customer's daily pages: dashboard, packages, activation, device, coverage, support."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.i18n import translate
from heyon_app.models import EsimLine
from heyon_app.services import dashboard
from heyon_app.state.present import line_card
from tests import factories
from tests.browser.charts import assert_chart_shows
from tests.browser.conftest import DEMO, signed_in, snap


def _demo_overview() -> dashboard.LineOverview:
    """What the dashboard should show for the demo line, from the same data and clock."""
    with session_scope() as session:
        line = session.exec(select(EsimLine).where(EsimLine.number == "+8617000000001")).one()
        return dashboard.overview(session, line=line, now=clock.now())


def _demo_usage() -> list[tuple[str, int, int]]:
    """The demo line's chart rows (day, MB, minutes), from the same data and clock."""
    with session_scope() as session:
        line = session.exec(select(EsimLine).where(EsimLine.number == "+8617000000001")).one()
        points = dashboard.daily_usage(session, line_id=line.id, today=clock.local_today())
    return [(p["day"], p["mb"], p["min"]) for p in points]


def assert_demo_dashboard(page) -> None:
    """Every field of the demo line's dashboard in Chinese, from the same data and clock."""
    expect(page.locator("#welcome")).to_have_text(f"欢迎，{DEMO[0]}")
    expect(page.locator("#line-switch option")).to_have_text(
        ["号码 +8617000000001", "号码 +8617000000002"]
    )
    expect(page.locator("#days-left")).to_have_text("剩余 5 天")
    expect(page.locator("#line-status")).to_have_text("即将到期")
    banner = page.locator("#expiry-banner")
    expect(banner).to_contain_text("5 天后到期")
    expect(banner.get_by_role("link", name="立即续费")).to_have_attribute(
        "href", re.compile(r"/renew\?line=\d+$")
    )
    view = _demo_overview()
    card = line_card(view)
    line_card_shown = page.locator("#line-card")
    expect(line_card_shown.get_by_role("heading", level=2)).to_have_text(card["name_zh"])
    for badge in (f"kind.{card['kind']}", f"period.{card['period']}"):
        expect(line_card_shown).to_contain_text(translate(badge, "zh-CN"))
    used_left = translate("dash.used_left", "zh-CN", used=card["data_used"], left=card["data_left"])
    expect(page.locator("#data-usage")).to_have_text(used_left)
    minutes = {
        k: translate("dash.minutes_fmt", "zh-CN", n=card[k]) for k in ("min_used", "min_left")
    }
    expect(page.locator("#minutes-usage")).to_have_text(
        translate("dash.used_left", "zh-CN", used=minutes["min_used"], left=minutes["min_left"])
    )
    expect(page.get_by_text(card["valid_until"], exact=True).first).to_be_visible()
    for bar, label, percent in (
        ("#time-bar", translate("dash.time_left", "zh-CN"), view.time_left_percent),
        ("#data-usage-bar", translate("dash.data", "zh-CN"), view.data_used_percent),
        ("#minutes-usage-bar", translate("dash.minutes", "zh-CN"), view.minutes_used_percent),
    ):
        shown = page.locator(bar)
        expect(shown).to_have_attribute("role", "progressbar")
        expect(shown).to_have_attribute("aria-label", label)
        expect(shown).to_have_attribute("aria-valuenow", str(percent))
        expect(shown.locator(".heyon-bar-fill")).to_have_attribute("style", f"width: {percent}%;")
    expect(page.locator("#recommendation")).to_contain_text("大流量月套餐")
    expect(page.locator("#recommendation-reason")).to_contain_text("90%")
    expect(page.locator("#recommendation-choose")).to_have_attribute(
        "href", re.compile(r"/renew\?line=\d+&package=DATA_PLUS_M$")
    )
    chart = page.locator("#usage-chart")
    assert_chart_shows(chart, _demo_usage(), names=("日期", "流量 (MB)", "通话 (分钟)"))


def test_dashboard_shows_days_left_usage_banner_and_advice(page):
    signed_in(page)
    assert_demo_dashboard(page)
    chart = page.locator("#usage-chart")
    snap(page, "dashboard-demo")

    page.locator("#language-switch").click()
    expect(page.locator("#days-left")).to_have_text("5 days left")
    expect(chart).to_contain_text("Usage over the last 30 days")
    assert_chart_shows(chart, _demo_usage(), names=("Day", "Data (MB)", "Calls (min)"))
    expect(page.locator("#recommendation-reason")).to_contain_text("You used 90% of your data")
    snap(page, "dashboard-demo-en")
    page.locator("#language-switch").click()

    # The second, not yet installed line: its card leads to the QR code.
    page.locator("#line-switch").select_option(label="号码 +8617000000002")
    expect(page.locator("#line-status")).to_have_text("未激活")
    page.locator("#activate-link").click()
    expect(page.get_by_role("heading", name="安装 eSIM", exact=True)).to_be_visible()
    qr = page.locator("#activation-qr")
    expect(qr).to_be_visible()
    expect(qr).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    expect(page.locator("#smdp-address")).to_have_text("smdp.heyon.local")
    expect(page.locator("#matching-id")).to_have_text("HEYON-DEMO-0002")
    snap(page, "activation")


def test_renew_from_the_banner_preselects_the_recommendation(page):
    signed_in(page)
    page.locator("#renew-button").click()
    choice = page.locator("#package-DATA_PLUS_M")
    expect(choice).to_have_attribute("data-state", "checked")
    expect(choice).to_contain_text("推荐")
    expect(page.locator("#review-total")).to_have_text("¥99.00")


def test_packages_filter_and_mark_the_recommendation(page):
    signed_in(page)
    page.locator("#compare-link").click()
    expect(page).to_have_url(re.compile(r"/packages/?\?line=\d+$"))
    offers = page.locator(".heyon-offer")
    expect(offers).to_have_count(13)
    page.locator("#kind-data").click()
    expect(offers).to_have_count(6)
    recommended = page.locator('.heyon-offer[data-code="DATA_PLUS_M"]')
    expect(recommended).to_contain_text("推荐")
    expect(page.locator('.heyon-offer[data-code="DATA_M"]')).to_contain_text("当前套餐")
    snap(page, "packages-data")
    page.locator("#period-year").click()
    expect(offers).to_have_count(2)
    yearly = page.locator('.heyon-offer[data-code="DATA_Y"]')
    expect(yearly).to_contain_text("折合每月 ¥49.92")
    expect(yearly).to_contain_text("比按月付省 ¥109.00")
    expect(yearly.get_by_role("link", name="选择")).to_have_attribute(
        "href", re.compile(r"/renew\?line=\d+&package=DATA_Y$")
    )
    page.locator("#kind-roaming").click()
    expect(offers).to_have_count(1)
    expect(offers.first).to_contain_text("日本")
    snap(page, "packages-roaming-year")


def test_device_check_asks_for_part_number_and_coverage_search(page):
    signed_in(page, at="/device-check")
    page.get_by_label("手机型号").fill("iPhone 15 Pro")
    page.locator("#device-submit").click()
    first = page.locator(".heyon-device").first
    expect(first).to_contain_text("取决于购买地区")
    expect(page.locator("#device-why")).to_contain_text("CH/A")
    page.get_by_label("型号号码（选填）").fill("MTP03CH/A")
    page.locator("#device-submit").click()
    expect(first).to_contain_text("不支持 eSIM")
    snap(page, "device-check")
    page.get_by_label("型号号码（选填）").fill("")
    page.get_by_label("手机型号").fill("Pixel 8")
    page.locator("#device-submit").click()
    expect(first).to_contain_text("支持 eSIM")
    expect(page.locator("#device-buy")).to_be_visible()

    page.goto(f"{page.app_url}/coverage")
    page.get_by_label("国家或地区").fill("日本")
    page.locator("#coverage-submit").click()
    region = page.locator(".heyon-region").first
    expect(region).to_contain_text("可以漫游")
    expect(region).to_contain_text("亚洲漫游月套餐")
    page.get_by_label("国家或地区").fill("Brazil")
    page.locator("#coverage-submit").click()
    expect(region).to_contain_text("暂不支持")
    snap(page, "coverage")


def test_support_ticket_is_filed_and_listed(page):
    signed_in(page, at="/support")
    expect(page.locator("#hotline")).to_be_visible()
    page.get_by_text("续费是怎么计算的？").click()
    expect(page.get_by_text("顺延一个套餐周期")).to_be_visible()
    subject = "无法上网"
    page.get_by_label("主题").fill(subject)
    page.get_by_label("问题描述").fill("短")
    page.locator("#support-submit").click()
    expect(page.locator("#form-error")).to_contain_text("至少 10 个字符")
    page.get_by_label("问题描述").fill("昨天开始在上海无法使用流量，已重启手机。")
    page.locator("#support-submit").click()
    expect(page.locator("#form-notice")).to_contain_text("工单已提交")
    ticket = page.locator(".heyon-ticket", has_text=subject)
    expect(ticket).to_contain_text("处理中")
    expect(page.get_by_label("主题")).to_have_value("")
    snap(page, "support")


def test_new_customer_sees_first_steps_instead_of_empty_cards(page):
    page.goto(f"{page.app_url}/register")
    page.get_by_label("邮箱").fill("first-steps@example.com")
    page.get_by_label("手机号").fill("13912345678")
    page.get_by_label("密码", exact=True).fill("Maple-lantern-4827")
    page.get_by_label("再次输入密码").fill("Maple-lantern-4827")
    page.locator("#register-submit").click()
    steps = page.locator("#first-steps")
    expect(steps).to_contain_text("您还没有 Heyon eSIM")
    expect(page.locator("#line-card")).to_have_count(0)
    steps.get_by_role("link", name="检查手机是否支持 eSIM").click()
    expect(page.get_by_role("heading", name="手机是否支持 eSIM")).to_be_visible()
    snap(page, "device-check-first")


@pytest.mark.parametrize(
    ("left", "level", "text", "status"),
    [
        (timedelta(hours=20), "urgent", "24 小时内到期", "即将到期"),
        (timedelta(days=-3), "expired", "您的套餐已过期", "已过期"),
    ],
)
def test_expiry_banner_grows_stronger_and_offers_renewal(page, left, level, text, status):
    with session_scope() as session:
        user = factories.customer(session, password_hash=factories.password_hash(DEMO[1]))
        line = factories.line(session, user=user, valid_until=clock.now() + left)
        email, line_id = user.email, line.id
    page.goto(f"{page.app_url}/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(DEMO[1])
    page.locator("#login-submit").click()
    banner = page.locator("#expiry-banner")
    expect(banner).to_have_attribute("data-level", level)
    expect(banner).to_contain_text(text)
    expect(page.locator("#line-status")).to_have_text(status)
    expect(banner.get_by_role("link", name="立即续费")).to_have_attribute(
        "href", re.compile(rf"/renew\?line={line_id}$")
    )
    snap(page, f"dashboard-{level}")
