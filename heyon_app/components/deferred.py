"""Parts of a page nobody looks at first, mounted a frame after the rest.

React draws a page's data in one go: every element of it is made before any is shown.
What is below the fold, or only for a screen reader (a chart's table of values, most of a
dashboard's elements), then delays what everyone sees first. Wrapped in `after_paint`, it
mounts right after that is painted: a frame later, long before anyone scrolls to it or a
screen reader gets to it.
"""

from __future__ import annotations

import reflex as rx


class _AfterPaint(rx.Component):
    library = "$/public/heyon_after_paint.js"
    tag = "AfterPaint"


def after_paint(*children: rx.Component) -> rx.Component:
    return _AfterPaint.create(*children)
