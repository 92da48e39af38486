"""Message catalogues (zh-CN first, English second) and the one lookup function.

Each module in `messages/` holds one feature's strings as key -> (zh-CN, en), so both
languages of a string sit side by side and a missing translation is a test failure.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

SUPPORTED_LOCALES = ("zh-CN", "en")
DEFAULT_LOCALE = "zh-CN"


@cache
def _pairs() -> dict[str, tuple[str, str]]:
    from heyon_app.i18n import messages

    merged: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(messages.__path__):
        module = importlib.import_module(f"{messages.__name__}.{info.name}")
        for key, pair in module.MESSAGES.items():
            if key in merged:
                raise ValueError(f"message key {key!r} defined twice")
            merged[key] = pair
    return merged


def supported(locale: object) -> str:
    """The language to use for `locale`: the tab's language is browser storage, which any
    page script (or a hand-made socket message) can set to anything; unknown means zh-CN."""
    return locale if isinstance(locale, str) and locale in SUPPORTED_LOCALES else DEFAULT_LOCALE


def catalogue(locale: str) -> dict[str, str]:
    # Cached per supported language, not per string asked for: one cache entry per made-up
    # language a client sends would grow without bound.
    return _catalogue(supported(locale))


@cache
def _catalogue(locale: str) -> dict[str, str]:
    index = 1 if locale == "en" else 0
    return {key: pair[index] for key, pair in _pairs().items()}


# Unicode's first-strong isolate and its end: text between them cannot reorder what follows.
_ISOLATE, _END_ISOLATE = "\u2068", "\u2069"


def isolated(typed: str) -> str:
    """Someone's typed text for a plain-text message (a mail): a right-to-left override in it
    stays inside it, as `<bdi>` does in a page."""
    return f"{_ISOLATE}{typed}{_END_ISOLATE}"


def name_in(row: object | None, locale: str) -> str:
    """An admin-named row's name (a package's) in `locale`, ready for a plain-text message;
    a dash when there is none."""
    if row is None:
        return "—"
    return isolated(getattr(row, "name_en" if locale == "en" else "name_zh"))


def translate(key: str, locale: str, **params: object) -> str:
    """The text for `key` in `locale`, formatted with `params`; the key itself if unknown."""
    text = catalogue(locale).get(key, key)
    return text.format(**params) if params else text
