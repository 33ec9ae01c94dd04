"""Charts chosen from a result's shape: a Vega-Lite spec, and a PNG rendered on the server.

Time series → line; category vs measure → bar; two measures → scatter; anything else gets
no chart.
"""

from __future__ import annotations

import io
from typing import Any

from tandem.apps.analyst.sandbox import QueryResult
from tandem.apps.analyst.semantic import NUMERIC, TEMPORAL

MAX_POINTS = 500


def chart_spec(result: QueryResult, title: str) -> dict[str, Any] | None:
    """A Vega-Lite spec for the result, or None when no chart fits."""
    if len(result.columns) < 2 or not result.rows:
        return None
    x, y = result.columns[0], result.columns[-1]
    x_type, y_type = result.types[0], result.types[-1]
    if not y_type.startswith(NUMERIC):
        return None
    values = [{x: row[0], y: row[-1]} for row in result.rows[:MAX_POINTS]]
    if x_type.startswith(TEMPORAL):
        mark, x_enc = "line", {"field": x, "type": "temporal"}
    elif x in ("month", "quarter", "year", "week", "day"):
        # Period labels (2024-01, 2024-Q1, 2024) from the planner's time grains.
        mark, x_enc = "line", {"field": x, "type": "ordinal"}
    elif x_type.startswith(NUMERIC):
        # A scatter of number against number: only the points that have both, and two at
        # least (one row of two periods and their change is no chart).
        values = [v for v in values if v[x] is not None and v[y] is not None]
        if len(values) < 2:
            return None
        mark, x_enc = "point", {"field": x, "type": "quantitative"}
    else:
        mark, x_enc = "bar", {"field": x, "type": "nominal", "sort": "-y"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "data": {"values": values},
        "mark": {"type": mark, "tooltip": True},
        "encoding": {"x": x_enc, "y": {"field": y, "type": "quantitative"}},
    }


def render_png(spec: dict[str, Any]) -> bytes:
    """The spec drawn with matplotlib (headless)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    values = spec["data"]["values"]
    x_field, y_field = spec["encoding"]["x"]["field"], spec["encoding"]["y"]["field"]
    xs = [str(v[x_field])[:24] for v in values]
    ys = [float(v[y_field]) if v[y_field] is not None else 0.0 for v in values]
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=100)
    mark = spec["mark"]["type"]
    if mark == "line":
        axes.plot(xs, ys, marker="o", linewidth=2)
        axes.tick_params(axis="x", rotation=45)
    elif mark == "point":
        points = [
            (float(v[x_field]), y)
            for v, y in zip(values, ys, strict=True)
            if v[x_field] is not None
        ]
        axes.scatter([p[0] for p in points], [p[1] for p in points])
        axes.set_xlabel(x_field)
    else:
        order = sorted(range(len(xs)), key=lambda i: -ys[i])
        axes.bar([xs[i] for i in order], [ys[i] for i in order], color="#4472c4")
        axes.tick_params(axis="x", rotation=45 if len(xs) > 5 else 0)
    axes.set_ylabel(y_field)
    axes.set_title(str(spec.get("title", ""))[:80])
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()
