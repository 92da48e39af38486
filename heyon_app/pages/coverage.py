"""Where roaming works: search a country or region in Chinese or English."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.form import field, submit_button
from heyon_app.components.layout import app_page
from heyon_app.components.text import t
from heyon_app.components.ui import localized
from heyon_app.state.coverage import CoverageState as C


def _result(r) -> rx.Component:
    color = rx.match(r["status"], ("not_covered", "red"), "green")
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(localized(r["name_zh"], r["name_en"]), weight="bold", size="4"),
                rx.badge(r["iso"], variant="outline"),
                align="center",
                spacing="2",
            ),
            rx.text(t("coverage." + r["status"]), color_scheme=color),
            rx.cond(
                r["packages_en"] != "",
                rx.text(localized(r["packages_zh"], r["packages_en"]), weight="medium"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="heyon-region",
    )


def coverage_page() -> rx.Component:
    return app_page(
        "page.coverage.title",
        rx.form(
            rx.vstack(
                field(
                    "coverage.query",
                    "query",
                    input_id="coverage-query",
                    placeholder=t("coverage.query_hint"),
                ),
                submit_button("coverage.submit", id="coverage-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=C.search,
            reset_on_submit=False,
            width="100%",
            max_width="520px",
        ),
        rx.cond(
            C.searched,
            rx.cond(
                C.results.length() > 0,
                rx.vstack(rx.foreach(C.results, _result), spacing="2", width="100%"),
                rx.callout(t("coverage.none"), icon="info", width="100%", id="coverage-none"),
            ),
        ),
    )
