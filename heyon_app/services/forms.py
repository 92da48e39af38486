"""What a browser sent, read one way: a form field's text, a row id typed as text and a
switch's position.

The socket takes any JSON from anyone, not only what our pages build: a form may arrive as
null, a text field as a list, an id as "²" (which `isdigit()` accepts and `int()` refuses)
or as 5,000 digits (which no database integer holds). Every handler reads input through
these, so a hostile value is an empty or unknown one, answered with the usual message.
"""

from __future__ import annotations

import re

# No keyboard types a NUL or a lone surrogate; PostgreSQL refuses NUL in text and UTF-8 has
# no surrogates, so either would fail the statement instead of showing a message.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Ids fit a 32-bit integer column on every database; longer digit runs name no row.
ID_DIGITS = 9
_BIGGEST_NUMBER = 10**18


def text(value: object) -> str:
    """A value the page sends as text: a string as it is, a whole number as its digits;
    anything else (null, true, a list, a dict) is no text at all."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value) if abs(value) < _BIGGEST_NUMBER else ""
    if not isinstance(value, str):
        return ""
    return _UNSTORABLE.sub("", value)


def field(form: object, name: str) -> str:
    """The text of one field of a submitted form ("" when the form is no form)."""
    return text(form.get(name)) if isinstance(form, dict) else ""


def row_id(value: object) -> int | None:
    """A row id typed or linked as text ("12", " 12 "), None for anything else."""
    digits = text(value).strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > ID_DIGITS:
        return None
    return int(digits)


def switch(value: object) -> bool | None:
    """A switch's position: True for on, False for off, None for anything a switch never
    sends, which the handler refuses rather than guesses ("false" is a true string).

    A Radix switch sends its state as a JSON bool, or "on" as a form field when checked.
    """
    if value is True or value == "on":
        return True
    if value is False:
        return False
    return None
