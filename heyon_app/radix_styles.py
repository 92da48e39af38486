"""Radix Themes' CSS, only the parts the app uses: a Reflex plugin in place of Radix's own.

Radix's single stylesheet (687 KiB built) holds every component in every size and
breakpoint, and all 30 colour palettes. The browser parses all of it, and matches it against
the page, before the app's JavaScript may run: ~40 ms of a cold dashboard load here, more
than the dashboard's own render. This plugin imports Radix's separate parts instead (its
documented way to import only what is needed): the palettes in PALETTES, the base tokens,
the components' styles and the layout utilities; and a PostCSS step (`radix_trim.js`)
drops the styles of every component no compiled page imports and of every breakpoint no
prop uses. 342 KiB are left.
"""

from __future__ import annotations

from pathlib import Path

from reflex_base.constants import Dirs
from reflex_components_radix.plugin import RadixThemesPlugin

from heyon_app.bundling import insert_after

# The theme's accent and gray, and every colour a component is given (`color_scheme`).
# tests/unit/test_radix_styles.py finds each palette named in the app's code here.
ACCENT, GRAY = "teal", "sage"
PALETTES = ("gray", GRAY, ACCENT, "green", "red", "amber", "blue")

_PACKAGE = "@radix-ui/themes"
TRIM_STEP = "heyon_radix_trim.js"
# Reflex's config lists its PostCSS plugins by name; ours runs once the imports are inlined.
_AFTER_IMPORTS = '"postcss-import": {},'


def stylesheets() -> tuple[str, ...]:
    # In Radix's own order (its tokens.css): the palettes, then the base tokens, whose
    # theme rules map `--gray-*` to the chosen gray and must come after gray.css's own.
    return (
        *(f"{_PACKAGE}/tokens/colors/{palette}.css" for palette in PALETTES),
        f"{_PACKAGE}/tokens/base.css",
        f"{_PACKAGE}/components.css",
        f"{_PACKAGE}/utilities.css",
    )


def with_trim_step(config: str) -> str:
    """`config` (Reflex's postcss.config.js) with the trim step after postcss-import."""
    return insert_after(
        config, _AFTER_IMPORTS, f'\n    "./{TRIM_STEP}": {{}},', file=Dirs.POSTCSS_JS
    )


class RadixStyles(RadixThemesPlugin):
    def get_stylesheet_paths(self, **context) -> tuple[str, ...]:
        return stylesheets() if self.enabled else ()

    def get_static_assets(self, **context) -> list[tuple[str, str]]:
        return [(TRIM_STEP, (Path(__file__).parent / "radix_trim.js").read_text("utf-8"))]

    def pre_compile(self, **context) -> None:
        context["add_modify_task"](Dirs.POSTCSS_JS, with_trim_step)
