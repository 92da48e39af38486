"""The one chart shape of the app: a value per day as bars, another as a line."""

from __future__ import annotations

import reflex as rx


def daily_bars_and_line(
    data: rx.Var,
    *,
    bars: tuple[str, rx.Var, int],
    line: tuple[str, rx.Var, int],
    whole_bars: bool = False,
    day_key: str = "day",
) -> rx.Component:
    """`bars` and `line` are (data key, legend name, axis width). The two quantities differ
    by orders of magnitude (MB and minutes, orders and yuan), so each gets its own axis.
    The points are dicts, or lists indexed by position when the keys are "0", "1", ..."""
    bar_key, bar_name, bar_width = bars
    line_key, line_name, line_width = line
    return rx.recharts.composed_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(data_key=day_key, tick_line=False, min_tick_gap=12),
        rx.recharts.y_axis(
            y_axis_id="bars", width=bar_width, tick_line=False, allow_decimals=not whole_bars
        ),
        rx.recharts.y_axis(
            y_axis_id="line", orientation="right", width=line_width, tick_line=False
        ),
        rx.recharts.tooltip(),
        rx.recharts.legend(),
        rx.recharts.bar(
            data_key=bar_key,
            y_axis_id="bars",
            name=bar_name,
            fill="var(--teal-9)",
            is_animation_active=False,
        ),
        rx.recharts.line(
            data_key=line_key,
            y_axis_id="line",
            name=line_name,
            stroke="var(--amber-10)",
            stroke_width=2,
            dot=False,
            is_animation_active=False,
        ),
        data=data,
        width="100%",
        height=240,
    )
