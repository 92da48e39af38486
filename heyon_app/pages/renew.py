"""Renew or buy: package choice, order review, payment method, pay; and the result page."""

from __future__ import annotations

import reflex as rx

from heyon_app import routes
from heyon_app.components.form import labelled, messages, submit_button
from heyon_app.components.layout import app_page
from heyon_app.components.text import t
from heyon_app.components.ui import label_value, link_button, localized
from heyon_app.state.checkout import CheckoutState, ResultState

METHODS = ("card", "alipay", "wechat_pay")
PERIODS = ("month", "quarter", "year")


def _period_text(key: rx.Var) -> rx.Component:
    # Static keys: indexing the catalogue by a foreach item does not render.
    return rx.match(
        key, *[(f"checkout.period.{p}", t(f"checkout.period.{p}")) for p in PERIODS], ""
    )


def _test_banner(visible) -> rx.Component:
    return rx.cond(
        visible,
        rx.callout(
            t("checkout.test_mode"),
            icon="flask-conical",
            color_scheme="amber",
            width="100%",
            id="test-mode-banner",
        ),
    )


def _package_choice() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(t("checkout.choose_package"), size="4", as_="h2"),
            rx.radio_cards.root(
                rx.foreach(
                    CheckoutState.packages,
                    lambda p: rx.radio_cards.item(
                        rx.vstack(
                            rx.hstack(
                                rx.text(localized(p["name_zh"], p["name_en"]), weight="bold"),
                                rx.cond(
                                    p["recommended"] != "",
                                    rx.badge(t("pkg.recommended"), color_scheme="amber"),
                                ),
                                spacing="2",
                                wrap="wrap",
                                align="center",
                            ),
                            rx.text(_period_text(p["period_key"]), " · ", p["price"], size="2"),
                            spacing="1",
                            align="start",
                            width="100%",
                        ),
                        value=p["code"],
                        id="package-" + p["code"],
                    ),
                ),
                value=CheckoutState.selected,
                on_value_change=CheckoutState.choose_package,
                # As the methods below: the loader sets the package over an earlier choice.
                disabled=~rx.State.is_hydrated,
                columns=rx.breakpoints(initial="2", md="3"),
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _review() -> rx.Component:
    r = CheckoutState.review
    return rx.card(
        rx.vstack(
            rx.heading(t("checkout.review"), size="4", as_="h2"),
            label_value(
                "checkout.line",
                rx.cond(
                    CheckoutState.line_number != "",
                    CheckoutState.line_number,
                    t("checkout.new_line"),
                ),
                id="review-line",
            ),
            label_value(
                "checkout.package", localized(r["package_zh"], r["package_en"]), id="review-package"
            ),
            label_value("checkout.period", t(r["period_key"]), id="review-period"),
            rx.cond(
                CheckoutState.line_number != "",
                label_value(
                    "checkout.current_expiry", r["current_expiry"], id="review-current-expiry"
                ),
            ),
            label_value("checkout.new_expiry", r["new_expiry"], id="review-new-expiry"),
            rx.cond(
                r["discount"] != "",
                # The list price struck through, so the saving is plain to see.
                label_value("promo.list_price", rx.el.s(r["price"]), id="review-price"),
                label_value("checkout.price", r["price"], id="review-price"),
            ),
            label_value(
                "checkout.promotion",
                rx.cond(
                    r["promotion_zh"] != "",
                    localized(r["promotion_zh"], r["promotion_en"]),
                    t("checkout.no_promotion"),
                ),
                id="review-promotion",
            ),
            rx.cond(
                r["why_key"] != "",
                rx.text(t(r["why_key"]), size="2", color_scheme="gray", id="review-why"),
            ),
            rx.cond(
                r["discount"] != "",
                label_value("promo.discount", r["discount"], id="review-discount"),
            ),
            _promo_code(),
            rx.divider(),
            rx.hstack(
                rx.text(t("checkout.total"), weight="bold"),
                rx.spacer(),
                rx.text(r["total"], weight="bold", size="5", id="review-total"),
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def _promo_code() -> rx.Component:
    """The promo code field; the server says whether and why a code applies."""
    return rx.vstack(
        rx.form(
            rx.hstack(
                rx.box(
                    labelled(
                        "promo.code.label",
                        rx.input(
                            id="promo-code-input",
                            name="promo_code",
                            size="3",
                            width="100%",
                            auto_complete="off",
                            max_length=40,
                        ),
                        "promo-code-input",
                    ),
                    flex="1",
                    min_width="0",
                ),
                rx.button(
                    t("promo.code.apply"),
                    type="submit",
                    size="3",
                    variant="soft",
                    disabled=~rx.State.is_hydrated,
                    id="promo-apply",
                ),
                align="end",
                spacing="2",
                width="100%",
            ),
            on_submit=CheckoutState.apply_code,
            reset_on_submit=False,
            width="100%",
        ),
        rx.cond(
            CheckoutState.promo_error != "",
            rx.callout(
                CheckoutState.promo_error,
                color_scheme="red",
                role="alert",
                width="100%",
                id="promo-error",
            ),
        ),
        rx.cond(
            CheckoutState.promo_notice != "",
            rx.hstack(
                rx.text(CheckoutState.promo_notice, size="2", role="status", id="promo-notice"),
                rx.cond(
                    CheckoutState.promo_code != "",
                    rx.button(
                        t("promo.code.remove"),
                        on_click=CheckoutState.remove_code,
                        variant="ghost",
                        size="2",
                        id="promo-remove",
                    ),
                ),
                wrap="wrap",
                align="center",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _phone_check() -> rx.Component:
    """Shown when the free month would apply once the customer verifies their number."""
    return rx.card(
        rx.vstack(
            rx.heading(t("promo.phone.title"), size="4", as_="h2"),
            rx.text(t("promo.phone.hint"), size="2"),
            rx.form(
                rx.vstack(
                    labelled(
                        "promo.phone.number",
                        rx.input(
                            id="phone-input",
                            name="phone",
                            type="tel",
                            auto_complete="tel",
                            default_value=CheckoutState.phone,
                            size="3",
                            width="100%",
                            max_length=32,
                        ),
                        "phone-input",
                    ),
                    submit_button("promo.phone.send", variant="soft", id="phone-send"),
                    spacing="2",
                    width="100%",
                ),
                on_submit=CheckoutState.send_phone_code,
                reset_on_submit=False,
                width="100%",
            ),
            rx.cond(
                CheckoutState.phone_sent,
                rx.form(
                    rx.vstack(
                        labelled(
                            "promo.phone.code",
                            rx.input(
                                id="phone-code-input",
                                name="code",
                                input_mode="numeric",
                                auto_complete="one-time-code",
                                max_length=6,
                                size="3",
                                width="100%",
                            ),
                            "phone-code-input",
                        ),
                        submit_button("promo.phone.verify", id="phone-verify"),
                        spacing="2",
                        width="100%",
                    ),
                    on_submit=CheckoutState.verify_phone,
                    reset_on_submit=True,
                    width="100%",
                ),
            ),
            messages(CheckoutState.phone_error, CheckoutState.phone_notice, id_prefix="phone"),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="phone-check",
    )


def _method_picker() -> rx.Component:
    return rx.radio_group.root(
        rx.vstack(
            *[
                rx.el.label(
                    rx.radio_group.item(value=m, id=f"method-{m}"),
                    rx.text(t(f"checkout.method.{m}")),
                    class_name="heyon-method",
                )
                for m in METHODS
            ],
            spacing="2",
            width="100%",
        ),
        value=CheckoutState.method,
        on_change=CheckoutState.choose_method,
        # Until the page's loader has run: it sets the method used last, over a choice
        # made before it.
        disabled=~rx.State.is_hydrated,
        size="3",
        width="100%",
    )


def _payment() -> rx.Component:
    free = CheckoutState.review["free"] == "1"
    return rx.card(
        rx.vstack(
            rx.heading(t("checkout.method"), size="4", as_="h2"),
            rx.cond(
                free,
                rx.text(t("promo.free_hint"), id="free-hint"),
                _method_picker(),
            ),
            # Always in the page so Stripe's element survives re-renders; hidden unless card.
            rx.box(
                rx.box(id="card-element", class_name="heyon-card-element"),
                rx.text(t("checkout.card_hint"), size="2", color_scheme="gray"),
                display=rx.cond((CheckoutState.method == "card") & ~free, "block", "none"),
                width="100%",
            ),
            rx.cond(
                (CheckoutState.method == "alipay") & ~free,
                rx.text(t("checkout.alipay_hint"), size="2", color_scheme="gray"),
            ),
            rx.cond(
                (CheckoutState.method == "wechat_pay") & ~free,
                rx.text(t("checkout.wechat_hint"), size="2", color_scheme="gray"),
            ),
            rx.cond(
                CheckoutState.qr_image != "",
                rx.vstack(
                    rx.text(t("checkout.wechat_scan"), weight="bold"),
                    rx.image(
                        src=CheckoutState.qr_image,
                        id="wechat-qr",
                        width="220px",
                        height="220px",
                        alt=t("checkout.wechat_scan"),
                    ),
                    rx.link(
                        t("checkout.wechat_scan"),
                        href=CheckoutState.qr_link,
                        id="wechat-qr-link",
                        is_external=True,
                        size="1",
                    ),
                    rx.hstack(rx.spinner(), rx.text(t("checkout.wechat_waiting"), size="2")),
                    align="center",
                    width="100%",
                ),
            ),
            rx.cond(
                CheckoutState.error != "",
                rx.callout(
                    CheckoutState.error,
                    color_scheme="red",
                    role="alert",
                    width="100%",
                    id="pay-error",
                ),
            ),
            rx.button(
                rx.cond(
                    CheckoutState.busy,
                    t("checkout.paying"),
                    rx.cond(
                        free,
                        t("promo.free_order"),
                        t("checkout.pay").replace("{amount}", CheckoutState.review["total"]),
                    ),
                ),
                on_click=CheckoutState.pay(
                    CheckoutState.selected, CheckoutState.method, CheckoutState.review["total"]
                ),
                size="3",
                width="100%",
                loading=CheckoutState.busy,
                disabled=~rx.State.is_hydrated | CheckoutState.busy,
                id="pay",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def renew_page() -> rx.Component:
    return app_page(
        rx.cond(CheckoutState.line_id == 0, "page.buy.title", "page.renew.title"),
        _test_banner(CheckoutState.test_mode),
        rx.cond(
            CheckoutState.line_id == 0,
            # A first eSIM: most mainland-China iPhones cannot take one, so ask before paying.
            rx.callout(
                rx.link(t("activation.check_device"), href=routes.DEVICE_CHECK),
                icon="smartphone",
                width="100%",
                id="renew-device-check",
            ),
        ),
        rx.box(
            _package_choice(),
            rx.vstack(
                _review(),
                rx.cond(CheckoutState.review["needs_phone"] == "1", _phone_check()),
                _payment(),
                spacing="4",
                width="100%",
            ),
            class_name="heyon-checkout",
        ),
    )


def result_page() -> rx.Component:
    return app_page(
        "page.result.title",
        rx.card(
            rx.vstack(
                rx.cond(
                    ResultState.status == "waiting",
                    rx.hstack(
                        rx.spinner(),
                        rx.text(t("result.processing"), id="result-message", role="status"),
                    ),
                    rx.callout.root(
                        # One of three icons named here: an icon named by a state var would
                        # make the build bundle Lucide's whole icon map (~290 KiB).
                        rx.callout.icon(
                            rx.match(
                                ResultState.status,
                                ("paid", rx.icon("circle-check")),
                                ("failed", rx.icon("circle-x")),
                                rx.icon("info"),
                            )
                        ),
                        rx.callout.text(
                            t(ResultState.message_key).replace("{until}", ResultState.until)
                        ),
                        id="result-message",
                        width="100%",
                        color_scheme=rx.match(
                            ResultState.status,
                            ("paid", "green"),
                            ("failed", "red"),
                            ("canceled", "gray"),
                            "amber",
                        ),
                    ),
                ),
                rx.flex(
                    rx.cond(
                        ResultState.new_line_id > 0,
                        link_button(
                            t("result.activate"),
                            routes.ACTIVATION + "?line=" + ResultState.new_line_id.to_string(),
                            id="result-activate",
                        ),
                    ),
                    rx.cond(
                        ResultState.status == "paid",
                        link_button(
                            t("result.receipt"),
                            routes.RECEIPT + "?order=" + ResultState.order_id.to_string(),
                            variant="soft",
                            id="result-receipt",
                        ),
                    ),
                    rx.cond(
                        (ResultState.status == "failed") | (ResultState.status == "canceled"),
                        link_button(
                            t("result.retry"),
                            ResultState.retry_url,
                            id="result-retry",
                        ),
                    ),
                    link_button(
                        t("result.to_orders"),
                        routes.ORDERS,
                        variant="soft",
                    ),
                    link_button(
                        t("result.to_dashboard"),
                        routes.DASHBOARD,
                        variant="outline",
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                spacing="4",
                width="100%",
            ),
            width="100%",
        ),
    )
