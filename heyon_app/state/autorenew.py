"""The dashboard's auto-renew switch for the line shown: save a card with a SetupIntent
(Stripe.js confirms it in the page), show its brand and last four, switch it off.

Every database and Stripe call runs in a thread (offloop), never on Reflex's event loop;
the page's word that the card was saved only makes the server ask Stripe."""

from __future__ import annotations

import json
from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app import routes
from heyon_app.models import User
from heyon_app.services import autorenew, forms, stripe_gateway
from heyon_app.services.errors import UserError
from heyon_app.state import stripe_js
from heyon_app.state.base import AppState
from heyon_app.state.checkout import ERROR_KEYS
from heyon_app.state.dashboard import DashboardState
from heyon_app.state.offloop import for_user


def _card(session: Session, user: User, *, line_id: int) -> autorenew.CardOnFile:
    return autorenew.card_on_file(session, user=user, line_id=line_id)


def _start(session: Session, user: User, *, line_id: int) -> autorenew.SetupStart:
    return autorenew.start_setup(session, user=user, line_id=line_id)


def _finish(session: Session, user: User, *, line_id: int, setup_intent_id: str):
    return autorenew.finish_setup(
        session, user=user, line_id=line_id, setup_intent_id=setup_intent_id
    )


def _off(session: Session, user: User, *, line_id: int) -> autorenew.CardOnFile:
    return autorenew.switch_off(session, user=user, line_id=line_id)


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

    async def _run(self, work):
        """`work(session, user)` for this tab's user off the event loop; a UserError or an
        unreachable Stripe becomes the section's error, a lost session a login redirect."""
        try:
            found = await for_user(self.auth_token, work)
        except UserError as exc:
            self.error = self._t(exc.key, **exc.params)
            return None
        except stripe_gateway.GatewayError:
            self.error = self._t("checkout.error.gateway")
            return None
        if found is None:
            return rx.redirect(routes.LOGIN)
        return found

    @rx.event
    async def load(self):
        """After the dashboard's loader, and when the customer picks another line."""
        dashboard = await self.get_state(DashboardState)
        raw = dashboard.selected_line
        # Runs on every dashboard load: only what changed goes to the browser.
        self._set_changed(editing=False, busy=False, error="", notice="")
        self._line_id, self._setup_intent_id = forms.row_id(raw) or 0, ""
        if not self._line_id:
            return None
        found = await self._run(partial(_card, line_id=self._line_id))
        if isinstance(found, autorenew.CardOnFile):
            self._show(found)
            return None
        return found

    @rx.event
    def open_form(self):
        self.editing, self.error, self.notice = True, "", ""
        return rx.call_script(stripe_js.init_script(self.locale), callback=AutoRenewState.mount)

    @rx.event
    def mount(self, _loaded: bool):
        if self.editing:
            return rx.call_script("window.heyonPay && window.heyonPay.mountCard()")
        return None

    @rx.event
    def close_form(self):
        if not self.busy:
            self.editing, self.error = False, ""

    @rx.event
    async def save_card(self):
        # Events of one tab run one after another: a second click waits, then sees `busy`.
        if self.busy or not self._line_id:
            return
        self.busy, self.error, self.notice = True, "", ""
        yield
        start = await self._run(partial(_start, line_id=self._line_id))
        if not isinstance(start, autorenew.SetupStart):
            self.busy = False
            yield start
            return
        self._setup_intent_id = start.setup_intent_id
        args = json.dumps({"secret": start.client_secret})
        yield rx.call_script(
            f"window.heyonPay.saveCard({args})", callback=AutoRenewState.card_returned
        )

    @rx.event
    async def card_returned(self, result: dict):
        """Stripe.js's answer: only a SetupIntent this tab's server started is looked at,
        and Stripe is asked whether it saved a card for this customer and line."""
        setup_intent_id, self._setup_intent_id = self._setup_intent_id, ""
        if not setup_intent_id:
            return None
        if forms.field(result, "status") != "done":
            self.busy = False
            key = ERROR_KEYS.get(forms.field(result, "code"))
            message = forms.field(result, "message")[:300]
            self.error = self._t(key) if key else self._t("autorenew.error.card", message=message)
            return None
        found = await self._run(
            partial(_finish, line_id=self._line_id, setup_intent_id=setup_intent_id)
        )
        self.busy = False
        if not isinstance(found, autorenew.CardOnFile):
            return found
        self._show(found)
        self.editing, self.notice = False, self._t("autorenew.saved")
        return None

    @rx.event
    async def switch_off(self):
        if self.busy or not self._line_id:
            return None
        self.error = self.notice = ""
        found = await self._run(partial(_off, line_id=self._line_id))
        if not isinstance(found, autorenew.CardOnFile):
            return found
        self._show(found)
        self.notice = self._t("autorenew.switched_off")
        return None
