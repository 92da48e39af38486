"""Support page: the customer's tickets and the form to open one."""

from __future__ import annotations

import reflex as rx

from heyon_app import routes
from heyon_app.clock import local_date
from heyon_app.db import session_scope
from heyon_app.services import support
from heyon_app.services.errors import UserError
from heyon_app.state.base import AppState


class SupportState(AppState):
    tickets: list[dict[str, str]] = []
    orders: list[str] = []
    error: str = ""
    notice: str = ""

    @rx.event
    def load(self):
        self.error = self.notice = ""
        self._refresh()

    def _refresh(self) -> None:
        with session_scope() as session:
            user = self._current_user(session)
            if user is None:
                return
            self.tickets = [
                {
                    "id": str(t.id),
                    "subject": t.subject,
                    "message": t.message,
                    "status": t.status,
                    "order": str(t.order_id or ""),
                    "created": local_date(t.created_at),
                }
                for t in support.tickets_of(session, user_id=user.id)
            ]
            self.orders = [str(o.id) for o in support.user_orders(session, user_id=user.id)]

    @rx.event
    def submit(self, form: dict):
        self.error = self.notice = ""
        raw_order = str(form.get("order", "") or "").strip()
        try:
            with session_scope() as session:
                user = self._current_user(session)
                if user is None:
                    return rx.redirect(routes.LOGIN)
                support.create_ticket(
                    session,
                    user_id=user.id,
                    subject=str(form.get("subject", "")),
                    message=str(form.get("message", "")),
                    order_id=int(raw_order) if raw_order.isdigit() else None,
                )
        except UserError as exc:
            self.error = self._t(exc.key, **exc.params)
            return None
        self.notice = self._t("support.sent")
        self._refresh()
        return [rx.set_value("support-subject", ""), rx.set_value("support-message", "")]
