"""What a page shows that Radix styles and the page's trimmed CSS does not
(heyon_app/radix_styles.py)."""

from __future__ import annotations

import functools
import re

from heyon_app.radix_styles import GRAY
from tests.conftest import ROOT

# Radix's whole stylesheet, which the build used to ship (687 KiB once built).
WHOLE_RADIX = ROOT / ".web/node_modules/@radix-ui/themes/styles.css"
# A Radix class as a selector names it, with its breakpoint (`.md\:rt-r-size-2`).
_RADIX_CLASS = re.compile(r"\.((?:xs|sm|md|lg|xl)\\:)?(rt-[A-Za-z0-9_-]+)")

_PAGE_STYLES_JS = """
(gray) => {
  const selectors = [];
  const walk = (rules) => {
    for (const rule of rules) {
      if (rule.selectorText) selectors.push(rule.selectorText);
      if (rule.cssRules) walk(rule.cssRules);
    }
  };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  const theme = getComputedStyle(document.querySelector(".radix-themes"));
  return {
    selectors: selectors.join("\\n"),
    classes: [...new Set([...document.querySelectorAll("[class]")].flatMap((e) => [...e.classList]))],
    // An accent without its palette computes to nothing: --accent-9 is var(--<colour>-9).
    colours: [...document.querySelectorAll("[data-accent-color]")].map((e) =>
      [e.dataset.accentColor, getComputedStyle(e).getPropertyValue("--accent-9").trim()]),
    gray: [theme.getPropertyValue("--gray-9").trim(), theme.getPropertyValue(`--${gray}-9`).trim()],
  };
}
"""


def _classes(selectors: str) -> set[str]:
    return {prefix.replace("\\", "") + name for prefix, name in _RADIX_CLASS.findall(selectors)}


@functools.cache
def _radix_styles() -> frozenset[str]:
    return frozenset(_classes(WHOLE_RADIX.read_text("utf-8")))


def unstyled(page) -> list[str]:
    """What the page shows that Radix styles and the page's CSS does not: classes,
    colours without their palette, a gray other than the theme's."""
    found = page.evaluate(_PAGE_STYLES_JS, GRAY)
    styled = _classes(found["selectors"])
    problems = sorted(c for c in found["classes"] if c in _radix_styles() and c not in styled)
    problems += sorted(
        {f"colour {name or '(inherited)'}" for name, value in found["colours"] if not value}
    )
    gray, wanted = found["gray"]
    if not gray or gray != wanted:
        problems.append(f"gray {gray!r}, not {GRAY}'s {wanted!r}")
    return problems
