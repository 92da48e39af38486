"""Support: hotline, email, FAQ, and the customer's tickets with a form to open one."""

from __future__ import annotations

import reflex as rx

from heyon_app.components.form import field, labelled, messages, submit_button
from heyon_app.components.layout import app_page
from heyon_app.components.text import t
from heyon_app.components.ui import fill, section
from heyon_app.settings import settings
from heyon_app.state.support import SupportState as S

FAQ = ("renew", "install", "data", "roaming")


def _contact() -> rx.Component:
    phone = settings.support_phone
    return section(
        "support.contact",
        rx.hstack(
            rx.icon("phone", size=18),
            rx.text(t("support.hotline")),
            rx.link(phone, href="tel:" + phone.replace("-", ""), weight="bold", id="hotline"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(fill("support.hours", hours=settings.support_hours), size="2", color_scheme="gray"),
        rx.hstack(
            rx.icon("mail", size=18),
            rx.text(t("support.email")),
            rx.link(settings.support_email, href="mailto:" + settings.support_email),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
    )


def _faq() -> rx.Component:
    return section(
        "support.faq",
        *[
            rx.el.details(
                rx.el.summary(t(f"support.faq.{topic}.q"), class_name="heyon-summary"),
                rx.text(t(f"support.faq.{topic}.a"), padding_top="4px"),
                class_name="heyon-faq",
            )
            for topic in FAQ
        ],
    )


def _form() -> rx.Component:
    return section(
        "support.new_ticket",
        rx.form(
            rx.vstack(
                messages(S.error, S.notice),
                field("support.subject", "subject", input_id="support-subject", max_length=120),
                field(
                    "support.message",
                    "message",
                    input_id="support-message",
                    multiline=True,
                    rows="5",
                    max_length=4000,
                ),
                rx.cond(
                    S.orders.length() > 0,
                    labelled(
                        "support.order",
                        rx.el.select(
                            rx.el.option(t("support.no_order"), value=""),
                            rx.foreach(
                                S.orders,
                                lambda o: rx.el.option(fill("support.order_label", id=o), value=o),
                            ),
                            id="support-order",
                            name="order",
                            class_name="heyon-select",
                        ),
                        "support-order",
                    ),
                ),
                submit_button("support.submit", id="support-submit"),
                spacing="3",
                width="100%",
            ),
            on_submit=S.submit,
            reset_on_submit=False,
            width="100%",
        ),
    )


def _ticket(ticket) -> rx.Component:
    color = rx.match(ticket["status"], ("open", "amber"), ("answered", "green"), "gray")
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(fill("support.ticket_no", id=ticket["id"]), size="2", color_scheme="gray"),
                rx.text(ticket["created"], size="2", color_scheme="gray"),
                rx.spacer(),
                rx.badge(t("support.status." + ticket["status"]), color_scheme=color),
                width="100%",
                wrap="wrap",
            ),
            rx.text(ticket["subject"], weight="bold", class_name="heyon-break"),
            rx.text(ticket["message"], size="2", class_name="heyon-break heyon-clamp"),
            rx.cond(
                ticket["answer"] != "",
                rx.box(
                    rx.hstack(
                        rx.text(t("support.answer"), size="2", weight="bold"),
                        rx.text(ticket["answered"], size="2", color_scheme="gray"),
                        spacing="2",
                        wrap="wrap",
                    ),
                    rx.text(
                        ticket["answer"],
                        size="2",
                        white_space="pre-wrap",
                        class_name="heyon-break heyon-ticket-answer",
                    ),
                    class_name="heyon-answer",
                    border_left="3px solid var(--teal-8)",
                    padding_left="8px",
                    margin_top="4px",
                    width="100%",
                ),
            ),
            spacing="1",
            width="100%",
        ),
        width="100%",
        class_name="heyon-ticket",
    )


def _tickets() -> rx.Component:
    return section(
        "support.my_tickets",
        rx.cond(
            S.tickets.length() > 0,
            rx.vstack(rx.foreach(S.tickets, _ticket), spacing="2", width="100%", id="tickets"),
            rx.text(t("support.no_tickets"), color_scheme="gray"),
        ),
    )


def support_page() -> rx.Component:
    return app_page(
        "page.support.title",
        rx.grid(
            rx.vstack(_contact(), _faq(), spacing="4", width="100%"),
            rx.vstack(_form(), _tickets(), spacing="4", width="100%"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )
