import pytest
from hypothesis import given
from hypothesis import strategies as st

from heyon_app.money import Money


def test_format_and_arithmetic():
    assert Money(3900, "CNY").format() == "¥39.00"
    assert Money(199_900, "CNY").format() == "¥1,999.00"
    assert (Money(3900, "CNY") - Money(390, "CNY")).format() == "¥35.10"
    assert Money(10_500, "CNY").split(3) == Money(3500, "CNY")
    assert Money(3900, "CNY").percent(10) == Money(390, "CNY")
    assert Money(5, "CNY").percent(10) == Money(1, "CNY")  # 0.5 fen rounds up


def test_currencies_do_not_mix_and_floats_are_refused():
    with pytest.raises(ValueError):
        Money(1, "CNY") + Money(1, "USD")
    with pytest.raises(TypeError):
        Money(1.5, "CNY")  # type: ignore[arg-type]


@given(st.integers(0, 10**9), st.integers(0, 100))
def test_percent_never_exceeds_the_amount(minor, pct):
    share = Money(minor, "CNY").percent(pct)
    assert 0 <= share.minor <= minor
