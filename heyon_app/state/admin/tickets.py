"""Admin support tickets: the queue by status, answering (the customer is mailed) and closing."""

from __future__ import annotations

import asyncio
from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app import clock
from heyon_app.db import session_scope
from heyon_app.models import User
from heyon_app.services import admin_tickets, forms, fulfilment
from heyon_app.services.errors import UserError
from heyon_app.state.admin.base import AdminState
from heyon_app.state.admin.overview import customer_url

ALL = "all"


def _ticket_id(raw: object) -> int:
    ticket_id = forms.row_id(raw)
    if ticket_id is None:
        raise UserError("admin.tickets.unknown")
    return ticket_id


def tickets_view(session: Session, _admin: User, *, status: str) -> list[dict[str, str]]:
    return [
        {
            "id": str(ticket.id),
            "email": user.email,
            "url": customer_url(user.id),
            "subject": ticket.subject,
            "message": ticket.message,
            "order": str(ticket.order_id or ""),
            "status": ticket.status,
            "created": clock.local_date(ticket.created_at),
            "answer": ticket.answer,
            "answered": clock.local_date(ticket.answered_at) if ticket.answered_at else "",
        }
        for ticket, user in admin_tickets.list_tickets(
            session, status="" if status == ALL else status
        )
    ]


def _answer(session: Session, admin: User, *, form: dict) -> int:
    return admin_tickets.answer_ticket(
        session,
        actor=admin,
        ticket_id=_ticket_id(forms.field(form, "id")),
        answer=forms.field(form, "answer"),
    )


def _close(session: Session, admin: User, *, ticket_id: str) -> int:
    return admin_tickets.close_ticket(session, actor=admin, ticket_id=_ticket_id(ticket_id)).id


def _send_after_commit(ids: list[int]) -> None:
    with session_scope() as session:
        fulfilment.send_queued(session, ids)


class TicketsState(AdminState):
    status: str = "open"
    tickets: list[dict[str, str]] = []

    async def _reload(self) -> None:
        notice = self.notice
        found = await self._as_admin(partial(tickets_view, status=self.status))
        if found is not None:
            self.tickets, self.notice = found, notice

    @rx.event
    async def load(self):
        await self._reload()

    @rx.event
    async def show(self, status: str):
        """Switch the list to one status (or all)."""
        status = forms.text(status)
        if status != ALL and status not in admin_tickets.STATUSES:
            status = "open"
        self.status = status
        await self._reload()

    @rx.event(background=True)
    async def answer(self, form: dict):
        # Background: the mail server may take its whole timeout; the tab is locked only to
        # read the token and show the list, not while the mail goes out.
        mail_id = await self._as_admin_unlocked(
            partial(_answer, form=form), done="admin.tickets.answered"
        )
        if mail_id is None:
            return
        async with self:
            await self._reload()
        # Committed: now the mail, in a worker thread so a slow mail server blocks nobody.
        await asyncio.to_thread(_send_after_commit, [mail_id])

    @rx.event
    async def close(self, ticket_id: str):
        if await self._as_admin(
            partial(_close, ticket_id=ticket_id), done="admin.tickets.closed_ok"
        ):
            await self._reload()
