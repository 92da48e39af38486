"""Admin support tickets: filter by status, answer (the customer is mailed), close."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.admin import admin_page
from heyon_app.components.form import messages
from heyon_app.components.text import t
from heyon_app.components.ui import fill, label_value
from heyon_app.state.admin.tickets import ALL
from heyon_app.state.admin.tickets import TicketsState as S

_FILTERS = ("open", "answered", "closed", ALL)


def _filter_label(status: str) -> rx.Var:
    return t("admin.tickets.all" if status == ALL else f"support.status.{status}")


def _filters() -> rx.Component:
    return rx.flex(
        *[
            rx.button(
                _filter_label(status),
                on_click=S.show(status),
                variant=rx.cond(S.status == status, "solid", "soft"),
                aria_pressed=rx.cond(S.status == status, "true", "false"),
                size="2",
                id=f"tickets-{status}",
            )
            for status in _FILTERS
        ],
        spacing="2",
        wrap="wrap",
        role="group",
        aria_label=t("admin.tickets.filter"),
    )


def _status_badge(status: rx.Var) -> rx.Component:
    return rx.badge(
        rx.match(status, *[(s, t(f"support.status.{s}")) for s in _FILTERS[:3]], status),
        color_scheme=rx.match(status, ("open", "amber"), ("answered", "green"), "gray"),
        class_name="heyon-ticket-status",
    )


def _answer_form(ticket: rx.Var) -> rx.Component:
    answer_id = "answer-" + ticket["id"]
    return rx.form(
        rx.vstack(
            rx.el.input(type="hidden", name="id", value=ticket["id"]),
            rx.el.label(
                t("admin.tickets.answer_field"), html_for=answer_id, class_name="heyon-label"
            ),
            rx.text_area(
                id=answer_id,
                name="answer",
                rows="4",
                max_length=4000,
                required=True,
                width="100%",
                size="3",
            ),
            rx.flex(
                rx.button(
                    t("admin.tickets.answer_submit"),
                    type="submit",
                    size="3",
                    disabled=~rx.State.is_hydrated,
                    class_name="heyon-answer-submit",
                ),
                rx.button(
                    t("admin.tickets.close"),
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    size="3",
                    on_click=S.close(ticket["id"]),
                    class_name="heyon-close-ticket",
                ),
                spacing="2",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=S.answer,
        reset_on_submit=False,
        width="100%",
    )


def _ticket(ticket: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(
                    fill("admin.tickets.ticket", id=ticket["id"]), size="2", color_scheme="gray"
                ),
                rx.text(
                    ticket["created"],
                    size="2",
                    color_scheme="gray",
                    class_name="heyon-ticket-created",
                ),
                rx.spacer(),
                _status_badge(ticket["status"]),
                width="100%",
                wrap="wrap",
            ),
            rx.text(
                ticket["subject"], weight="bold", class_name="heyon-break heyon-ticket-subject"
            ),
            label_value(
                "admin.tickets.customer",
                rx.link(ticket["email"], href=ticket["url"], class_name="heyon-break"),
                size="2",
                class_name="heyon-ticket-customer",
            ),
            rx.cond(
                ticket["order"] != "",
                label_value(
                    "admin.tickets.order",
                    "#" + ticket["order"],
                    size="2",
                    class_name="heyon-ticket-order",
                ),
            ),
            rx.text(t("admin.tickets.message"), size="2", color_scheme="gray"),
            rx.text(
                ticket["message"],
                class_name="heyon-break heyon-ticket-message",
                white_space="pre-wrap",
            ),
            rx.cond(
                ticket["answer"] != "",
                rx.box(
                    rx.text(
                        fill("admin.tickets.answered_on", date=ticket["answered"]),
                        size="2",
                        color_scheme="gray",
                        class_name="heyon-ticket-answered",
                    ),
                    rx.text(
                        ticket["answer"],
                        class_name="heyon-break heyon-ticket-answer",
                        white_space="pre-wrap",
                    ),
                    width="100%",
                    border_left="3px solid var(--teal-8)",
                    padding_left="8px",
                ),
            ),
            rx.cond(ticket["status"] != "closed", _answer_form(ticket)),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="heyon-admin-ticket",
        data_ticket=ticket["id"],
    )


def tickets_page() -> rx.Component:
    return admin_page(
        "admin.tickets.title",
        messages(S.error, S.notice),
        _filters(),
        rx.cond(
            S.tickets.length() > 0,
            rx.vstack(
                rx.foreach(S.tickets, _ticket), spacing="3", width="100%", id="admin-tickets"
            ),
            rx.text(t("admin.tickets.none"), color_scheme="gray", id="admin-tickets"),
        ),
    )
