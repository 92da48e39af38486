"""Support tickets a customer files and follows; admins answer them elsewhere."""

from __future__ import annotations

from sqlmodel import Session, select

from heyon_app.models import AuditLog, Order, SupportTicket
from heyon_app.services.errors import UserError

SUBJECT_MAX = 120
MESSAGE_MAX = 4000


def create_ticket(
    session: Session, *, user_id: int, subject: str, message: str, order_id: int | None = None
) -> SupportTicket:
    subject, message = subject.strip(), message.strip()
    if not subject:
        raise UserError("support.subject_missing")
    if len(subject) > SUBJECT_MAX:
        raise UserError("support.subject_too_long", max=SUBJECT_MAX)
    if len(message) < 10:
        raise UserError("support.message_too_short")
    if len(message) > MESSAGE_MAX:
        raise UserError("support.message_too_long", max=MESSAGE_MAX)
    if order_id is not None:
        order = session.get(Order, order_id)
        # Someone else's order number is treated like an unknown one.
        if order is None or order.user_id != user_id:
            raise UserError("support.order_unknown")
    ticket = SupportTicket(user_id=user_id, subject=subject, message=message, order_id=order_id)
    session.add(ticket)
    session.flush()
    session.add(AuditLog(actor_user_id=user_id, action="support.ticket", detail=str(ticket.id)))
    return ticket


def tickets_of(session: Session, *, user_id: int) -> list[SupportTicket]:
    return list(
        session.exec(
            select(SupportTicket)
            .where(SupportTicket.user_id == user_id)
            .order_by(SupportTicket.created_at.desc(), SupportTicket.id.desc())
        )
    )


def user_orders(session: Session, *, user_id: int) -> list[Order]:
    """The customer's orders, newest first, to pick one a ticket is about."""
    return list(
        session.exec(
            select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc())
        )
    )
