"""The dashboard's auto-renew switch for the line shown: save a card with a SetupIntent
(Stripe.js confirms it in the page), show its brand and last four, switch it off.

Every database and Stripe call runs in a thread (offloop), never on Reflex's event loop;
the handlers that ask Stripe are background events, which lock the tab's state only to
read and to show, never while Stripe answers (with the Redis state manager a lock held past
its expiry loses the handler's changes). The page's word that the card was saved only
makes the server ask Stripe."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import reflex as rx
from sqlmodel import Session

from heyon_app import routes
from heyon_app.models import User
from heyon_app.services import autorenew, forms, stripe_gateway
from heyon_app.services.errors import UserError
from heyon_app.state import stripe_js
from heyon_app.state.base import AppState
from heyon_app.state.checkout import ERROR_KEYS
from heyon_app.state.offloop import for_user


def _start(session: Session, user: User, *, line_id: int) -> autorenew.SetupStart:
    return autorenew.start_setup(session, user=user, line_id=line_id)


def _finish(session: Session, user: User, *, line_id: int, setup_intent_id: str):
    return autorenew.finish_setup(
        session, user=user, line_id=line_id, setup_intent_id=setup_intent_id
    )


def _off(session: Session, user: User, *, line_id: int) -> autorenew.CardOnFile:
    return autorenew.switch_off(session, user=user, line_id=line_id)


async def _ask(token: str, work) -> tuple[Any, tuple[str, dict] | None]:
    """`work(session, user)` off the event loop, touching no state: (its result, or a login
    redirect when the session is gone; the message key and params of a refusal, or None)."""
    try:
        found = await for_user(token, work)
    except UserError as exc:
        return None, (exc.key, exc.params)
    except stripe_gateway.GatewayError:
        return None, ("checkout.error.gateway", {})
    return (rx.redirect(routes.LOGIN) if found is None else found), None


class AutoRenewState(AppState):
    enabled: bool = False
    card: str = ""  # "Visa •••• 4242"
    editing: bool = False  # the card form is open
    busy: bool = False
    error: str = ""
    notice: str = ""
    _line_id: int = 0  # the line whose switch this tab shows
    _setup_intent_id: str = ""  # the SetupIntent this tab's server started

    def _show(self, found: autorenew.CardOnFile) -> None:
        self._set_changed(
            enabled=found.enabled,
            card=f"{found.brand.title()} •••• {found.last4}" if found.last4 else "",
        )

    def _fail(self, problem: tuple[str, dict] | None) -> None:
        if problem:
            key, params = problem
            self.error = self._t(key, **params)

    async def _run(self, work):
        """`work(session, user)` for this tab's user off the event loop; a UserError or an
        unreachable Stripe becomes the section's error, a lost session a login redirect."""
        found, problem = await _ask(self.auth_token, work)
        self._fail(problem)
        return found

    def _show_line(self, found: autorenew.CardOnFile | None) -> None:
        """The switch of the line the dashboard shows (None: the customer has no line), set
        by the dashboard's loader and line choice: a load of its own was a second event and
        a second session check on every dashboard load. Only what changed is sent."""
        self._set_changed(editing=False, busy=False, error="", notice="")
        self._line_id, self._setup_intent_id = (found.line_id if found else 0), ""
        if found is not None:
            self._show(found)

    @rx.event
    def open_form(self):
        self.editing, self.error, self.notice = True, "", ""
        # The page mounts the card form once Stripe.js is in (no round trip for it).
        return rx.call_script(stripe_js.init_script(self.locale, then_mount_card=True))

    @rx.event
    def close_form(self):
        if not self.busy:
            self.editing, self.error = False, ""

    @rx.event(background=True)
    async def save_card(self):
        async with self:
            # One check-and-set under the lock: a second click sees `busy` and does nothing.
            if self.busy or not self._line_id:
                return
            self.busy, self.error, self.notice = True, "", ""
            token, line_id = self.auth_token, self._line_id
        start, problem = await _ask(token, partial(_start, line_id=line_id))
        if not isinstance(start, autorenew.SetupStart):
            async with self:
                self.busy = False
                self._fail(problem)
            if start is not None:
                yield start
            return
        async with self:
            self._setup_intent_id = start.setup_intent_id
        args = json.dumps({"secret": start.client_secret})
        yield rx.call_script(
            f"window.heyonPay.saveCard({args})", callback=AutoRenewState.card_returned
        )

    @rx.event(background=True)
    async def card_returned(self, result: dict):
        """Stripe.js's answer: only a SetupIntent this tab's server started is looked at,
        and Stripe is asked whether it saved a card for this customer and line."""
        async with self:
            setup_intent_id, self._setup_intent_id = self._setup_intent_id, ""
            if not setup_intent_id:
                return None
            if forms.field(result, "status") != "done":
                self.busy = False
                key = ERROR_KEYS.get(forms.field(result, "code"))
                message = forms.field(result, "message")[:300]
                self.error = (
                    self._t(key) if key else self._t("autorenew.error.card", message=message)
                )
                return None
            token, line_id = self.auth_token, self._line_id
        found, problem = await _ask(
            token, partial(_finish, line_id=line_id, setup_intent_id=setup_intent_id)
        )
        async with self:
            self.busy = False
            if not isinstance(found, autorenew.CardOnFile):
                self._fail(problem)
                return found
            self._show(found)
            self.editing, self.notice = False, self._t("autorenew.saved")
        return None

    @rx.event(background=True)
    async def switch_off(self):
        async with self:
            if self.busy or not self._line_id:
                return None
            self.error = self.notice = ""
            token, line_id = self.auth_token, self._line_id
        found, problem = await _ask(token, partial(_off, line_id=line_id))
        async with self:
            if not isinstance(found, autorenew.CardOnFile):
                self._fail(problem)
                return found
            self._show(found)
            self.notice = self._t("autorenew.switched_off")
        return None
