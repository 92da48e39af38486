"""eSIM activation page and the device compatibility check."""

from __future__ import annotations

import reflex as rx

from heyon_app.db import session_scope
from heyon_app.services import activation, dashboard, devices
from heyon_app.services.errors import UserError
from heyon_app.state.base import AppState


class ActivationState(AppState):
    number: str = ""
    qr: str = ""
    smdp: str = ""
    matching_id: str = ""
    full_code: str = ""
    installed: bool = False
    error_key: str = ""

    @rx.event
    def load(self):
        self.qr = self.smdp = self.matching_id = self.full_code = self.number = ""
        self.installed, self.error_key = False, ""
        with session_scope() as session:
            user = self._current_user(session)
            if user is None:
                return
            lines = dashboard.user_lines(session, user_id=user.id)
            wanted = self.router.url.query_parameters.get("line", "")
            if wanted:
                line = next((ln for ln in lines if str(ln.id) == wanted), None)
            else:
                line = next((ln for ln in lines if ln.status == "not_installed"), None)
            if line is None:
                self.error_key = "activation.not_found" if wanted else "activation.none"
                return
            self.number = line.number
            if line.status != "not_installed":
                self.installed = True
                return
            try:
                details = activation.details_for(session, user_id=user.id, line_id=line.id)
            except UserError as exc:
                self.error_key = exc.key
                return
        self.qr, self.smdp = details.qr_svg_data_uri, details.smdp_address
        self.matching_id, self.full_code = details.matching_id, details.activation_code


class DeviceCheckState(AppState):
    results: list[dict[str, str]] = []
    searched: bool = False
    needs_part_number: bool = False

    @rx.event
    def check(self, form: dict):
        answers = devices.check(str(form.get("model", ""))[:80], str(form.get("part", ""))[:20])
        self.results = [
            {"label": f"{a.brand} {a.model}", "result": a.result, "region": a.region}
            for a in answers
        ]
        self.needs_part_number = any(
            a.result in ("need_part_number", "bad_part_number") for a in answers
        )
        self.searched = True
