"""eSIM installation: the LPA activation code as a QR code, and its parts for typing in."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from sqlmodel import Session

from heyon_app.models import EsimLine
from heyon_app.services.errors import UserError


@dataclass(frozen=True)
class ActivationDetails:
    line_id: int
    number: str
    activation_code: str
    smdp_address: str
    matching_id: str
    qr_svg_data_uri: str


def parse_lpa(code: str) -> tuple[str, str]:
    """(SM-DP+ address, matching ID) from "LPA:1$<address>$<matching id>[$...]"."""
    parts = code.strip().split("$")
    if len(parts) < 3 or parts[0].upper() != "LPA:1" or not parts[1] or not parts[2]:
        raise ValueError(f"not an LPA activation code: {code!r}")
    return parts[1], parts[2]


def qr_svg_data_uri(code: str) -> str:
    """The code as an SVG QR code, drawn here on the server (no network, no image host)."""
    # Error level M survives a slightly blurred photo of a screen; a quiet zone of 4
    # modules is what phone scanners expect.
    qr = segno.make(code, error="m", micro=False)
    return qr.svg_data_uri(scale=6, border=4, dark="#000", light="#fff")


def details_for(session: Session, *, user_id: int, line_id: int) -> ActivationDetails:
    """Activation data of one of the user's own lines; anyone else's is 'not found'."""
    line = session.get(EsimLine, line_id)
    if line is None or line.user_id != user_id:
        raise UserError("activation.not_found")
    smdp, matching = parse_lpa(line.activation_code)
    return ActivationDetails(
        line_id=line.id,
        number=line.number,
        activation_code=line.activation_code,
        smdp_address=smdp,
        matching_id=matching,
        qr_svg_data_uri=qr_svg_data_uri(line.activation_code),
    )
