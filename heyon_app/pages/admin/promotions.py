"""Admin promotions: a switch per promotion (the headline), the form, redemptions."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.admin import admin_page, on_off_switch
from heyon_app.components.form import field, labelled, messages, submit_button
from heyon_app.components.text import t
from heyon_app.components.ui import label_value, localized, section
from heyon_app.services.admin_catalog import KINDS
from heyon_app.state.admin.promotions import PREVIEW_CUSTOMERS
from heyon_app.state.admin.promotions import PromotionsState as S


def _switch(row) -> rx.Component:
    return on_off_switch(
        on=row["active"] == "1",
        on_change=lambda value: S.switch(row["id"], value),
        id="promo-switch-" + row["code"],
        on_key="admin.promotions.on",
        off_key="admin.promotions.off",
    )


def _optional(label_key: str, value) -> rx.Component:
    return rx.cond(value != "", label_value(label_key, value, size="2"))


def _promotion(row) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.text(
                        localized(row["name_zh"], row["name_en"]),
                        weight="bold",
                        class_name="heyon-break",
                    ),
                    rx.hstack(
                        rx.badge(row["code"], variant="surface", class_name="heyon-break"),
                        rx.badge(t("admin.promotions.kind." + row["kind"])),
                        spacing="2",
                        wrap="wrap",
                    ),
                    spacing="1",
                    min_width="0",
                ),
                rx.spacer(),
                _switch(row),
                width="100%",
                align="start",
                wrap="wrap",
            ),
            label_value("admin.promotions.discount", row["discount"], size="2"),
            _optional("admin.promotions.starts", row["starts"]),
            _optional("admin.promotions.ends", row["ends"]),
            _optional("admin.promotions.max_redemptions", row["max_redemptions"]),
            _optional("admin.promotions.per_customer_limit", row["per_customer_limit"]),
            _optional("admin.promotions.package_codes", row["packages"]),
            _optional(
                "admin.promotions.periods_listed", localized(row["periods_zh"], row["periods_en"])
            ),
            label_value("admin.promotions.redeemed", row["redeemed"], size="2"),
            label_value("admin.promotions.given_away", row["given_away"], size="2"),
            rx.button(
                rx.icon("pencil", size=16),
                t("admin.promotions.edit"),
                on_click=S.start_edit(row["id"]),
                # The page's loader closes the form: an edit opened before it would vanish.
                disabled=~rx.State.is_hydrated,
                variant="soft",
                size="3",
                id="promo-edit-" + row["code"],
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="promo-" + row["code"],
    )


def _kind_select() -> rx.Component:
    return labelled(
        "admin.promotions.kind",
        rx.el.select(
            *[rx.el.option(t(f"admin.promotions.kind.{kind}"), value=kind) for kind in KINDS],
            name="kind",
            id="promo-kind",
            default_value=S.form["kind"],
            class_name="heyon-select",
        ),
        "promo-kind",
    )


def _input(label_key: str, name: str, **props) -> rx.Component:
    return field(
        label_key,
        name,
        input_id="promo-" + name.replace("_", "-"),
        required=False,
        default_value=S.form[name],
        **props,
    )


def _form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(
                    rx.cond(
                        S.form["id"] == "",
                        t("admin.promotions.new"),
                        t("admin.promotions.edit_title"),
                    ),
                    size="4",
                    as_="h2",
                ),
                rx.el.input(type="hidden", name="id", value=S.form["id"]),
                rx.grid(
                    _kind_select(),
                    _input("admin.promotions.code", "code", max_length=40),
                    _input("admin.promotions.name_zh", "name_zh", max_length=80),
                    _input("admin.promotions.name_en", "name_en", max_length=80),
                    _input("admin.promotions.percent_off", "percent_off", input_mode="numeric"),
                    _input("admin.promotions.amount_off", "amount_off", input_mode="decimal"),
                    _input("admin.promotions.starts", "starts_at", type="datetime-local"),
                    _input("admin.promotions.ends", "ends_at", type="datetime-local"),
                    _input(
                        "admin.promotions.max_redemptions", "max_redemptions", input_mode="numeric"
                    ),
                    _input(
                        "admin.promotions.per_customer_limit",
                        "per_customer_limit",
                        input_mode="numeric",
                    ),
                    _input("admin.promotions.package_codes", "package_codes"),
                    _input("admin.promotions.periods", "periods"),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.text(t("admin.promotions.form_hint"), size="2", color_scheme="gray"),
                messages(S.error, S.notice),
                rx.hstack(
                    submit_button("common.save", id="promo-save"),
                    rx.button(
                        t("admin.promotions.cancel"),
                        type="button",
                        on_click=S.close_form,
                        variant="soft",
                        color_scheme="gray",
                        size="3",
                    ),
                    spacing="3",
                    wrap="wrap",
                ),
                spacing="3",
                width="100%",
            ),
            key=S.form_key,
            on_submit=S.save,
            reset_on_submit=False,
            width="100%",
        ),
        width="100%",
        id="promo-form",
    )


def _preview_row(row) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(
                    localized(row["name_zh"], row["name_en"]),
                    weight="bold",
                    class_name="heyon-break",
                ),
                rx.badge(row["code"], variant="surface", class_name="heyon-break"),
                rx.cond(
                    row["active"] == "1",
                    rx.badge(t("admin.promotions.on"), color_scheme="green"),
                    rx.badge(t("admin.promotions.off"), color_scheme="gray"),
                ),
                rx.cond(
                    row["wins"] == "1",
                    rx.badge(t("admin.promotions.wins"), color_scheme="blue"),
                ),
                spacing="2",
                wrap="wrap",
                align="center",
                width="100%",
            ),
            rx.text(
                rx.cond(
                    row["applies"] == "1",
                    t("admin.promotions.applies"),
                    t("admin.promotions.not_applies"),
                ),
                "：",
                t(row["reason_key"]),
                size="2",
                color_scheme=rx.cond(row["applies"] == "1", "green", "gray"),
                class_name="heyon-break",
            ),
            label_value("admin.promotions.list_price", row["list_price"], size="2"),
            rx.cond(
                row["discount"] != "",
                label_value("admin.promotions.discount", row["discount"], size="2"),
            ),
            label_value("admin.promotions.total", row["total"], size="2", weight="bold"),
            spacing="1",
            width="100%",
        ),
        width="100%",
        id="preview-" + row["code"],
    )


def _preview() -> rx.Component:
    return section(
        "admin.promotions.preview",
        rx.text(t("admin.promotions.preview_hint"), size="2", color_scheme="gray"),
        rx.form(
            rx.vstack(
                rx.grid(
                    labelled(
                        "admin.promotions.preview_package",
                        rx.el.select(
                            rx.foreach(
                                S.preview_packages,
                                lambda p: rx.el.option(
                                    localized(p["name_zh"], p["name_en"]), value=p["code"]
                                ),
                            ),
                            name="package",
                            id="preview-package",
                            class_name="heyon-select",
                        ),
                        "preview-package",
                    ),
                    labelled(
                        "admin.promotions.preview_customer",
                        rx.el.select(
                            *[
                                rx.el.option(t(f"admin.promotions.customer.{kind}"), value=kind)
                                for kind in PREVIEW_CUSTOMERS
                            ],
                            name="customer",
                            id="preview-customer",
                            class_name="heyon-select",
                        ),
                        "preview-customer",
                    ),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                submit_button("admin.promotions.preview_run", id="preview-run"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.preview,
            reset_on_submit=False,
            width="100%",
        ),
        rx.grid(
            rx.foreach(S.preview_rows, _preview_row),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
            id="preview",
        ),
    )


def promotions_page() -> rx.Component:
    return admin_page(
        "page.admin.promotions.title",
        rx.hstack(
            rx.text(t("admin.promotions.intro"), color_scheme="gray", size="2"),
            rx.spacer(),
            rx.button(
                rx.icon("plus", size=16),
                t("admin.promotions.new"),
                on_click=S.start_new,
                size="3",
                id="promo-new",
                disabled=~rx.State.is_hydrated,
            ),
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(S.form_open, _form(), messages(S.error, S.notice)),
        section(
            "admin.promotions.list",
            rx.grid(
                rx.foreach(S.promotions, _promotion),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="3",
                width="100%",
                id="promotions",
            ),
        ),
        _preview(),
    )
