"""The productivity assistant's service: each operation reads its input in a worker thread,
asks the model where the method allows (through the platform's model service), falls back to
the deterministic floor, and renders its output in a worker thread. Nothing is stored."""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tandem.apps.productivity import formula as formulas_
from tandem.apps.productivity import outline as outline_
from tandem.apps.productivity import rewrite as rewrite_
from tandem.apps.productivity import summarize as summarize_
from tandem.apps.productivity.deck import render
from tandem.apps.productivity.documents import (
    Document,
    DocumentError,
    parse_markdown,
    read_document,
)
from tandem.apps.productivity.drafting import accept_draft, draft_floor, draft_request
from tandem.apps.productivity.insights import analyse
from tandem.apps.productivity.limits import ProductivitySettings
from tandem.apps.productivity.model import Method, Writer
from tandem.apps.productivity.word import Draft, draft_docx, summary_docx
from tandem.apps.productivity.workbook import with_insights
from tandem.archives import check_archive
from tandem.errors import InvalidRequestError, PayloadTooLargeError
from tandem.gateway.service import CallContext, ModelService

WORKBOOK_SUFFIXES = (".xlsx", ".csv")


@dataclass
class Timings:
    """Where an operation's time went, in seconds."""

    extract_s: float = 0.0
    model_s: float = 0.0
    render_s: float = 0.0
    skipped: str | None = None  # why the model was not used, in method auto

    def header(self) -> str:
        """As the `x-tandem-timings` response header."""
        return (
            f"extract={self.extract_s * 1000:.0f}ms, model={self.model_s * 1000:.0f}ms, "
            f"render={self.render_s * 1000:.0f}ms"
        )


@dataclass
class Result:
    """An operation's JSON body, file (if one was made) and timings."""

    body: dict[str, Any]
    file: bytes | None = None
    timings: Timings = field(default_factory=Timings)


async def _timed(work: Any, *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    value = await asyncio.to_thread(work, *args)
    return value, time.perf_counter() - started


class ProductivityService:
    """Summaries, decks, workbook insights, formulas, rewrites and drafts."""

    def __init__(self, models: ModelService, settings: ProductivitySettings) -> None:
        self.models = models
        self.settings = settings

    def _writer(self) -> Writer:
        return Writer(self.models, self.settings.chat_deployment, self.settings.auto_timeout_s)

    def check_size(self, name: str, size: int, param: str = "file") -> None:
        """413 for a file over the product's limit."""
        limit = self.settings.max_file_bytes
        if size > limit:
            raise PayloadTooLargeError(f"{name}: larger than {limit // 2**20} MiB")

    def read(self, name: str, data: bytes, param: str = "file") -> Document:
        """A document, within the limits (blocking)."""
        self.check_size(name, len(data), param)
        document = read_document(name, data, self.settings.max_pages, param)
        if len(document.sections) > self.settings.max_sections:
            raise DocumentError(
                f"{name}: {len(document.sections)} sections; at most "
                f"{self.settings.max_sections} are read",
                param=param,
            )
        return document

    async def document(
        self, name: str | None, data: bytes | None, text: str | None
    ) -> tuple[Document, float]:
        """The document from an upload or from text, and how long reading it took."""
        if data is not None:
            return await _timed(self.read, name or "upload", data)
        assert text is not None
        return await _timed(parse_markdown, "text", text)

    async def summarize(
        self,
        ctx: CallContext,
        document: Document,
        length: summarize_.Length,
        method: Method,
        as_docx: bool,
    ) -> Result:
        """Summary, key points and per-section summaries; a .docx when asked."""
        timings = Timings()
        floor, _ = await _timed(summarize_.extractive, document, length)
        writer = self._writer()
        user, schema = summarize_.model_request(document, floor, length)
        answer = await writer.try_json(ctx, method, summarize_.SYSTEM, user, schema, "summary", 350)
        summary = summarize_.accept(answer, document, floor) or floor
        timings.model_s, timings.skipped = writer.model_s, writer.skipped
        result = Result(summary.body(), timings=timings)
        if as_docx:
            result.file, timings.render_s = await _timed(summary_docx, summary, document.name)
        return result

    async def presentation(
        self,
        ctx: CallContext,
        document: Document,
        slides: int,
        template: bytes | None,
        method: Method,
    ) -> Result:
        """A .pptx of the document."""
        if template is not None:
            self.check_size("template", len(template), "template")
            await asyncio.to_thread(check_archive, template, "template", param="template")
        timings = Timings()
        spec, _ = await _timed(outline_.outline, document, slides)
        writer = self._writer()
        user, schema = outline_.model_request(spec)
        answer = await writer.try_json(ctx, method, outline_.SYSTEM, user, schema, "slides", 450)
        used = outline_.apply(answer, spec, document) if answer is not None else "extractive"
        timings.model_s, timings.skipped = writer.model_s, writer.skipped
        try:
            deck, timings.render_s = await _timed(render, spec, template)
        except (KeyError, ValueError, IndexError) as exc:
            # python-pptx raises these for a template without the parts a deck needs
            raise InvalidRequestError(
                f"template: not a usable PowerPoint template ({type(exc).__name__})",
                param="template",
            ) from exc
        body = {
            "object": "productivity.presentation",
            "title": spec.title,
            "slides": [{"title": spec.title, "kind": "title"}]
            + [
                {
                    "title": s.title,
                    "kind": "content",
                    "bullets": s.bullets,
                    "notes": bool(s.notes),
                    "chart": s.table is not None,
                }
                for s in spec.slides
            ],
            "method": used,
        }
        return Result(body, deck, timings)

    async def insights(self, ctx: CallContext, name: str, data: bytes, as_xlsx: bool) -> Result:
        """Totals, leaders, trends and outliers of a workbook; the workbook back when asked."""
        suffix = Path(name).suffix.lower()
        if suffix not in WORKBOOK_SUFFIXES:
            raise InvalidRequestError(f"{name}: unsupported type; use .xlsx or .csv", param="file")
        self.check_size(name, len(data))
        if suffix == ".xlsx" and data.startswith(b"\xd0\xcf\x11\xe0"):
            raise InvalidRequestError(
                f"{name}: password-protected (or a pre-2007 .xls); save it unprotected as .xlsx",
                param="file",
            )
        timings = Timings()
        with tempfile.TemporaryDirectory(prefix="tandem-workbook-") as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            found, timings.extract_s = await _timed(analyse, name, path, ctx.principal.tenant)
            result = Result(found.body(), timings=timings)
            if as_xlsx:
                result.file, timings.render_s = await _timed(with_insights, name, path, found)
        return result

    async def formula(
        self,
        ctx: CallContext,
        description: str,
        headers: list[str],
        samples: list[list[Any]],
        method: Method,
    ) -> Result:
        """A formula for the description, checked on the sample rows."""
        made = None if method == "model" else formulas_.rules(description, headers, samples)
        writer = self._writer()
        if made is None:
            system = formulas_.SYSTEM.format(columns=formulas_.columns_line(headers))
            mode: Method = "model" if method == "model" else "auto"
            answer = await writer.try_json(
                ctx, mode, system, description, formulas_.SCHEMA, "formula", 200
            )
            if answer is not None and str(answer.get("formula", "")).startswith("="):
                made = formulas_.Formula(
                    str(answer["formula"]).strip(),
                    str(answer.get("explanation", "")).strip(),
                    "model",
                )
        if made is None:
            raise InvalidRequestError(
                "no formula could be made from the description; name the columns (as in "
                "`headers`) and what to do with them, e.g. 'total of Amount where Region is "
                "North'",
                param="description",
            )
        made.check, _ = await _timed(formulas_.check, made.formula, headers, samples)
        if made.method == "model" and not made.check.ok and method != "model":
            fallback = formulas_.rules(description, headers, samples)
            if fallback is not None:
                fallback.check, _ = await _timed(
                    formulas_.check, fallback.formula, headers, samples
                )
                made = fallback
        timings = Timings(model_s=writer.model_s, skipped=writer.skipped)
        check = made.check
        assert check is not None
        body = {
            "object": "productivity.formula",
            "formula": made.formula,
            "explanation": made.explanation,
            "method": made.method,
            "check": {
                "ok": check.ok,
                "detail": check.detail,
                "values": check.values,
                "sample_rows": len(samples),
            },
        }
        return Result(body, timings=timings)

    async def rewrite(
        self,
        ctx: CallContext,
        text: str,
        tone: rewrite_.Tone,
        length: rewrite_.Length,
        method: Method,
    ) -> Result:
        """The text in another tone and length."""
        floor = rewrite_.floor(text, tone, length)
        writer = self._writer()
        user, schema = rewrite_.model_request(text, tone, length, floor)
        answer = await writer.try_json(
            ctx, method, rewrite_.SYSTEM, user, schema, "rewrite", min(800, 60 + len(text) // 2)
        )
        written = rewrite_.accept(answer, text, length)
        body = {
            "object": "productivity.rewrite",
            "text": written or floor,
            "tone": tone,
            "length": length,
            "method": "model" if written else "rules",
        }
        return Result(body, timings=Timings(model_s=writer.model_s, skipped=writer.skipped))

    async def draft(
        self,
        ctx: CallContext,
        instructions: str,
        references: list[tuple[str, bytes]],
        method: Method,
        as_docx: bool,
    ) -> Result:
        """A document drafted from the instructions and reference documents."""
        documents = []
        timings = Timings()
        for name, data in references:
            document, took = await _timed(self.read, name, data, "files")
            documents.append(document)
            timings.extract_s += took
        floor: Draft = await asyncio.to_thread(draft_floor, instructions, documents)
        writer = self._writer()
        user, schema = draft_request(instructions, floor)
        answer = await writer.try_json(
            ctx,
            method,
            "You draft business documents from notes. Keep figures exact. Answer with JSON.",
            user,
            schema,
            "draft",
            500,
        )
        made = accept_draft(answer, floor, documents) or floor
        timings.model_s, timings.skipped = writer.model_s, writer.skipped
        body = {
            "object": "productivity.draft",
            "title": made.title,
            "method": made.method,
            "sections": [{"heading": s.heading, "paragraphs": s.paragraphs} for s in made.sections],
            "sources": made.sources,
        }
        result = Result(body, timings=timings)
        if as_docx:
            result.file, timings.render_s = await _timed(draft_docx, made)
        return result
