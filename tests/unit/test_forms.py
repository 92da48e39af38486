"""Reading what a browser sent: whatever JSON arrives, a field is text or nothing, an id is a
row id or None, and neither ever raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from heyon_app.services import forms
from tests.hostile import json_values

UNSTORABLE = {"\x00", *map(chr, range(0xD800, 0xE000))}


@settings(max_examples=300)
@given(value=json_values)
def test_any_value_reads_as_storable_text(value):
    read = forms.text(value)
    assert isinstance(read, str) and not UNSTORABLE & set(read)


@settings(max_examples=300)
@given(form=json_values, name=st.sampled_from(["email", "subject", ""]))
def test_any_form_gives_text_for_any_field(form, name):
    assert isinstance(forms.field(form, name), str)


@settings(max_examples=300)
@given(value=json_values)
def test_an_id_is_a_row_id_a_database_can_hold_or_none(value):
    read = forms.row_id(value)
    assert read is None or 0 <= read < 10**forms.ID_DIGITS


def test_text_keeps_what_was_typed_and_drops_only_what_no_database_stores():
    assert forms.text("  <b>Hi</b>\n\u202eevil ") == "  <b>Hi</b>\n\u202eevil "
    assert forms.text("a\x00b\ud800c") == "abc"
    assert forms.text(42) == "42"
    assert [forms.text(v) for v in (None, True, [], {}, 1.5, 10**30)] == [""] * 6


def test_a_form_that_is_no_form_has_empty_fields():
    assert forms.field({"email": "a@b.cn"}, "email") == "a@b.cn"
    assert [forms.field(v, "email") for v in (None, [], "email", 3)] == [""] * 4
    assert forms.field({"email": ["a@b.cn"]}, "email") == ""


def test_ids_are_plain_digits_of_a_sensible_length():
    assert [forms.row_id(v) for v in ("12", " 12 ", 12, "0")] == [12, 12, 12, 0]
    for odd in ("²", "١٢", "Ａ１２", "-1", "1.0", "1e3", "9" * 10, "9" * 5000, True, None, ""):
        assert forms.row_id(odd) is None, odd


def test_a_switch_is_on_only_for_what_a_switch_sends_for_on():
    assert [forms.switch(v) for v in (True, "on", False)] == [True, True, False]
    for odd in ("false", "true", "0", "1", "off", "", 0, 1, None, [], {}, "ON", " on"):
        assert forms.switch(odd) is None, odd


@settings(max_examples=300)
@given(value=json_values)
def test_only_a_real_true_or_on_turns_a_switch_on(value):
    assert (forms.switch(value) is True) == (value is True or value == "on")
