"""Decks out: a title slide, one slide per section (its heading the title, bullets in the body,
the detail in the speaker notes), and a native chart where the section has a table of numbers.

A template's own layouts are used when one is given (its slides are dropped); layouts are found
by their placeholders, not by position, since templates order them as they like.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tandem.apps.productivity.documents import Table
from tandem.apps.productivity.text import xml_safe

if TYPE_CHECKING:
    from pptx.presentation import Presentation as Deck
    from pptx.slide import SlideLayout

MAX_NOTES_CHARS = 4000
MAX_BULLETS = 6
MAX_CHART_POINTS = 24
MAX_CHART_SERIES = 6
_TIMELINE = re.compile(
    r"(?:Q[1-4]\s*)?(?:FY\s?)?\d{4}(?:\s*Q[1-4])?|\d{4}-\d{2}(?:-\d{2})?|(?:Jan|Feb|Mar|Apr|May|Jun"
    r"|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*(?:\s\d{4})?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\(?[-+]?[$€£¥₹]?\s*\d[\d,]*(?:\.\d+)?\s*[%kmbKMB]?\)?$")


@dataclass
class SlideSpec:
    """One content slide."""

    title: str
    bullets: list[str]
    notes: str = ""
    table: Table | None = None


@dataclass
class DeckSpec:
    """A whole deck."""

    title: str
    subtitle: str
    slides: list[SlideSpec] = field(default_factory=list)


def number(cell: str) -> float | None:
    """A table cell as a number ("$1,200", "12%", "(30)"), or None."""
    text = cell.strip()
    if not text or not _NUMBER.match(text):
        return None
    negative = text.startswith("(") and text.endswith(")")
    digits = re.sub(r"[^\d.\-]", "", text)
    try:
        value = float(digits)
    except ValueError:
        return None
    scale = {"k": 1e3, "m": 1e6, "b": 1e9}.get(text.rstrip(")").strip()[-1:].lower(), 1.0)
    return -value * scale if negative else value * scale


def chart_data(table: Table) -> tuple[list[str], list[tuple[str, list[float]]]] | None:
    """Categories (the first column) and numeric series (the columns whose cells are all
    numbers), or None when the table holds no numbers to chart."""
    rows = [r for r in table.rows if r and any(c.strip() for c in r)][:MAX_CHART_POINTS]
    if len(rows) < 2 or len(table.header) < 2:
        return None
    series: list[tuple[str, list[float]]] = []
    kinds: list[bool] = []
    for index, name in enumerate(table.header[1:], start=1):
        cells = [r[index] if index < len(r) else "" for r in rows]
        values = [number(c) for c in cells]
        if all(v is not None for v in values):
            series.append((name or f"Series {index}", [float(v or 0) for v in values]))
            kinds.append(all("%" in c for c in cells))
    if not series:
        return None
    # One axis: percentages are not charted beside amounts.
    series = [s for s, kind in zip(series, kinds, strict=True) if kind == kinds[0]]
    return [r[0] for r in rows], series[:MAX_CHART_SERIES]


def render(spec: DeckSpec, template: bytes | None = None) -> bytes:
    """The deck as .pptx bytes."""
    from pptx import Presentation
    from pptx.util import Pt

    deck = Presentation(io.BytesIO(template)) if template else Presentation()
    if template:
        _drop_slides(deck)
    title_layout, content_layout = _layouts(deck)
    first = deck.slides.add_slide(title_layout)
    if first.shapes.title is not None:
        first.shapes.title.text = xml_safe(spec.title)
    subtitle = _body(first)
    if subtitle is not None:
        subtitle.text_frame.text = xml_safe(spec.subtitle)
    for item in spec.slides:
        slide = deck.slides.add_slide(content_layout)
        if slide.shapes.title is not None:
            slide.shapes.title.text = xml_safe(item.title)
        body = _body(slide)
        data = chart_data(item.table) if item.table is not None else None
        if body is not None:
            frame = body.text_frame
            frame.clear()
            for n, bullet in enumerate(item.bullets[:MAX_BULLETS]):
                paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
                paragraph.text = xml_safe(bullet)
                if data is not None or len(item.bullets) > 4:
                    paragraph.font.size = Pt(16)
        if data is not None:
            _chart(deck, slide, body, data)
        if item.notes:
            slide.notes_slide.notes_text_frame.text = xml_safe(item.notes[:MAX_NOTES_CHARS])
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _layouts(deck: Deck) -> tuple[SlideLayout, SlideLayout]:
    """The layouts for the title slide and for content slides, by their placeholders."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    layouts = list(deck.slide_layouts)

    def kinds(layout: SlideLayout) -> set[Any]:
        placeholders: Any = layout.placeholders
        return {p.placeholder_format.type for p in placeholders}

    title = next((x for x in layouts if PP_PLACEHOLDER.CENTER_TITLE in kinds(x)), layouts[0])
    body = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
    content = next(
        (
            x
            for x in layouts
            if PP_PLACEHOLDER.TITLE in kinds(x) and kinds(x) & body and x is not title
        ),
        layouts[min(1, len(layouts) - 1)],
    )
    return title, content


def _body(slide: Any) -> Any:
    """The slide's first text placeholder other than its title (body or subtitle)."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    wanted = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE}
    for shape in slide.placeholders:
        if shape.placeholder_format.type in wanted and shape.has_text_frame:
            return shape
    return None


def _chart(
    deck: Deck, slide: Any, body: Any, data: tuple[list[str], list[tuple[str, list[float]]]]
) -> None:
    """A native chart on the right half (the bullets keep the left half)."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

    categories, series = data
    chart_data = CategoryChartData()  # type: ignore[no-untyped-call]
    chart_data.categories = [xml_safe(c) for c in categories]
    for name, values in series:
        chart_data.add_series(xml_safe(name), values)  # type: ignore[no-untyped-call]
    width, height = deck.slide_width or 9144000, deck.slide_height or 6858000
    top = int(height * 0.25)
    if body is not None:
        body.width = int(width * 0.44)
        body.left = int(width * 0.05)
        body.top = top
        body.height = int(height * 0.65)
    timeline = all(_TIMELINE.fullmatch(c.strip()) for c in categories)
    kind = (
        XL_CHART_TYPE.LINE_MARKERS
        if timeline and len(categories) > 3
        else (XL_CHART_TYPE.COLUMN_CLUSTERED)
    )
    frame = slide.shapes.add_chart(
        kind, int(width * 0.51), top, int(width * 0.45), int(height * 0.65), chart_data
    )
    chart = frame.chart
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False


def _drop_slides(deck: Deck) -> None:
    """Remove a template's own slides (python-pptx has no call for it)."""
    slide_ids = deck.slides._sldIdLst
    for slide_id in list(slide_ids):
        deck.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
