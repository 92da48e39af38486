"""Admin audit log: who did what, when, and what it changed. Read-only."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.admin import admin_page
from heyon_app.components.form import field, labelled, messages, submit_button
from heyon_app.components.text import t
from heyon_app.components.ui import fill, localized, section, typed
from heyon_app.state.admin.audit import AuditState as S


def _filter(name: str, label_key: str, **props) -> rx.Component:
    return field(
        label_key, name, input_id="audit-" + name.replace("_", "-"), required=False, **props
    )


def _filters() -> rx.Component:
    return section(
        "admin.audit.filter",
        rx.form(
            rx.vstack(
                rx.grid(
                    labelled(
                        "admin.audit.action",
                        rx.el.select(
                            rx.el.option(t("admin.audit.any_action"), value=""),
                            rx.foreach(
                                S.actions,
                                lambda a: rx.el.option(
                                    localized(a["zh"], a["en"]), value=a["code"]
                                ),
                            ),
                            name="action",
                            id="audit-action",
                            class_name="heyon-select",
                        ),
                        "audit-action",
                    ),
                    _filter("target", "admin.audit.target", placeholder="promotion:1"),
                    _filter("admin", "admin.audit.admin", type="search"),
                    _filter("day_from", "admin.audit.day_from", type="date"),
                    _filter("day_to", "admin.audit.day_to", type="date"),
                    columns=rx.breakpoints(initial="1", sm="2", md="3"),
                    spacing="3",
                    width="100%",
                ),
                submit_button("admin.audit.apply", id="audit-apply"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.apply_filter,
            reset_on_submit=False,
            width="100%",
        ),
    )


def _change(change) -> rx.Component:
    """ "field: before → after" on one line, each value isolated (it may be typed text)."""
    return rx.el.div(change.field, ": ", typed(change.before), " → ", typed(change.after))


def _entry(entry) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(
                    localized(entry.action_zh, entry.action_en),
                    title=entry.action,
                    class_name="heyon-break",
                ),
                rx.text(entry.target, size="2", weight="bold", class_name="heyon-break"),
                rx.spacer(),
                rx.text(entry.at, size="2", color_scheme="gray"),
                width="100%",
                wrap="wrap",
                align="center",
            ),
            rx.text(
                rx.cond(entry.admin != "", entry.admin, t("admin.audit.system")),
                size="2",
                class_name="heyon-break",
            ),
            rx.cond(
                entry.detail != "",
                rx.text(entry.detail, size="2", color_scheme="gray", class_name="heyon-break"),
            ),
            rx.cond(
                entry.changes.length() > 0,
                rx.el.div(rx.foreach(entry.changes, _change), class_name="heyon-audit-changes"),
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="heyon-audit-entry",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.button(
            rx.icon("chevron-left", size=16),
            t("admin.audit.newer"),
            on_click=S.go_to_page(S.page - 1),
            # The page's loader goes back to page 1 of no filter over an earlier turn.
            disabled=(S.page <= 1) | ~rx.State.is_hydrated,
            variant="soft",
            size="3",
            id="audit-newer",
        ),
        rx.text(fill("admin.audit.page_of", page=S.page.to_string(), pages=S.pages.to_string())),
        rx.button(
            t("admin.audit.older"),
            rx.icon("chevron-right", size=16),
            on_click=S.go_to_page(S.page + 1),
            disabled=(S.page >= S.pages) | ~rx.State.is_hydrated,
            variant="soft",
            size="3",
            id="audit-older",
        ),
        align="center",
        justify="center",
        spacing="3",
        width="100%",
        wrap="wrap",
    )


def audit_page() -> rx.Component:
    return admin_page(
        "page.admin.audit.title",
        messages(S.error, S.notice),
        _filters(),
        section(
            "admin.audit.entries",
            rx.text(fill("admin.audit.total", total=S.total.to_string()), size="2"),
            rx.cond(
                S.entries.length() > 0,
                rx.vstack(rx.foreach(S.entries, _entry), spacing="2", width="100%", id="audit"),
                rx.text(t("admin.audit.none"), color_scheme="gray"),
            ),
            _pager(),
        ),
    )
