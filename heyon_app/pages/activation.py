"""eSIM installation (QR code and manual entry) and the device compatibility check."""

from __future__ import annotations

import reflex as rx

from heyon_app import routes
from heyon_app.components.form import field, submit_button
from heyon_app.components.layout import app_page
from heyon_app.components.text import t
from heyon_app.components.ui import fill, link_button, section
from heyon_app.state.activation import ActivationState as A
from heyon_app.state.activation import DeviceCheckState as D


def _steps(title_key: str, prefix: str) -> rx.Component:
    return section(
        title_key,
        rx.el.ol(*[rx.el.li(t(f"{prefix}.{n}")) for n in range(1, 5)], class_name="heyon-list"),
    )


def _copyable(label_key: str, value: rx.Var, id_: str) -> rx.Component:
    return rx.vstack(
        rx.text(t(label_key), size="2", color_scheme="gray"),
        rx.code(value, id=id_, size="3", class_name="heyon-break"),
        spacing="1",
        width="100%",
    )


def activation_page() -> rx.Component:
    return app_page(
        "page.activation.title",
        rx.cond(
            A.error_key != "",
            rx.callout(t(A.error_key), icon="info", width="100%"),
        ),
        rx.cond(
            A.installed,
            rx.callout(t("activation.installed"), icon="circle-check", width="100%"),
        ),
        rx.cond(
            A.qr != "",
            rx.vstack(
                rx.card(
                    rx.vstack(
                        rx.text(fill("dash.line", number=A.number), weight="bold"),
                        rx.text(t("activation.scan")),
                        rx.image(
                            src=A.qr,
                            alt=t("activation.qr_alt"),
                            id="activation-qr",
                            width="240px",
                            max_width="100%",
                            height="auto",
                        ),
                        align="center",
                        spacing="3",
                        width="100%",
                    ),
                    width="100%",
                ),
                section(
                    "activation.manual",
                    _copyable("activation.smdp", A.smdp, "smdp-address"),
                    _copyable("activation.code", A.matching_id, "matching-id"),
                    _copyable("activation.full_code", A.full_code, "full-code"),
                ),
                rx.grid(
                    _steps("activation.iphone", "activation.iphone"),
                    _steps("activation.android", "activation.android"),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.link(t("activation.check_device"), href=routes.DEVICE_CHECK, padding_y="8px"),
                spacing="4",
                width="100%",
            ),
        ),
    )


def _verdict(r) -> rx.Component:
    color = rx.match(r["result"], ("yes", "green"), ("no", "red"), "amber")
    return rx.card(
        rx.hstack(
            rx.text(r["label"], weight="bold"),
            rx.spacer(),
            rx.badge(t("device." + r["result"]), color_scheme=color, size="2"),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            r["region"] != "",
            rx.text(fill("device.region", region=r["region"]), size="2", color_scheme="gray"),
        ),
        width="100%",
        class_name="heyon-device",
    )


def device_check_page() -> rx.Component:
    return app_page(
        "page.device_check.title",
        rx.form(
            rx.vstack(
                field(
                    "device.query",
                    "model",
                    input_id="device-model",
                    placeholder=t("device.query_hint"),
                ),
                field(
                    "device.part_number",
                    "part",
                    input_id="device-part",
                    required=False,
                    placeholder="MTP03CH/A",
                ),
                submit_button("device.submit", id="device-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=D.check,
            reset_on_submit=False,
            width="100%",
            max_width="520px",
        ),
        rx.cond(
            D.searched,
            rx.vstack(
                rx.cond(
                    D.results.length() > 0,
                    rx.vstack(rx.foreach(D.results, _verdict), spacing="2", width="100%"),
                    rx.callout(t("device.none"), icon="info", width="100%", id="device-none"),
                ),
                rx.cond(
                    D.needs_part_number,
                    rx.callout(
                        t("device.why_part_number"), icon="info", width="100%", id="device-why"
                    ),
                ),
                rx.cond(
                    D.results.length() > 0,
                    rx.cond(
                        D.results[0]["result"] == "yes",
                        link_button(t("device.buy"), routes.PACKAGES, id="device-buy"),
                    ),
                ),
                spacing="3",
                width="100%",
                id="device-results",
            ),
        ),
    )
