"""Charts drawn on the server as inline SVG: no script, no library, nothing from another host.

The console's CSP forbids inline styles, so colours and sizes are SVG presentation attributes.
Every label goes through `html.escape`; the result is `Markup` for the templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

# Distinguishable in colour and in grey (for printouts and colour-blind readers).
PALETTE = ("#2563eb", "#f59e0b", "#16a34a", "#dc2626", "#7c3aed", "#0891b2", "#64748b")


@dataclass(frozen=True)
class BarLayout:
    """Sizes of a grouped bar chart, in SVG user units."""

    bar: int = 22
    gap: int = 6
    group_gap: int = 28
    height: int = 180
    left: int = 44
    top: int = 12
    bottom: int = 56
    legend_row: int = 18


def grouped_bars(
    groups: Sequence[str],
    series: Sequence[str],
    values: Mapping[tuple[str, str], float | None],
    title: str,
    layout: BarLayout = BarLayout(),
) -> Markup:
    """Bars of fractions 0..1, one group per `groups` entry with one bar per `series` entry
    (a missing value is a zero-height bar marked as such), a 0-100 % axis and a legend."""
    lay = layout
    width_group = len(series) * (lay.bar + lay.gap) - lay.gap
    plot_w = max(1, len(groups) * (width_group + lay.group_gap))
    # Room for the legend too (about 7 units per character at font-size 12).
    legend_w = lay.left + 18 + 7 * max((len(_short(n, 60)) for n in series), default=0)
    width = max(lay.left + plot_w + 8, legend_w)
    legend_h = lay.legend_row * len(series)
    height = lay.top + lay.height + lay.bottom + legend_h
    base = lay.top + lay.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    out += _axis(lay, base, lay.left + plot_w)
    for gi, group in enumerate(groups):
        x0 = lay.left + lay.group_gap // 2 + gi * (width_group + lay.group_gap)
        for si, name in enumerate(series):
            out.append(
                _bar(
                    lay,
                    base,
                    x0 + si * (lay.bar + lay.gap),
                    si,
                    group,
                    name,
                    values.get((group, name)),
                )
            )
        label_x = x0 + width_group / 2
        out.append(
            f'<text x="{label_x:.1f}" y="{base + 16}" text-anchor="middle" font-size="12" '
            f'fill="currentColor">{escape(_short(group))}</text>'
        )
    legend_y = base + lay.bottom - 14
    for si, name in enumerate(series):
        y = legend_y + si * lay.legend_row
        out.append(
            f'<rect x="{lay.left}" y="{y}" width="12" height="12" fill="{_colour(si)}"/>'
            f'<text x="{lay.left + 18}" y="{y + 10}" font-size="12" '
            f'fill="currentColor">{escape(_short(name, 60))}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def _axis(lay: BarLayout, base: int, right: int) -> list[str]:
    parts = []
    for pct in (0, 25, 50, 75, 100):
        y = base - lay.height * pct / 100
        parts.append(
            f'<line x1="{lay.left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
            f'stroke="#cbd5e1" stroke-width="1"/>'
            f'<text x="{lay.left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="currentColor">{pct}%</text>'
        )
    return parts


def _bar(
    lay: BarLayout, base: int, x: int, index: int, group: str, name: str, value: float | None
) -> str:
    fraction = 0.0 if value is None else min(1.0, max(0.0, value))
    h = lay.height * fraction
    shown = "no graded items" if value is None else f"{fraction * 100:.1f}%"
    return (
        f'<rect class="bar" x="{x}" y="{base - h:.1f}" width="{lay.bar}" height="{h:.1f}" '
        f'fill="{_colour(index)}" data-group="{escape(group)}" data-series="{escape(name)}" '
        f'data-value="{"" if value is None else f"{fraction:.4f}"}">'
        f"<title>{escape(name)} · {escape(group)}: {shown}</title></rect>"
    )


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def count_bars(points: Sequence[tuple[str, int, int]], title: str) -> Markup:
    """Requests over time as bars, their errors drawn over them in red; a 0..max axis.
    `points` are (label, requests, errors); every few labels are written under the axis."""
    left, top, height, bottom, width = 56, 12, 160, 40, 720
    n = max(1, len(points))
    step = (width - left - 8) / n
    bar = max(1.0, step * 0.8)
    peak = max((p[1] for p in points), default=0) or 1
    base = top + height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{base + bottom}" viewBox="0 0 {width} {base + bottom}" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for fraction in (0, 0.5, 1) if peak >= 4 else (0, 1):
        y = base - height * fraction
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" stroke="#cbd5e1" '
            f'stroke-width="1"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="currentColor">{round(peak * fraction):,}</text>'
        )
    every = max(1, n // 8)
    for i, (label, requests, errors) in enumerate(points):
        x = left + i * step
        h = height * requests / peak
        e = height * errors / peak
        out.append(
            f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
            f'height="{h:.1f}" fill="{PALETTE[0]}" data-value="{requests}">'
            f"<title>{escape(label)}: {requests:,} requests, {errors:,} errors</title></rect>"
        )
        if errors:
            out.append(
                f'<rect x="{x:.1f}" y="{base - e:.1f}" width="{bar:.1f}" height="{e:.1f}" '
                f'fill="{PALETTE[3]}"/>'
            )
        if i % every == 0:
            out.append(
                f'<text x="{x:.1f}" y="{base + 16}" font-size="11" '
                f'fill="currentColor">{escape(_short(label))}</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))
