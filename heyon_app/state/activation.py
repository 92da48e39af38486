"""eSIM activation page and the device compatibility check."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import reflex as rx
from sqlmodel import Session

from heyon_app import routes
from heyon_app.models import User
from heyon_app.services import activation, dashboard, devices, forms
from heyon_app.services.errors import UserError
from heyon_app.state.base import AppState


@dataclass(frozen=True)
class ActivationView:
    number: str = ""
    installed: bool = False
    error_key: str = ""
    details: activation.ActivationDetails | None = None


def activation_view(session: Session, user: User, *, wanted: str) -> ActivationView:
    """The line from ?line= (one of the customer's), else their first not yet installed."""
    lines = dashboard.user_lines(session, user_id=user.id)
    if wanted:
        line = next((ln for ln in lines if str(ln.id) == wanted), None)
    else:
        line = next((ln for ln in lines if ln.status == "not_installed"), None)
    if line is None:
        return ActivationView(error_key="activation.not_found" if wanted else "activation.none")
    if line.status != "not_installed":
        return ActivationView(number=line.number, installed=True)
    try:
        details = activation.details_for(session, user_id=user.id, line_id=line.id)
    except UserError as exc:
        return ActivationView(number=line.number, error_key=exc.key)
    return ActivationView(number=line.number, details=details)


class ActivationState(AppState):
    number: str = ""
    qr: str = ""
    smdp: str = ""
    matching_id: str = ""
    full_code: str = ""
    installed: bool = False
    error_key: str = ""

    @rx.event
    async def load(self):
        self.qr = self.smdp = self.matching_id = self.full_code = self.number = ""
        self.installed, self.error_key = False, ""
        wanted = str(self.router.url.query_parameters.get("line", ""))
        user, view = await self._as_user(partial(activation_view, wanted=wanted))
        if user is None:
            return rx.redirect(routes.LOGIN)
        self.number, self.installed, self.error_key = view.number, view.installed, view.error_key
        if view.details is not None:
            details = view.details
            self.qr, self.smdp = details.qr_svg_data_uri, details.smdp_address
            self.matching_id, self.full_code = details.matching_id, details.activation_code


class DeviceCheckState(AppState):
    results: list[dict[str, str]] = []
    searched: bool = False
    needs_part_number: bool = False

    @rx.event
    def check(self, form: dict):
        answers = devices.check(forms.field(form, "model")[:80], forms.field(form, "part")[:20])
        self.results = [
            {"label": f"{a.brand} {a.model}", "result": a.result, "region": a.region}
            for a in answers
        ]
        self.needs_part_number = any(
            a.result in ("need_part_number", "bad_part_number") for a in answers
        )
        self.searched = True
