"""What a hostile client sends: strategies for the property tests of every form and handler.

A browser only ever sends what our pages build, but the socket takes any JSON from anyone:
a text field may arrive as a list, a number as a 5,000-digit string, a name with a NUL in it.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Payloads worth trying on every text field, each for a reason.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c.exe",  # right-to-left override
    "line one\nline two\r\n",
    "\t\x07\x1b[31m",
    "'; DROP TABLE users; --",
    "' OR '1'='1",
    '" OR 1=1 --',
    "1; SELECT * FROM user",
    "%",
    "_",
    "\\",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(1)",
    "{{7*7}}",
    "{0}",
    "{max}",
    "%s%s%n",
    "../../etc/passwd",
    "\ud800",  # a lone surrogate: JSON can carry it, UTF-8 cannot
    "x\udfffy",
    "😀" * 10,
    "e\u0301",
    "\ufeff",
    "\u200b",
    "Ａ１２",  # full-width letters and digits
    "²",  # isdigit(), yet int() refuses it
    "١٢٣",  # Arabic-Indic digits: int() reads 123
    "9" * 30,  # beyond any database integer
    "9" * 5000,  # beyond Python's int() digit limit
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "x" * 100_000,
    "测试" * 3000,
    "null",
    "undefined",
    "[object Object]",
    "a@b.cn",
    "+86 138 0013 8000",
]

# Characters that are no letters: controls, formats (bidi, zero width), separators.
odd_characters = st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "So"])

hostile_text = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=40),
    st.text(odd_characters, max_size=20),
    # A plausible value with something nasty glued on.
    st.tuples(st.sampled_from(NASTY_TEXT), st.text(max_size=10)).map("".join),
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, -1, 1, 2**31, 2**63, -(2**63) - 1, 10**30, -(10**30)]),
    st.integers(),
    # JSON has no NaN or infinity: the browser sends null for them.
    st.floats(allow_nan=False, allow_infinity=False),
)

json_values = st.recursive(
    st.one_of(json_scalars, hostile_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)

# What the socket may deliver where a handler expects text: mostly text, sometimes not.
any_text = st.one_of(hostile_text, hostile_text, json_values)


def field(*plausible: str) -> st.SearchStrategy:
    """One form field: hostile most of the time, else a value that gets past the first check
    (so the rules behind it are reached too)."""
    if not plausible:
        return any_text
    return st.one_of(any_text, st.sampled_from(plausible), slipped_into(plausible))


def slipped_into(plausible: tuple[str, ...]) -> st.SearchStrategy:
    """A plausible value with something nasty slipped in somewhere: "demo\u200b@heyon.local"
    gets past a check that only looks at the ends."""

    def insert(value: str, nasty: str, at: int) -> str:
        at %= len(value) + 1
        return value[:at] + nasty + value[at:]

    small_nasty = st.sampled_from([t for t in NASTY_TEXT if len(t) < 40])
    return st.builds(insert, st.sampled_from(plausible), small_nasty, st.integers(0, 60))


def form(**fields: st.SearchStrategy) -> st.SearchStrategy:
    """A form's dict of the named fields, sometimes missing some, sometimes with extra keys,
    and now and then no dict at all."""
    complete = st.fixed_dictionaries(
        {},
        optional={name: strategy for name, strategy in fields.items()},
    )
    with_extra = st.builds(
        lambda base, extra: {**extra, **base},
        complete,
        st.dictionaries(st.text(max_size=8), json_values, max_size=2),
    )
    return st.one_of(complete, complete, with_extra, json_values)


def query_text(*plausible: str) -> st.SearchStrategy:
    """A query-string parameter: always text (the URL is parsed on the server), never a lone
    surrogate (the browser percent-encodes it as U+FFFD)."""
    text = hostile_text.filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s))
    return st.one_of(text, st.sampled_from(plausible)) if plausible else text
