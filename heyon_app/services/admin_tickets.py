"""Support tickets from the admin's side: the queue, an answer the customer is mailed, close."""

from __future__ import annotations

from sqlmodel import Session, col, select

from heyon_app import clock
from heyon_app.i18n import isolated, translate
from heyon_app.models import SupportTicket, User
from heyon_app.services import audit, notifications
from heyon_app.services.errors import UserError
from heyon_app.settings import settings

STATUSES = ("open", "answered", "closed")
ANSWER_MIN, ANSWER_MAX = 2, 4000
LIST_LIMIT = 200


def list_tickets(session: Session, *, status: str = "") -> list[tuple[SupportTicket, User]]:
    """Tickets with their customer, oldest waiting first; `status` "" means every status."""
    if status and status not in STATUSES:
        raise UserError("admin.tickets.bad_status")
    query = select(SupportTicket, User).join(User, col(User.id) == SupportTicket.user_id)
    if status:
        query = query.where(SupportTicket.status == status)
    query = query.order_by(col(SupportTicket.created_at), col(SupportTicket.id)).limit(LIST_LIMIT)
    return list(session.exec(query))


def _ticket(session: Session, ticket_id: int) -> SupportTicket:
    ticket = session.exec(
        select(SupportTicket)
        .where(SupportTicket.id == ticket_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if ticket is None:
        raise UserError("admin.tickets.unknown")
    return ticket


def answer_ticket(session: Session, *, actor: User, ticket_id: int, answer: str) -> int:
    """Store the answer the customer sees on the support page and queue a mail in their
    language; the id of that mail, which the caller sends after commit."""
    answer = answer.strip()
    if len(answer) < ANSWER_MIN:
        raise UserError("admin.tickets.answer_missing")
    if len(answer) > ANSWER_MAX:
        raise UserError("admin.tickets.answer_too_long", max=ANSWER_MAX)
    ticket = _ticket(session, ticket_id)
    if ticket.status == "closed":
        raise UserError("admin.tickets.closed")
    audit.change(
        session,
        actor=actor,
        obj=ticket,
        values={
            "answer": answer,
            "status": "answered",
            "answered_at": clock.now(),
            "answered_by_user_id": actor.id,
        },
        action="ticket.answer",
        target=f"ticket:{ticket.id}",
    )
    customer = session.get(User, ticket.user_id)
    assert customer is not None
    params = dict(
        id=ticket.id,
        subject=isolated(ticket.subject),
        answer=isolated(answer),
        link=f"{settings.public_url}/support",
    )
    mail = notifications.email(
        session,
        user_id=customer.id,
        recipient=customer.email,
        subject=translate("admin.tickets.mail.subject", customer.locale, **params),
        body=translate("admin.tickets.mail.body", customer.locale, **params),
    )
    return mail.id


def close_ticket(session: Session, *, actor: User, ticket_id: int) -> SupportTicket:
    ticket = _ticket(session, ticket_id)
    if ticket.status == "closed":
        raise UserError("admin.tickets.closed")
    audit.change(
        session,
        actor=actor,
        obj=ticket,
        values={"status": "closed"},
        action="ticket.close",
        target=f"ticket:{ticket.id}",
    )
    return ticket
