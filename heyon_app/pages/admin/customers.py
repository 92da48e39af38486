"""Admin customers: search, then one customer's lines, orders, payments, tickets and mails,
with a manual extension (reason required) and a refund through Stripe."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.admin import admin_page
from heyon_app.components.form import field, labelled, messages, submit_button
from heyon_app.components.text import t
from heyon_app.components.ui import fill, label_value, list_section, localized, section
from heyon_app.pages.admin.overview import channel_text
from heyon_app.pages.orders import _STATUS_COLORS, _status_text
from heyon_app.pages.renew import METHODS
from heyon_app.state.admin.customers import CustomersState as S

_LINE_STATES = ("active", "not_installed", "suspended")
_TICKET_STATES = ("open", "answered", "closed")
_NOTE_STATES = ("queued", "sent", "failed")


def _static(value: rx.Var, prefix: str, keys: tuple[str, ...]) -> rx.Component:
    # Static keys: indexing the catalogue by a foreach item does not render.
    return rx.match(value, *[(k, t(f"{prefix}{k}")) for k in keys], value)


def _method(value: rx.Var) -> rx.Component:
    return rx.match(value, *[(m, t(f"checkout.method.{m}")) for m in METHODS], "—")


def _search() -> rx.Component:
    return section(
        "admin.customers.search",
        rx.form(
            rx.flex(
                rx.box(
                    field("admin.customers.query", "query", input_id="customer-query"),
                    flex="1",
                    min_width="200px",
                ),
                rx.button(
                    rx.icon("search", size=18),
                    t("admin.customers.search_submit"),
                    type="submit",
                    size="3",
                    disabled=~rx.State.is_hydrated,
                    id="customer-search",
                ),
                spacing="2",
                align="end",
                wrap="wrap",
                width="100%",
            ),
            on_submit=S.search,
            reset_on_submit=False,
            width="100%",
        ),
        rx.cond(
            S.searched,
            rx.cond(
                S.results.length() > 0,
                rx.vstack(
                    rx.foreach(
                        S.results,
                        lambda r: rx.hstack(
                            rx.link(
                                r["email"],
                                href=r["url"],
                                weight="bold",
                                padding_y="6px",
                                class_name="heyon-break",
                            ),
                            rx.text(r["phone"], size="2", color_scheme="gray"),
                            spacing="3",
                            wrap="wrap",
                            align="center",
                            width="100%",
                            class_name="heyon-result",
                        ),
                    ),
                    spacing="1",
                    width="100%",
                    id="search-results",
                ),
                rx.text(t("admin.customers.no_results"), color_scheme="gray", id="search-results"),
            ),
        ),
    )


def _profile() -> rx.Component:
    c = S.customer
    return section(
        "admin.customers.profile",
        label_value(
            "admin.customers.email", c["email"], id="customer-email", class_name="heyon-break"
        ),
        label_value("admin.customers.phone", c["phone"], id="customer-phone"),
        label_value(
            "admin.customers.phone_verified",
            rx.cond(
                c["phone_verified"] != "", c["phone_verified"], t("admin.customers.not_verified")
            ),
            id="customer-phone-verified",
        ),
        label_value(
            "admin.customers.locale",
            _static(c["locale"], "admin.customers.locale.", ("zh-CN", "en")),
            id="customer-locale",
        ),
        label_value(
            "admin.customers.role",
            _static(c["role"], "admin.customers.role.", ("customer", "admin")),
            id="customer-role",
        ),
        label_value("admin.customers.created", c["created"], id="customer-created"),
        id="customer-profile",
    )


def _line(line: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(line["number"], weight="bold", class_name="heyon-line-number"),
                rx.spacer(),
                rx.badge(
                    _static(line["status"], "admin.customers.line_status.", _LINE_STATES),
                    class_name="heyon-line-status",
                ),
                width="100%",
            ),
            label_value(
                "admin.customers.package",
                localized(line["package_zh"], line["package_en"]),
                size="2",
                class_name="heyon-line-package",
            ),
            label_value(
                "admin.customers.valid_until",
                line["valid_until"],
                size="2",
                class_name="heyon-line-until",
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="heyon-admin-line",
        data_line=line["id"],
    )


def _extend_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(t("admin.customers.extend"), size="3", as_="h3"),
            labelled(
                "admin.customers.extend_line",
                rx.el.select(
                    rx.foreach(S.lines, lambda x: rx.el.option(x["number"], value=x["id"])),
                    id="extend-line",
                    name="line",
                    class_name="heyon-select",
                ),
                "extend-line",
            ),
            field(
                "admin.customers.days",
                "days",
                type="number",
                input_id="extend-days",
                min=1,
                max=366,
            ),
            field(
                "admin.customers.reason",
                "reason",
                input_id="extend-reason",
                multiline=True,
                rows="2",
                max_length=500,
            ),
            submit_button("admin.customers.extend_submit", id="extend-submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=S.extend,
        reset_on_submit=False,
        width="100%",
        id="extend-form",
    )


def _lines() -> rx.Component:
    return section(
        "admin.customers.lines",
        rx.cond(
            S.lines.length() > 0,
            rx.vstack(rx.foreach(S.lines, _line), _extend_form(), spacing="3", width="100%"),
            rx.text(t("admin.customers.no_lines"), color_scheme="gray"),
        ),
        id="customer-lines",
    )


def _refund_button(order: rx.Var) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                t("admin.customers.refund"),
                color_scheme="red",
                variant="soft",
                size="2",
                # The page's loader replaces the customer shown: the refund's notice and
                # its watch would follow the customer shown then, not this order's.
                disabled=~rx.State.is_hydrated,
                class_name="heyon-refund",
            )
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("admin.customers.refund_confirm_title")),
            rx.alert_dialog.description(
                fill("admin.customers.refund_confirm", id=order["id"], amount=order["amount"])
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(t("admin.customers.cancel"), variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button(
                        t("admin.customers.refund_do"),
                        color_scheme="red",
                        on_click=S.refund(order["id"]),
                        id="refund-confirm",
                    )
                ),
                spacing="3",
                justify="end",
                wrap="wrap",
                margin_top="16px",
            ),
            max_width="420px",
        ),
    )


def _order(order: rx.Var) -> rx.Component:
    small = {"size": "2"}
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(fill("admin.customers.order", id=order["id"]), weight="bold"),
                rx.spacer(),
                rx.cond(
                    order["refund_pending"] != "",
                    rx.badge(
                        t("admin.customers.refund_pending"),
                        color_scheme="amber",
                        class_name="heyon-order-refund-pending",
                    ),
                ),
                rx.badge(
                    _status_text(order["status"]),
                    color_scheme=rx.match(order["status"], *_STATUS_COLORS),
                    class_name="heyon-order-status",
                ),
                width="100%",
                wrap="wrap",
                align="center",
            ),
            rx.text(
                localized(order["package_zh"], order["package_en"]),
                class_name="heyon-order-package",
            ),
            label_value(
                "admin.customers.date", order["date"], **small, class_name="heyon-order-date"
            ),
            label_value(
                "admin.customers.list_price",
                order["list_price"],
                **small,
                class_name="heyon-order-list-price",
            ),
            label_value(
                "admin.customers.promotion",
                rx.cond(
                    order["promotion_zh"] != "",
                    localized(order["promotion_zh"], order["promotion_en"]),
                    t("admin.customers.no_promotion"),
                ),
                **small,
                class_name="heyon-order-promotion",
            ),
            label_value(
                "admin.customers.discount",
                order["discount"],
                **small,
                class_name="heyon-order-discount",
            ),
            label_value(
                "admin.customers.amount",
                order["amount"],
                **small,
                weight="bold",
                class_name="heyon-order-amount",
            ),
            label_value(
                "admin.customers.method",
                _method(order["method"]),
                **small,
                class_name="heyon-order-method",
            ),
            label_value(
                "admin.customers.receipt",
                order["receipt"],
                **small,
                class_name="heyon-order-receipt",
            ),
            rx.cond(order["refundable"] != "", _refund_button(order)),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="heyon-admin-order",
        data_order=order["id"],
    )


def _orders() -> rx.Component:
    return list_section(
        "admin.customers.orders",
        S.orders,
        _order,
        empty_key="admin.customers.no_orders",
        id="customer-orders",
    )


def _payment(p: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(fill("admin.customers.order", id=p["order"]), weight="bold"),
                rx.spacer(),
                rx.text(p["amount"], class_name="heyon-payment-amount"),
                width="100%",
            ),
            label_value(
                "admin.customers.paid", p["paid"], size="2", class_name="heyon-payment-paid"
            ),
            label_value(
                "admin.customers.method",
                _method(p["method"]),
                size="2",
                class_name="heyon-payment-method",
            ),
            label_value(
                "admin.customers.reference",
                p["ref"],
                size="2",
                class_name="heyon-break heyon-payment-ref",
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="heyon-admin-payment",
    )


def _payments() -> rx.Component:
    return list_section(
        "admin.customers.payments",
        S.payments,
        _payment,
        empty_key="admin.customers.no_payments",
        id="customer-payments",
    )


def _ticket(ticket: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(fill("admin.tickets.ticket", id=ticket["id"]), size="2", color_scheme="gray"),
        rx.text(
            ticket["subject"],
            size="2",
            class_name="heyon-break heyon-ticket-subject",
            min_width="0",
        ),
        rx.spacer(),
        rx.text(ticket["created"], size="2", class_name="heyon-ticket-created"),
        rx.badge(
            _static(ticket["status"], "support.status.", _TICKET_STATES),
            class_name="heyon-ticket-status",
        ),
        width="100%",
        wrap="wrap",
        align="center",
        class_name="heyon-admin-ticket",
    )


def _tickets() -> rx.Component:
    return list_section(
        "admin.customers.tickets",
        S.tickets,
        _ticket,
        empty_key="admin.customers.no_tickets",
        id="customer-tickets",
    )


def _notification(n: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.badge(
                channel_text(n["channel"]), variant="outline", class_name="heyon-note-channel"
            ),
            rx.text(
                n["recipient"],
                size="2",
                class_name="heyon-break heyon-note-recipient",
                min_width="0",
            ),
            rx.spacer(),
            rx.text(n["created"], size="2", class_name="heyon-note-created"),
            rx.badge(
                _static(n["status"], "admin.customers.notification_status.", _NOTE_STATES),
                color_scheme=rx.match(n["status"], ("sent", "green"), ("failed", "red"), "gray"),
                class_name="heyon-note-status",
            ),
            width="100%",
            wrap="wrap",
            align="center",
        ),
        rx.cond(
            n["subject"] != "",
            rx.text(n["subject"], size="2", class_name="heyon-break heyon-note-subject"),
        ),
        rx.cond(
            n["error"] != "",
            rx.text(
                n["error"], size="2", color_scheme="red", class_name="heyon-break heyon-note-error"
            ),
        ),
        spacing="1",
        width="100%",
        class_name="heyon-admin-note",
    )


def _notifications() -> rx.Component:
    return list_section(
        "admin.customers.notifications",
        S.notifications,
        _notification,
        empty_key="admin.customers.no_notifications",
        id="customer-notifications",
        spacing="3",
    )


def customers_page() -> rx.Component:
    return admin_page(
        "admin.customers.title",
        messages(S.error, S.notice),
        _search(),
        rx.cond(
            S.customer.contains("id"),
            rx.vstack(
                _profile(),
                _lines(),
                _orders(),
                rx.grid(
                    _payments(),
                    rx.vstack(_tickets(), _notifications(), spacing="4", width="100%"),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                spacing="4",
                width="100%",
                id="customer-detail",
            ),
        ),
    )
