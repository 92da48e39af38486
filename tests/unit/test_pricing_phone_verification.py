"""SMS code verification of a mobile number: 6 digits, 10 minutes, 5 tries, resend
throttled, only a hash stored, the SMS sent with the code after the commit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from heyon_app import clock
from heyon_app.models import Notification, PhoneVerification
from heyon_app.services import phone_verification, sms
from heyon_app.services.errors import UserError
from tests.unit.helpers import customer


class Phone:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, recipient: str, body: str) -> None:
        self.sent.append((recipient, body))

    def code(self) -> str:
        return re.findall(r"(?<![0-9])[0-9]{6}(?![0-9])", self.sent[-1][1])[0]


@pytest.fixture
def phone(monkeypatch) -> Phone:
    fake = Phone()
    monkeypatch.setattr(sms, "send_sms", fake.send)
    return fake


def ask(session: Session, user, number: str = "+86 138 0000 1234") -> str:
    sent = phone_verification.request_code(session, user=user, phone=number)
    session.commit()
    phone_verification.send_code(session, sent=sent, locale=user.locale)
    return sent.phone


def error_of(call) -> UserError:
    with pytest.raises(UserError) as caught:
        call()
    return caught.value


def test_the_right_code_verifies_the_number(session, phone):
    user = customer(session)
    number = ask(session, user)
    assert phone.sent[-1][0] == number == "+8613800001234"
    assert phone_verification.verify(session, user=user, code=phone.code()) == number
    session.refresh(user)
    assert user.phone == number and user.phone_verified_at is not None


def test_only_a_hash_of_the_code_is_stored(session, phone):
    user = customer(session)
    ask(session, user)
    code = phone.code()
    row = session.exec(select(PhoneVerification)).one()
    outbox = session.exec(select(Notification).where(Notification.channel == "sms")).one()
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert code not in outbox.body and outbox.status == "sent"


def test_five_wrong_tries_and_the_code_is_dead(session, phone):
    user = customer(session)
    ask(session, user)
    right = phone.code()
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    lefts = [
        error_of(lambda: phone_verification.verify(session, user=user, code=wrong))
        for _ in range(5)
    ]
    assert [e.key for e in lefts] == ["promo.phone.wrong"] * 4 + ["promo.phone.too_many"]
    assert [e.params.get("left") for e in lefts[:4]] == [4, 3, 2, 1]
    late = error_of(lambda: phone_verification.verify(session, user=user, code=right))
    assert late.key == "promo.phone.too_many"
    session.refresh(user)
    assert user.phone_verified_at is None


def test_a_code_expires_after_ten_minutes(session, phone):
    user = customer(session)
    start = clock.now()
    with clock.freeze(start):
        ask(session, user)
    with clock.freeze(start + timedelta(minutes=10)):
        err = error_of(lambda: phone_verification.verify(session, user=user, code=phone.code()))
    assert err.key == "promo.phone.expired"


def test_resend_is_throttled(session, phone):
    user = customer(session)
    start = clock.now()
    with clock.freeze(start):
        ask(session, user)
    with clock.freeze(start + timedelta(seconds=30)):
        err = error_of(lambda: ask(session, user))
    assert err.key == "promo.phone.too_soon" and err.params["seconds"] == 31
    with clock.freeze(start + timedelta(seconds=61)):
        ask(session, user)
    assert len(phone.sent) == 2


def test_at_most_five_codes_an_hour(session, phone):
    user = customer(session)
    start = clock.now()
    for n in range(5):
        with clock.freeze(start + timedelta(minutes=2 * n)):
            ask(session, user)
    with clock.freeze(start + timedelta(minutes=11)):
        assert error_of(lambda: ask(session, user)).key == "promo.phone.too_many_codes"


def test_a_new_code_replaces_the_old_one(session, phone):
    user = customer(session)
    start = clock.now()
    with clock.freeze(start):
        ask(session, user)
        old = phone.code()
    with clock.freeze(start + timedelta(minutes=2)):
        ask(session, user)
        new = phone.code()
        if old != new:
            err = error_of(lambda: phone_verification.verify(session, user=user, code=old))
            assert err.key == "promo.phone.wrong"
        assert phone_verification.verify(session, user=user, code=new)


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef"])
def test_a_code_that_is_not_six_digits_is_refused(session, phone, bad):
    user = customer(session)
    ask(session, user)
    assert (
        error_of(lambda: phone_verification.verify(session, user=user, code=bad)).key
        == "promo.phone.bad_format"
    )


@pytest.mark.parametrize("bad", ["", "12", "phone", "+86 138 0000 12345 678 9"])
def test_a_bad_number_gets_a_clear_message_and_no_sms(session, phone, bad):
    user = customer(session)
    assert error_of(lambda: ask(session, user, bad)).key == "promo.phone.invalid"
    assert phone.sent == []


def test_verifying_without_a_code_says_ask_first(session, phone):
    user = customer(session)
    assert (
        error_of(lambda: phone_verification.verify(session, user=user, code="123456")).key
        == "promo.phone.no_code"
    )
