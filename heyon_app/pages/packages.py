"""Package comparison: cards (readable on a phone), filters by kind and period."""

from __future__ import annotations

import reflex as rx

from heyon_app import routes
from heyon_app.components.layout import app_page
from heyon_app.components.text import t
from heyon_app.components.ui import fill, link_button, localized
from heyon_app.state.packages import ALL
from heyon_app.state.packages import PackagesState as S


def _filter(label_key: str, name: str, options: list[tuple[str, str]], current, on_pick):
    return rx.vstack(
        rx.text(t(label_key), size="2", weight="bold", id=f"filter-{name}-label"),
        rx.flex(
            *[
                rx.button(
                    t(key),
                    on_click=on_pick(value),
                    variant=rx.cond(current == value, "solid", "soft"),
                    aria_pressed=rx.cond(current == value, "true", "false"),
                    size="3",
                    id=f"{name}-{value}",
                )
                for value, key in options
            ],
            spacing="2",
            wrap="wrap",
            role="group",
            aria_labelledby=f"filter-{name}-label",
        ),
        spacing="1",
        width="100%",
    )


def _offer(o) -> rx.Component:
    per_period = t("pkg.period_" + o["period"])
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(localized(o["name_zh"], o["name_en"]), size="4", as_="h2"),
                rx.spacer(),
                rx.cond(
                    o["recommended"] != "",
                    rx.badge(t("pkg.recommended"), color_scheme="amber", size="2"),
                ),
                rx.cond(o["current"] != "", rx.badge(t("pkg.current"), size="2")),
                width="100%",
                align="center",
                wrap="wrap",
            ),
            rx.hstack(
                rx.badge(t("kind." + o["kind"]), variant="outline"),
                rx.badge(t("period." + o["period"]), variant="outline"),
                spacing="2",
            ),
            rx.hstack(
                rx.text(o["price"], size="6", weight="bold"),
                rx.text(per_period, color_scheme="gray"),
                align="baseline",
                spacing="1",
            ),
            rx.cond(
                o["period"] != "month",
                rx.text(fill("pkg.per_month", amount=o["per_month"]), size="2"),
            ),
            rx.cond(
                o["saving"] != "",
                rx.text(
                    fill("pkg.saving", amount=o["saving"]),
                    size="2",
                    color_scheme="green",
                    weight="bold",
                ),
            ),
            rx.el.ul(
                rx.el.li(fill("pkg.data", data=o["data"])),
                rx.el.li(fill("pkg.minutes", n=o["minutes"])),
                rx.el.li(
                    rx.cond(
                        o["regions_en"] != "",
                        fill("pkg.regions", regions=localized(o["regions_zh"], o["regions_en"])),
                        t("pkg.no_roaming"),
                    )
                ),
                class_name="heyon-list",
            ),
            rx.spacer(),
            link_button(t("pkg.choose"), o["choose_url"], width="100%"),
            spacing="2",
            height="100%",
            width="100%",
        ),
        width="100%",
        class_name="heyon-offer",
        data_code=o["code"],
        border=rx.cond(o["recommended"] != "", "2px solid var(--amber-9)", ""),
    )


def packages_page() -> rx.Component:
    return app_page(
        "page.packages.title",
        rx.cond(
            S.line_number != "",
            rx.text(fill("pkg.for_line", number=S.line_number), color_scheme="gray"),
            # Before a first purchase: make sure the phone can take an eSIM at all.
            rx.callout(
                rx.link(t("activation.check_device"), href=routes.DEVICE_CHECK),
                icon="smartphone",
                width="100%",
                id="packages-device-check",
            ),
        ),
        _filter(
            "pkg.filter_kind",
            "kind",
            [
                (ALL, "pkg.all"),
                ("voice", "kind.voice"),
                ("data", "kind.data"),
                ("roaming", "kind.roaming"),
            ],
            S.kind,
            S.set_kind,
        ),
        _filter(
            "pkg.filter_period",
            "period",
            [
                (ALL, "pkg.all"),
                ("month", "period.month"),
                ("quarter", "period.quarter"),
                ("year", "period.year"),
            ],
            S.period,
            S.set_period,
        ),
        rx.cond(
            S.offers.length() > 0,
            rx.grid(
                rx.foreach(S.offers, _offer),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="3",
                width="100%",
                id="offers",
            ),
            rx.callout(t("pkg.none"), icon="info", width="100%"),
        ),
    )
