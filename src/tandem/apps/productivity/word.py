"""Word documents out: a summary, or a draft, as .docx with real headings and lists."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from tandem.apps.productivity.summarize import Summary
from tandem.apps.productivity.text import xml_safe as x


@dataclass
class DraftSection:
    """A heading and its paragraphs."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """A drafted document."""

    title: str
    sections: list[DraftSection]
    sources: list[str] = field(default_factory=list)
    method: str = "extractive"


def summary_docx(summary: Summary, source: str) -> bytes:
    """The summary as a Word document: title, summary, key points, then one heading a section."""
    import docx

    document = docx.Document()
    document.core_properties.title = x(f"Summary: {summary.title}")[:255]
    document.add_heading(x(f"Summary: {summary.title}"), level=0)
    document.add_paragraph().add_run(
        x(f"Source: {source} · method: {summary.method}")
    ).italic = True
    document.add_heading(x("Summary"), level=1)
    document.add_paragraph(x(summary.summary))
    document.add_heading(x("Key points"), level=1)
    for point in summary.key_points:
        document.add_paragraph(x(point), style="List Bullet")
    if summary.sections:
        document.add_heading(x("Sections"), level=1)
        for section in summary.sections:
            if section["summary"]:
                document.add_heading(x(section["heading"]), level=2)
                document.add_paragraph(x(section["summary"]))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def draft_docx(draft: Draft) -> bytes:
    """The draft as a Word document, its sources listed at the end."""
    import docx

    document = docx.Document()
    document.core_properties.title = x(draft.title)[:255]
    document.add_heading(x(draft.title), level=0)
    for section in draft.sections:
        document.add_heading(x(section.heading), level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(x(paragraph))
    if draft.sources:
        document.add_heading(x("Sources"), level=1)
        for source in draft.sources:
            document.add_paragraph(x(source), style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
