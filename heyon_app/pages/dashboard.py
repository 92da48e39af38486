"""Home page: one card per eSIM line, expiry banner, usage chart and a recommendation."""

from __future__ import annotations

import reflex as rx

from heyon_app import routes
from heyon_app.components.autorenew import autorenew_section
from heyon_app.components.charts import daily_bars_and_line
from heyon_app.components.deferred import after_paint
from heyon_app.components.layout import app_page
from heyon_app.components.preload import apply_preload
from heyon_app.components.text import t
from heyon_app.components.ui import fill, link_button, localized, section, share_bar, stat
from heyon_app.state.base import AppState
from heyon_app.state.dashboard import DashboardState as S

_ALERT_COLORS = {"soon": "amber", "urgent": "red", "expired": "red"}
# The chosen line's links, put together in the browser: the line id is there already, and
# every byte of the card is sent on each load (`routes.renew_url` etc. spell the same).
_renew_url = f"{routes.RENEW}?line={S.selected_line}"
_activate_url = f"{routes.ACTIVATION}?line={S.selected_line}"
_packages_url = f"{routes.PACKAGES}?line={S.selected_line}"


def _alert() -> rx.Component:
    return rx.match(
        S.card["alert"],
        *[
            (
                level,
                rx.callout.root(
                    rx.callout.icon(rx.icon("triangle-alert")),
                    rx.callout.text(fill(f"dash.alert.{level}", days=S.card["days_left"])),
                    link_button(
                        t("dash.renew"),
                        _renew_url,
                        id="renew-button",
                        color_scheme=color,
                        high_contrast=True,
                    ),
                    color_scheme=color,
                    variant="surface" if level != "soon" else "soft",
                    role="alert",
                    width="100%",
                    id="expiry-banner",
                    data_level=level,
                ),
            )
            for level, color in _ALERT_COLORS.items()
        ],
        rx.fragment(),
    )


def _switcher() -> rx.Component:
    # The browser's own select: the phone's picker, and a fraction of the render of Radix's
    # (about 20 ms of each dashboard load here, when the data arrives and the page mounts).
    return rx.cond(
        S.lines.length() > 1,
        rx.vstack(
            rx.el.label(t("dash.choose_line"), html_for="line-switch", class_name="heyon-label"),
            rx.el.select(
                rx.foreach(
                    S.lines,
                    lambda line: rx.el.option(
                        fill("dash.line", number=line["number"]), value=line["id"]
                    ),
                ),
                value=S.selected_line,
                on_change=S.select_line,
                id="line-switch",
                class_name="heyon-select",
            ),
            spacing="1",
            width="100%",
            max_width="360px",
        ),
    )


def _status_badge() -> rx.Component:
    color = rx.match(
        S.card["status"],
        ("active", "green"),
        ("expiring", "amber"),
        ("expired", "red"),
        "gray",
    )
    return rx.badge(t("status." + S.card["status"]), color_scheme=color, size="2", id="line-status")


def _allowance(label_key: str, used: rx.Var, left: rx.Var, total: rx.Var, pct: rx.Var, id_: str):
    return rx.vstack(
        rx.hstack(
            rx.text(t(label_key), weight="bold"),
            rx.text(fill("dash.of_allowance", total=total), size="2", color_scheme="gray"),
            spacing="2",
            wrap="wrap",
        ),
        share_bar(pct, t(label_key), id=f"{id_}-bar"),
        rx.text(fill("dash.used_left", used=used, left=left), size="2", id=id_),
        spacing="2",
        width="100%",
    )


def _line_card() -> rx.Component:
    c = S.card
    minutes = lambda v: fill("dash.minutes_fmt", n=v)  # noqa: E731 - tiny local formatter
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.text(fill("dash.line", number=c["number"]), size="2", color_scheme="gray"),
                    rx.heading(localized(c["name_zh"], c["name_en"]), size="5", as_="h2"),
                    rx.hstack(
                        rx.badge(t("kind." + c["kind"]), variant="outline"),
                        rx.badge(t("period." + c["period"]), variant="outline"),
                        spacing="2",
                    ),
                    spacing="1",
                    min_width="0",
                ),
                rx.spacer(),
                _status_badge(),
                width="100%",
                align="start",
            ),
            rx.cond(
                c["status"] == "not_activated",
                rx.callout.root(
                    rx.callout.text(t("dash.not_activated_text")),
                    link_button(
                        t("dash.activate"), _activate_url, icon="qr-code", id="activate-link"
                    ),
                    width="100%",
                ),
                rx.fragment(
                    rx.grid(
                        stat(t("dash.valid_until"), c["valid_until"]),
                        rx.box(
                            stat(
                                t("dash.time_left"),
                                rx.el.span(
                                    fill("dash.days_left", days=c["days_left"]), id="days-left"
                                ),
                            ),
                        ),
                        columns="2",
                        spacing="4",
                        width="100%",
                    ),
                    share_bar(S.bars["time"], t("dash.time_left"), id="time-bar"),
                    _allowance(
                        "dash.data",
                        c["data_used"],
                        c["data_left"],
                        c["data_total"],
                        S.bars["data"],
                        "data-usage",
                    ),
                    _allowance(
                        "dash.minutes",
                        minutes(c["min_used"]),
                        minutes(c["min_left"]),
                        minutes(c["min_total"]),
                        S.bars["minutes"],
                        "minutes-usage",
                    ),
                    rx.hstack(
                        rx.link(t("dash.renew_other"), href=_renew_url, size="3", padding_y="8px"),
                        rx.link(
                            t("dash.compare"),
                            href=_packages_url,
                            size="3",
                            padding_y="8px",
                            id="compare-link",
                        ),
                        spacing="4",
                        wrap="wrap",
                    ),
                ),
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
        id="line-card",
    )


def _recommendation() -> rx.Component:
    r = S.rec
    return rx.cond(
        r.contains("code"),
        section(
            "dash.rec_title",
            rx.text(localized(r["name_zh"], r["name_en"]), weight="bold", size="4"),
            rx.text(localized(r["reason_zh"], r["reason_en"]), id="recommendation-reason"),
            link_button(
                t("dash.rec_choose"),
                f"{routes.RENEW}?line={S.selected_line}&package={r['code']}",
                id="recommendation-choose",
            ),
            id="recommendation",
        ),
    )


def _chart() -> rx.Component:
    return section(
        "dash.usage_title",
        daily_bars_and_line(
            # [day, MB, minutes] rows: fewer bytes than keyed points on every load.
            S.chart,
            day_key="0",
            bars=("1", t("dash.chart_data")),
            line=("2", t("dash.chart_minutes")),
        ),
        id="usage-chart",
    )


def _first_steps() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("dash.empty_title"), size="5", as_="h2"),
            rx.text(t("dash.empty_text")),
            link_button(
                t("dash.empty_check"), routes.DEVICE_CHECK, icon="smartphone", variant="soft"
            ),
            link_button(t("dash.empty_buy"), routes.PACKAGES, icon="package", id="first-buy"),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="first-steps",
    )


def _links() -> rx.Component:
    return rx.hstack(
        rx.link(t("dash.coverage_link"), href=routes.COVERAGE, size="3", padding_y="8px"),
        rx.link(t("page.device_check.title"), href=routes.DEVICE_CHECK, size="3", padding_y="8px"),
        spacing="4",
        wrap="wrap",
    )


def dashboard_page() -> rx.Component:
    # Beside the shell, not in it: the shell shows its content only once logged in, and
    # the preload carries the login.
    return rx.fragment(apply_preload(), _shell())


def _shell() -> rx.Component:
    return app_page(
        "page.dashboard.title",
        rx.text(t("dashboard.welcome").replace("{email}", AppState.user_email), id="welcome"),
        rx.cond(
            S.loaded,
            rx.cond(
                S.lines.length() > 0,
                rx.vstack(
                    _switcher(),
                    _alert(),
                    _line_card(),
                    # Below the card, mostly below the fold: drawn the frame after it, so
                    # the card shows first (~12 ms sooner on a cold load; the chart ~35 ms
                    # later, docs/PERFORMANCE.md).
                    after_paint(
                        rx.cond(
                            S.card["status"] != "not_activated",
                            autorenew_section(line_key=S.selected_line),
                        ),
                        _recommendation(),
                        rx.cond(S.card["status"] != "not_activated", _chart()),
                        _links(),
                    ),
                    spacing="4",
                    width="100%",
                ),
                _first_steps(),
            ),
            rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
        ),
    )
