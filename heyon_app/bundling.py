"""The browser's JavaScript in a few files: a Reflex plugin that extends vite.config.js.

Left to itself the build splits the libraries into one file per shared piece (each Radix
component, each icon, React Router...): 32 requests for the dashboard, fetched through
the backend's single port before the app can mount. Every library a page loads at start
goes into one "vendor" file instead, which every page shares and the browser caches once.
Code a page loads later (on demand) keeps its own files.
"""

from __future__ import annotations

from reflex.plugins.base import Plugin

VITE_CONFIG = "vite.config.js"
# Reflex's config already has one group (its env.json); ours goes first in the same list.
_GROUPS_START = "groups: ["
_VENDOR = """
            {
              name: "vendor",
              test: /node_modules/,
              tags: ["$initial"],
            },"""


def with_vendor_group(config: str) -> str:
    """`config` (Reflex's vite.config.js) with the vendor group; refuses a config whose
    shape changed, rather than building the old way unnoticed."""
    if config.count(_GROUPS_START) != 1:
        raise RuntimeError(f"{VITE_CONFIG}: expected one code-splitting group list to extend")
    return config.replace(_GROUPS_START, _GROUPS_START + _VENDOR, 1)


class VendorChunk(Plugin):
    def pre_compile(self, **context) -> None:
        context["add_modify_task"](VITE_CONFIG, with_vendor_group)
