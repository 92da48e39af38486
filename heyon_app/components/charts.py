"""The one chart shape of the app: a value per day as bars, another as a line.

Drawn with plain SVG and HTML, not Recharts: Recharts was a 390 KiB chunk on the page and
drew only after a lazy mount and a measuring pass (docs/PERFORMANCE.md, issue 10). The SVG
is a 100-high box, one unit wide per day, stretched to the card's width; the axis labels
are HTML beside it so text never stretches. Scales are worked out in the browser from the
rows the state already sends, so the chart adds no byte to a page load.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars.base import VarData

from heyon_app.components.deferred import after_paint
from heyon_app.components.text import t

# Sizes and colours are classes in assets/heyon.css ("The chart"): a style prop would wrap
# each of a chart's elements in emotion's styled component, on the page's first render.


def _js(expr: str, *deps: rx.Var, type_: type = float) -> rx.Var:
    return rx.Var(
        _js_expr=expr,
        _var_type=type_,
        _var_data=VarData.merge(*(d._get_all_var_data() for d in deps)),
    ).to(type_)


def _values(data: rx.Var, key: str) -> str:
    return f"{data}.map((r) => Number(r[{json.dumps(key)}]) || 0)"


def axis_top(data: rx.Var, *keys: str) -> rx.Var:
    """The scale's top: the largest value of `keys` rounded up to 1, 1.5, 2, ... x 10^n, so
    the label is a round number and the tallest bar nearly fills the box (1 when all are 0)."""
    spread = ", ".join(f"...{_values(data, k)}" for k in keys)
    return _js(
        f"((m) => m > 0 ? Number((Math.ceil(m / 10 ** Math.floor(Math.log10(m)) * 2) / 2 "
        f"* 10 ** Math.floor(Math.log10(m))).toPrecision(6)) : 1)(Math.max(0, {spread}))",
        data,
    )


def _day_label(data: rx.Var, day_key: str, at: str) -> rx.Var:
    return _js(f"({data}.at({at})?.[{json.dumps(day_key)}] ?? '')", data, type_=str)


def _axis_labels(top: rx.Var, class_name: str) -> rx.Component:
    return rx.el.div(rx.el.span(top), rx.el.span("0"), class_name=f"heyon-chart-axis {class_name}")


def _legend_item(name: rx.Var, swatch: str) -> rx.Component:
    return rx.el.span(rx.el.span(class_name=swatch), name, class_name="heyon-chart-legend-item")


def _table(data: rx.Var, keys: tuple[str, str, str], names: tuple[rx.Var, rx.Var]) -> rx.Component:
    """Every point as text for screen readers; the drawing itself is hidden from them."""
    day_key, bar_key, line_key = keys
    # Mounted a frame after the chart: 4 elements a day that nobody sees would otherwise
    # delay the drawing of the whole page (most of a dashboard's elements).
    return after_paint(
        rx.el.table(
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(t("chart.day"), scope="col"),
                    rx.el.th(names[0], scope="col"),
                    rx.el.th(names[1], scope="col"),
                )
            ),
            rx.el.tbody(
                rx.foreach(
                    data,
                    lambda row: rx.el.tr(
                        rx.el.th(row[day_key], scope="row"),
                        rx.el.td(row[bar_key]),
                        rx.el.td(row[line_key]),
                    ),
                )
            ),
            class_name="heyon-sr-only heyon-chart-table",
        )
    )


def daily_bars_and_line(
    data: rx.Var,
    *,
    bars: tuple[str, rx.Var],
    line: tuple[str, rx.Var],
    day_key: str = "day",
    same_scale: bool = False,
) -> rx.Component:
    """`bars` and `line` are (data key, legend name). Quantities that differ by orders of
    magnitude (MB and minutes, orders and yuan) get an axis each, the bars' on the left and
    the line's on the right; `same_scale` puts both on the left one (counts of one kind).
    The points are dicts, or lists indexed by position when the keys are "0", "1", ..."""
    bar_key, bar_name = bars
    line_key, line_name = line
    rows = data.to(list[dict])
    bar_top = axis_top(rows, bar_key, line_key) if same_scale else axis_top(rows, bar_key)
    line_top = bar_top if same_scale else axis_top(rows, line_key)
    count = rows.length()
    points = _js(
        f"{rows}.map((r, i) => (i + 0.5) + ',' + "
        f"(100 - (Number(r[{json.dumps(line_key)}]) || 0) / {line_top} * 100)).join(' ')",
        rows,
        line_top,
        type_=str,
    )

    def bar(row: rx.Var, i: rx.Var) -> rx.Component:
        height = row[bar_key].to(float) / bar_top * 100
        return rx.el.svg.rect(
            rx.el.svg.title(
                f"{row[day_key]} · {bar_name} {row[bar_key]} · {line_name} {row[line_key]}"
            ),
            # SVG lengths are typed as strings; the browser takes the numbers as they are.
            x=(i.to(float) + 0.15).to(str),
            y=(100 - height).to(str),
            width="0.7",
            height=height.to(str),
            class_name="heyon-chart-bar",
        )

    gridlines = [
        rx.el.svg.line(
            x1=0,
            x2=count,
            y1=y,
            y2=y,
            class_name="heyon-chart-grid" + ("" if y == 100 else " heyon-chart-grid-dashed"),
        )
        for y in (0, 50, 100)
    ]
    plot = rx.el.svg(
        *gridlines,
        rx.foreach(rows, bar),
        rx.el.svg.polyline(points=points, class_name="heyon-chart-line"),
        view_box=f"0 0 {count} 100",
        preserve_aspect_ratio="none",
        aria_hidden="true",
        class_name="heyon-chart-plot",
    )
    right_axis = [] if same_scale else [_axis_labels(line_top, "heyon-chart-axis-line")]
    return rx.el.figure(
        rx.el.div(
            _legend_item(bar_name, "heyon-chart-swatch-bar"),
            _legend_item(line_name, "heyon-chart-swatch-line"),
            class_name="heyon-chart-legend",
        ),
        rx.el.div(
            _axis_labels(bar_top, "heyon-chart-axis-bars"),
            plot,
            *right_axis,
            rx.el.div(),
            rx.el.div(
                rx.el.span(_day_label(rows, day_key, "0")),
                rx.el.span(_day_label(rows, day_key, f"Math.floor({rows}.length / 2)")),
                rx.el.span(_day_label(rows, day_key, "-1")),
                class_name="heyon-chart-days",
            ),
            class_name="heyon-chart-grid-area"
            + ("" if same_scale else " heyon-chart-grid-area-two-axes"),
        ),
        _table(rows, (day_key, bar_key, line_key), (bar_name, line_name)),
        class_name="heyon-chart",
    )
