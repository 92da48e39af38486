"""Parts of a page nobody looks at first, mounted a frame after the rest.

React draws a page's data in one go: every element of it is made before any is shown. What
only a screen reader reads (a chart's table of values, most of a dashboard's elements)
then delays what everyone sees. Wrapped in `after_paint`, it mounts right after the first
paint, long before a screen reader gets to it.
"""

from __future__ import annotations

import reflex as rx


class _AfterPaint(rx.Component):
    library = "$/public/heyon_after_paint.js"
    tag = "AfterPaint"


def after_paint(*children: rx.Component) -> rx.Component:
    return _AfterPaint.create(*children)
