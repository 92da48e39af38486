"""Support page: the customer's tickets and the form to open one."""

from __future__ import annotations

from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app import routes
from heyon_app.clock import local_date
from heyon_app.models import User
from heyon_app.services import forms, support
from heyon_app.services.errors import UserError
from heyon_app.state.base import AppState
from heyon_app.state.offloop import for_user


def tickets_and_orders(session: Session, user: User) -> tuple[list[dict[str, str]], list[str]]:
    tickets = [
        {
            "id": str(t.id),
            "subject": t.subject,
            "message": t.message,
            "status": t.status,
            "order": str(t.order_id or ""),
            "created": local_date(t.created_at),
            "answer": t.answer,
            "answered": local_date(t.answered_at) if t.answered_at else "",
        }
        for t in support.tickets_of(session, user_id=user.id)
    ]
    return tickets, [str(o.id) for o in support.user_orders(session, user_id=user.id)]


def _open_ticket(session: Session, user: User, *, form: dict) -> int:
    raw_order = forms.field(form, "order").strip()
    order_id = forms.row_id(raw_order)
    if raw_order and order_id is None:
        raise UserError("support.order_unknown")
    ticket = support.create_ticket(
        session,
        user_id=user.id,
        subject=forms.field(form, "subject"),
        message=forms.field(form, "message"),
        order_id=order_id,
    )
    return ticket.id


class SupportState(AppState):
    tickets: list[dict[str, str]] = []
    orders: list[str] = []
    error: str = ""
    notice: str = ""

    async def _refresh(self):
        """Show the tickets; as the page's loader, also its login guard (one lookup)."""
        user, found = await self._as_user(tickets_and_orders)
        if user is None:
            return rx.redirect(routes.LOGIN)
        self.tickets, self.orders = found
        return None

    @rx.event
    async def load(self):
        self.error = self.notice = ""
        return await self._refresh()

    @rx.event
    async def submit(self, form: dict):
        self.error = self.notice = ""
        try:
            stored = await for_user(self.auth_token, partial(_open_ticket, form=form))
        except UserError as exc:
            self.error = self._t(exc.key, **exc.params)
            return None
        if stored is None:
            return rx.redirect(routes.LOGIN)
        self.notice = self._t("support.sent")
        await self._refresh()
        return [rx.set_value("support-subject", ""), rx.set_value("support-message", "")]
