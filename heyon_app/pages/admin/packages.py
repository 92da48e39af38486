"""Admin packages: one card per package with its form and its on/off switch."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.admin import admin_page, on_off_switch
from heyon_app.components.form import labelled, messages, submit_button
from heyon_app.components.text import t
from heyon_app.components.ui import localized
from heyon_app.state.admin.packages import PackagesAdminState as S


def _switch(row) -> rx.Component:
    return on_off_switch(
        on=row["active"] == "1",
        on_change=lambda value: S.switch(row["id"], value),
        id="package-switch-" + row["code"],
        on_key="admin.packages.on_sale",
        off_key="admin.packages.off_sale",
    )


def _input(row, label_key: str, name: str, **props) -> rx.Component:
    # Ids built from the row in the browser (components.form.field wants a Python string).
    input_id = "package-" + row["code"] + "-" + name.replace("_", "-")
    control = rx.input(
        id=input_id, name=name, default_value=row[name], size="3", width="100%", **props
    )
    return labelled(label_key, control, input_id)


def _package(row) -> rx.Component:
    return rx.card(
        rx.form(
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
                            rx.badge(t("admin.packages.period." + row["period"])),
                            rx.text(row["price_text"], size="2"),
                            spacing="2",
                            wrap="wrap",
                            align="center",
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
                rx.el.input(type="hidden", name="id", value=row["id"]),
                rx.grid(
                    _input(row, "admin.packages.price", "price", input_mode="decimal"),
                    _input(row, "admin.packages.name_zh", "name_zh", max_length=80),
                    _input(row, "admin.packages.name_en", "name_en", max_length=80),
                    _input(row, "admin.packages.data_mb", "data_mb", input_mode="numeric"),
                    _input(row, "admin.packages.minutes", "minutes", input_mode="numeric"),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.cond(S.last_id == row["id"], messages(S.error, S.notice)),
                submit_button("common.save", id="package-save-" + row["code"]),
                spacing="3",
                width="100%",
            ),
            on_submit=S.save,
            reset_on_submit=False,
            width="100%",
        ),
        width="100%",
        id="package-" + row["code"],
    )


def packages_page() -> rx.Component:
    return admin_page(
        "page.admin.packages.title",
        rx.text(t("admin.packages.intro"), color_scheme="gray", size="2"),
        rx.cond(S.last_id == "", messages(S.error, S.notice)),
        rx.box(
            rx.grid(
                rx.foreach(S.packages, _package),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="3",
                width="100%",
                id="packages",
            ),
            key=S.form_key,
            width="100%",
        ),
    )
