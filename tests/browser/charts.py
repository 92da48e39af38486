"""What a chart drawn by `components.charts.daily_bars_and_line` must show, from its rows."""

from __future__ import annotations

from playwright.sync_api import Locator, expect


def js_number(value: float) -> str:
    """A number as the browser prints it (12.0 is "12")."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _top(chart: Locator, axis: str) -> float:
    return float(chart.locator(f".heyon-chart-axis-{axis} span").first.inner_text())


def assert_chart_shows(
    chart: Locator,
    rows: list[tuple[str, float, float]],
    *,
    names: tuple[str, str, str],
    same_scale: bool = False,
) -> None:
    """`rows` are (day, bar value, line value): every day has a bar of its value's share of
    the left axis and a line point at its share of the right one (the left when
    `same_scale`), a tooltip and a row in the screen readers' table; the legend names both
    series, the table heads its columns with `names`, and the axis under the plot names the first, middle and last day."""
    day_name, bar_name, line_name = names
    expect(chart.locator(".heyon-chart-bar")).to_have_count(len(rows))
    expect(chart.locator("figure > div").first).to_have_text(f"{bar_name}{line_name}")
    bar_top = _top(chart, "bars")
    line_top = bar_top if same_scale else _top(chart, "line")
    assert bar_top >= max([r[1] for r in rows] + [r[2] for r in rows if same_scale])
    assert line_top >= max(r[2] for r in rows)
    # Round numbers, but not so far above the data that the tallest bar looks small.
    assert bar_top <= 2 * max(1, *[r[1] for r in rows] + [r[2] for r in rows if same_scale])

    bars = chart.locator(".heyon-chart-bar").evaluate_all(
        "(rs) => rs.map((r) => [Number(r.getAttribute('height')), r.textContent])"
    )
    points = chart.locator(".heyon-chart-line").get_attribute("points").split(" ")
    assert len(points) == len(rows)
    for (day, bar, line), (height, title), point in zip(rows, bars, points, strict=True):
        assert abs(height - bar / bar_top * 100) < 1e-6, (day, bar, height)
        assert title == (f"{day} · {bar_name} {js_number(bar)} · {line_name} {js_number(line)}")
        y = float(point.split(",")[1])
        assert abs(y - (100 - line / line_top * 100)) < 1e-6, (day, line, y)

    middle = rows[len(rows) // 2][0]
    expect(chart.locator(".heyon-chart-days")).to_have_text(f"{rows[0][0]}{middle}{rows[-1][0]}")
    table_rows = chart.locator(".heyon-chart-table tbody tr")
    expect(table_rows).to_have_text([f"{d}{js_number(b)}{js_number(m)}" for d, b, m in rows])
    expect(chart.locator(".heyon-chart-table thead th")).to_have_text(list(names))
