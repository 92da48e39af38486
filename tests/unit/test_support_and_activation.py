from __future__ import annotations

import pytest

from heyon_app.services import activation, support
from heyon_app.services.errors import UserError
from tests.unit.helpers import catalogue, customer, line, paid_order


def test_ticket_is_stored_and_listed_newest_first(session):
    user = customer(session)
    support.create_ticket(session, user_id=user.id, subject=" SIM ", message="It does not work.")
    support.create_ticket(session, user_id=user.id, subject="Second", message="Another question")
    other = customer(session)
    support.create_ticket(session, user_id=other.id, subject="x", message="not yours at all")
    listed = support.tickets_of(session, user_id=user.id)
    assert [t.subject for t in listed] == ["Second", "SIM"]
    assert listed[0].status == "open"


@pytest.mark.parametrize(
    ("subject", "message", "key"),
    [
        ("", "long enough message", "support.subject_missing"),
        ("x" * 121, "long enough message", "support.subject_too_long"),
        ("Help", "short", "support.message_too_short"),
        ("Help", "x" * 4001, "support.message_too_long"),
    ],
)
def test_bad_ticket_input(session, subject, message, key):
    user = customer(session)
    with pytest.raises(UserError) as err:
        support.create_ticket(session, user_id=user.id, subject=subject, message=message)
    assert err.value.key == key


def test_ticket_can_name_only_own_order(session):
    from heyon_app import clock

    catalogue(session)
    mine = line(session)
    order = paid_order(session, mine, "DATA_M", clock.now())
    ticket = support.create_ticket(
        session, user_id=mine.user_id, subject="Bill", message="Charged twice?", order_id=order.id
    )
    assert ticket.order_id == order.id
    stranger = customer(session)
    with pytest.raises(UserError) as err:
        support.create_ticket(
            session,
            user_id=stranger.id,
            subject="Bill",
            message="Charged twice?",
            order_id=order.id,
        )
    assert err.value.key == "support.order_unknown"


def test_activation_details_with_qr_and_manual_parts(session):
    catalogue(session)
    new = line(session, status="not_installed")
    details = activation.details_for(session, user_id=new.user_id, line_id=new.id)
    assert details.smdp_address == "smdp.heyon.local"
    assert details.matching_id.startswith("TEST-")
    assert details.qr_svg_data_uri.startswith("data:image/svg+xml")
    with pytest.raises(UserError):
        activation.details_for(session, user_id=customer(session).id, line_id=new.id)


def test_qr_code_encodes_the_activation_code():
    import segno

    qr = segno.make("LPA:1$smdp.heyon.local$ABC", error="m", micro=False)
    assert activation.qr_svg_data_uri("LPA:1$smdp.heyon.local$ABC") == qr.svg_data_uri(
        scale=6, border=4, dark="#000", light="#fff"
    )
    with pytest.raises(ValueError):
        activation.parse_lpa("not-a-code")
