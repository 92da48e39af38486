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


def insert_after(config: str, anchor: str, addition: str, *, file: str) -> str:
    """`config` (a file Reflex writes) with `addition` right after its one `anchor`;
    refuses a config whose shape changed, rather than building the old way unnoticed.
    A file Reflex keeps between compiles (postcss.config.js) already has it: unchanged."""
    if anchor + addition in config:
        return config
    if config.count(anchor) != 1:
        raise RuntimeError(f"{file}: expected exactly one {anchor!r} to add to")
    return config.replace(anchor, anchor + addition, 1)


def with_vendor_group(config: str) -> str:
    """`config` (Reflex's vite.config.js) with the vendor group."""
    return insert_after(config, _GROUPS_START, _VENDOR, file=VITE_CONFIG)


class VendorChunk(Plugin):
    def pre_compile(self, **context) -> None:
        context["add_modify_task"](VITE_CONFIG, with_vendor_group)
