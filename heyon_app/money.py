"""The one money type: integer minor units with a currency, never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Minor units per major unit; every currency Heyon sells in has two decimals.
_SYMBOLS = {"CNY": "¥", "USD": "$", "HKD": "HK$", "EUR": "€"}


@dataclass(frozen=True, order=True)
class Money:
    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int):
            raise TypeError("Money.minor must be an int of minor units")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"bad currency code {self.currency!r}")

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def times(self, factor: int) -> Money:
        return Money(self.minor * factor, self.currency)

    def split(self, parts: int) -> Money:
        """One of `parts` equal shares, rounded half up to a minor unit (e.g. per month)."""
        return Money((2 * self.minor + parts) // (2 * parts), self.currency)

    def percent(self, pct: int) -> Money:
        """`pct` percent of this amount, rounded half up to a minor unit."""
        return Money((self.minor * pct * 2 + 100) // 200, self.currency)

    def format(self) -> str:
        symbol = _SYMBOLS.get(self.currency, self.currency + " ")
        sign = "-" if self.minor < 0 else ""
        whole, cents = divmod(abs(self.minor), 100)
        return f"{sign}{symbol}{whole:,}.{cents:02d}"


_MAJOR = re.compile(r"^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$")


def parse_major(text: str, currency: str) -> Money:
    """An amount typed in major units ("59", "59.00") as Money; ValueError for anything else
    (no sign, no thousands separators, at most two decimals)."""
    found = _MAJOR.match(str(text).replace("¥", "", 1))
    if not found:
        raise ValueError(f"not an amount: {text!r}")
    whole, cents = found.group(1), (found.group(2) or "").ljust(2, "0")
    return Money(int(whole) * 100 + int(cents), currency)
