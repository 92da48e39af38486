"""Admin overview: 30 days of renewals and revenue, failures, and lines about to lapse."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.admin import admin_page
from heyon_app.components.charts import daily_bars_and_line
from heyon_app.components.form import messages
from heyon_app.components.text import t
from heyon_app.components.ui import fill, label_value, list_section, section, stat
from heyon_app.pages.orders import _STATUS_COLORS, _status_text
from heyon_app.state.admin.overview import OverviewState as S


def _tile(label_key: str, value: rx.Var, id_: str) -> rx.Component:
    return rx.card(stat(t(label_key), rx.el.span(value, id=id_)), width="100%")


def _tiles() -> rx.Component:
    return rx.grid(
        _tile("admin.overview.renewals_total", S.totals["renewals"], "total-renewals"),
        _tile("admin.overview.revenue_total", S.totals["revenue"], "total-revenue"),
        _tile("admin.overview.expiring_count", S.totals["expiring"], "total-expiring"),
        _tile(
            "admin.overview.failed_payments_total",
            S.totals["failed_payments"],
            "total-failed-payments",
        ),
        _tile(
            "admin.overview.failed_notifications_total",
            S.totals["failed_notifications"],
            "total-failed-notifications",
        ),
        columns=rx.breakpoints(initial="2", md="5"),
        spacing="3",
        width="100%",
    )


def _sales_chart() -> rx.Component:
    return section(
        "admin.overview.sales",
        daily_bars_and_line(
            S.chart,
            bars=("renewals", t("admin.overview.renewals")),
            line=("revenue", t("admin.overview.revenue")),
        ),
        id="sales-chart",
    )


def _problems_chart() -> rx.Component:
    return section(
        "admin.overview.problems",
        daily_bars_and_line(
            S.chart,
            bars=("failed_payments", t("admin.overview.failed_payments")),
            line=("failed_notifications", t("admin.overview.failed_notifications")),
            same_scale=True,
        ),
        id="problems-chart",
    )


def _expiring_row(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.link(
                    row["number"],
                    href=row["url"],
                    weight="bold",
                    class_name="heyon-expiring-number",
                ),
                rx.spacer(),
                rx.badge(
                    fill("admin.overview.days_left", days=row["days_left"]),
                    color_scheme="amber",
                    class_name="heyon-expiring-days",
                ),
                width="100%",
                align="center",
            ),
            rx.hstack(
                rx.text(
                    row["email"],
                    size="2",
                    color_scheme="gray",
                    class_name="heyon-break heyon-expiring-email",
                ),
                rx.spacer(),
                rx.text(
                    row["valid_until"],
                    size="2",
                    white_space="nowrap",
                    class_name="heyon-expiring-until",
                ),
                width="100%",
                wrap="wrap",
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="heyon-expiring",
    )


def _expiring() -> rx.Component:
    return list_section(
        "admin.overview.expiring",
        S.expiring,
        _expiring_row,
        empty_key="admin.overview.no_expiring",
        id="expiring",
    )


def _failed_payment(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.link(
                    fill("admin.overview.order", id=row["order"]),
                    href=row["url"],
                    weight="bold",
                    class_name="heyon-failed-order",
                ),
                rx.spacer(),
                rx.text(row["amount"], class_name="heyon-failed-amount"),
                width="100%",
            ),
            rx.text(
                row["email"],
                size="2",
                color_scheme="gray",
                class_name="heyon-break heyon-failed-email",
            ),
            label_value(
                "admin.overview.reason",
                row["reason"],
                size="2",
                class_name="heyon-break heyon-failed-reason",
            ),
            rx.hstack(
                rx.text(row["at"], size="2", class_name="heyon-failed-at"),
                rx.spacer(),
                rx.text(t("admin.overview.now"), size="2", color_scheme="gray"),
                rx.badge(
                    _status_text(row["status"]),
                    color_scheme=rx.match(row["status"], *_STATUS_COLORS),
                    class_name="heyon-failed-status",
                ),
                width="100%",
                align="center",
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="heyon-failed-payment",
    )


def _failed_payments() -> rx.Component:
    return list_section(
        "admin.overview.recent_failed_payments",
        S.failed_payments,
        _failed_payment,
        empty_key="admin.overview.no_failed_payments",
        id="failed-payments",
    )


def channel_text(channel: rx.Var) -> rx.Component:
    return rx.match(
        channel,
        ("email", t("admin.overview.channel.email")),
        ("sms", t("admin.overview.channel.sms")),
        channel,
    )


def _failed_notification(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(channel_text(row["channel"]), class_name="heyon-note-channel"),
                rx.cond(
                    row["url"] != "",
                    rx.link(
                        row["recipient"],
                        href=row["url"],
                        class_name="heyon-break heyon-note-recipient",
                    ),
                    rx.text(row["recipient"], class_name="heyon-break heyon-note-recipient"),
                ),
                rx.spacer(),
                rx.text(row["at"], size="2", class_name="heyon-note-at"),
                width="100%",
                wrap="wrap",
                align="center",
            ),
            rx.text(
                row["subject"], size="2", weight="bold", class_name="heyon-break heyon-note-subject"
            ),
            label_value(
                "admin.overview.error",
                row["error"],
                size="2",
                class_name="heyon-break heyon-note-error",
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="heyon-failed-note",
    )


def _failed_notifications() -> rx.Component:
    return list_section(
        "admin.overview.failed_notifications",
        S.failed_notifications,
        _failed_notification,
        empty_key="admin.overview.no_failed_notifications",
        id="failed-notifications",
    )


def overview_page() -> rx.Component:
    return admin_page(
        "page.admin.title",
        messages(S.error, S.notice),
        rx.cond(
            S.loaded,
            rx.vstack(
                _tiles(),
                _sales_chart(),
                _expiring(),
                _problems_chart(),
                rx.grid(
                    _failed_payments(),
                    _failed_notifications(),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
        ),
    )
