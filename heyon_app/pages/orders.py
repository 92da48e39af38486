"""Order history and the printable receipt."""

from __future__ import annotations

import reflex as rx

from heyon_app import routes
from heyon_app.components.layout import app_page
from heyon_app.components.text import t
from heyon_app.components.ui import label_value, link_button, localized
from heyon_app.pages.renew import METHODS
from heyon_app.state.orders import OrdersState

_STATUS_COLORS = (
    ("fulfilled", "green"),
    ("paid", "green"),
    ("failed", "red"),
    ("disputed", "red"),
    ("processing", "amber"),
    ("pending", "amber"),
    "gray",
)


_STATES = (
    "pending",
    "processing",
    "paid",
    "fulfilled",
    "failed",
    "canceled",
    "expired",
    "refunded",
    "disputed",
)


def _status_text(status: rx.Var) -> rx.Component:
    # Static keys: indexing the catalogue by a foreach item does not render.
    return rx.match(status, *[(s, t(f"orders.status.{s}")) for s in _STATES], "")


def _method_text(key: rx.Var) -> rx.Component:
    # "—" while no method was chosen yet (an order still awaiting payment).
    return rx.match(
        key,
        *[(f"checkout.method.{m}", t(f"checkout.method.{m}")) for m in (*METHODS, "free")],
        "—",
    )


def _order_card(order: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(
                    localized(order["package_zh"], order["package_en"]),
                    weight="bold",
                    class_name="heyon-order-package",
                ),
                rx.spacer(),
                rx.badge(
                    _status_text(order["status"]),
                    color_scheme=rx.match(order["status"], *_STATUS_COLORS),
                    size="2",
                    class_name="heyon-order-status",
                ),
                width="100%",
                align="center",
            ),
            label_value("orders.order", "#" + order["id"], size="2", class_name="heyon-order-id"),
            label_value("orders.date", order["date"], size="2", class_name="heyon-order-date"),
            label_value(
                "orders.amount", order["amount"], size="2", class_name="heyon-order-amount"
            ),
            rx.cond(
                order["discount"] != "",
                label_value(
                    "checkout.promotion",
                    localized(order["promotion_zh"], order["promotion_en"])
                    + " "
                    + order["discount"],
                    size="2",
                    class_name="heyon-order-discount",
                ),
            ),
            label_value(
                "orders.method",
                _method_text(order["method_key"]),
                size="2",
                class_name="heyon-order-method",
            ),
            label_value(
                "orders.receipt_number",
                order["receipt_number"],
                size="2",
                class_name="heyon-order-receipt-number",
            ),
            rx.cond(
                order["valid_until"] != "",
                label_value(
                    "receipt.valid_until",
                    order["valid_until"],
                    size="2",
                    class_name="heyon-order-valid-until",
                ),
            ),
            rx.cond(
                order["receipt_url"] != "",
                rx.link(
                    t("result.receipt"),
                    href=order["receipt_url"],
                    size="2",
                    class_name="heyon-order-receipt",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="heyon-order",
        id="order-" + order["id"],
    )


def orders_page() -> rx.Component:
    return app_page(
        "page.orders.title",
        link_button(t("orders.renew"), routes.RENEW, id="orders-renew"),
        rx.cond(
            OrdersState.orders.length() > 0,
            rx.grid(
                rx.foreach(OrdersState.orders, _order_card),
                columns=rx.breakpoints(initial="1", md="2"),
                gap="3",
                width="100%",
            ),
            rx.callout(t("orders.empty"), icon="info", width="100%"),
        ),
    )


def receipt_page() -> rx.Component:
    r = OrdersState.receipt
    return app_page(
        "page.receipt.title",
        rx.cond(
            OrdersState.receipt_error != "",
            rx.callout(
                t(OrdersState.receipt_error),
                color_scheme="red",
                id="receipt-error",
                width="100%",
            ),
            rx.card(
                rx.vstack(
                    rx.heading(t("receipt.heading"), size="4", as_="h2"),
                    label_value("orders.receipt_number", r["number"], size="2"),
                    label_value("orders.order", r["order"], size="2"),
                    label_value("checkout.line", r["line"], size="2"),
                    label_value(
                        "checkout.package", localized(r["package_zh"], r["package_en"]), size="2"
                    ),
                    label_value("checkout.price", r["price"], size="2", id="receipt-price"),
                    rx.cond(
                        r["discount"] != "",
                        rx.fragment(
                            label_value(
                                "checkout.promotion",
                                localized(r["promotion_zh"], r["promotion_en"]),
                                size="2",
                                id="receipt-promotion",
                            ),
                            label_value(
                                "promo.discount", r["discount"], size="2", id="receipt-discount"
                            ),
                        ),
                    ),
                    label_value("checkout.total", r["total"], size="2"),
                    label_value("orders.method", t(r["method_key"]), size="2"),
                    label_value("receipt.paid_at", r["paid_at"], size="2"),
                    label_value("receipt.valid_until", r["valid_until"], size="2"),
                    rx.button(
                        t("receipt.print"),
                        on_click=OrdersState.print_receipt,
                        # Not before the page's loader has put this order's receipt here.
                        disabled=~rx.State.is_hydrated,
                        variant="soft",
                        class_name="heyon-no-print",
                        id="receipt-print",
                    ),
                    spacing="2",
                    width="100%",
                    id="receipt",
                ),
                width="100%",
                max_width="560px",
            ),
        ),
    )
