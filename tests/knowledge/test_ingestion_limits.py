"""Ingestion cannot be turned against the server: archive bombs are refused before parsing,
each upload has a time budget, a client that leaves stops the work, and ingestions embed in
small batches, a few at a time."""

from __future__ import annotations

import asyncio
import io
import threading
import time
import zipfile
from collections.abc import Awaitable, Callable
from contextlib import closing
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tandem.archives import ArchiveRefusedError
from tandem.gateway.service import CallContext
from tandem.governance.principal import open_principal
from tandem.knowledge import extract as extract_module
from tandem.knowledge import service as service_module
from tandem.knowledge.budget import IngestionStoppedError
from tandem.knowledge.extract import ExtractionError, extract
from tandem.platform import Platform
from tandem.wire import EmbeddingRequest

Embed = Callable[[CallContext, EmbeddingRequest, str], Awaitable[Any]]


def sections(n: int) -> str:
    """Markdown with `n` headed sections: `n` chunks."""
    return "\n\n".join(f"# Section {i}\n\nParagraph {i} has a few words." for i in range(n))


def small_docx(padding: int = 0) -> bytes:
    """A real .docx; with `padding`, its document.xml carries that many spaces (compressed to
    almost nothing)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Two years on all laptops.")
    buffer = io.BytesIO()
    document.save(buffer)
    if not padding:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b" " * padding)
            bomb.writestr(info.filename, data)
    return out.getvalue()


class CountingEmbed:
    """Wraps the model service's embed: counts calls, sleeps, tracks concurrency."""

    def __init__(self, real: Embed, delay_s: float) -> None:
        self.real = real
        self.delay_s = delay_s
        self.sizes: list[int] = []
        self.in_flight = 0
        self.peak = 0
        self.first = asyncio.Event()

    async def __call__(self, ctx: CallContext, request: EmbeddingRequest, deployment: str) -> Any:
        ingesting = request.texts()[0].startswith("Section")
        if ingesting:
            self.sizes.append(len(request.texts()))
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.first.set()
        try:
            await asyncio.sleep(self.delay_s)
            return await self.real(ctx, request, deployment)
        finally:
            if ingesting:
                self.in_flight -= 1


def slow_embed(
    platform: Platform, monkeypatch: pytest.MonkeyPatch, delay_s: float
) -> CountingEmbed:
    counter = CountingEmbed(platform.service.embed, delay_s)
    monkeypatch.setattr(platform.service, "embed", counter)
    return counter


class EndlessParse:
    """Stands in for `extract`: polls `check` for up to 5 s (so a failing test still ends)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.stopped = threading.Event()  # set only when `check` stopped it

    def __call__(self, name: str, data: bytes, check: Callable[[], None]) -> str:
        self.started.set()
        for _ in range(1_000):
            try:
                check()
            except IngestionStoppedError:
                self.stopped.set()
                raise
            time.sleep(0.005)
        return "never stopped"


def ctx() -> CallContext:
    return CallContext(open_principal(), "req-test")


def documents(platform: Platform, kb: str) -> list[str]:
    with closing(platform.knowledge.store.open("default", kb)) as base:
        return [d.name for d in base.documents()]


def test_docx_zip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    bomb = small_docx(padding=40 * 1024 * 1024)
    assert len(bomb) < 200 * 1024  # 40 MiB of XML in a few KB
    parsed: list[object] = []
    monkeypatch.setattr(docx, "Document", lambda *a: parsed.append(a))
    with pytest.raises(ArchiveRefusedError, match=r"bomb\.docx: expands to 40 MiB"):
        extract("bomb.docx", bomb)
    assert parsed == []


def test_docx_compressed_past_the_ratio_is_refused() -> None:
    bomb = small_docx(padding=8 * 1024 * 1024)  # under the size cap, over 200:1
    with pytest.raises(ArchiveRefusedError, match="zip bomb"):
        extract("dense.docx", bomb)
    assert extract("fine.docx", small_docx()) == "Two years on all laptops."


def test_docx_paragraphs_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    document = docx.Document()
    for i in range(11):
        document.add_paragraph("" if i % 2 else f"line {i}")
    buffer = io.BytesIO()
    document.save(buffer)
    monkeypatch.setattr(extract_module, "DOCX_MAX_PARAGRAPHS", 11)
    assert extract("ok.docx", buffer.getvalue()).count("line") == 6
    monkeypatch.setattr(extract_module, "DOCX_MAX_PARAGRAPHS", 10)  # empty ones count too
    with pytest.raises(ExtractionError, match="more than 10 paragraphs"):
        extract("long.docx", buffer.getvalue())


def test_text_per_file_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "MAX_TEXT_CHARS", 1_000)
    assert extract("ok.txt", b"x" * 1_000)
    with pytest.raises(ExtractionError, match="more than 1,000 characters"):
        extract("big.txt", b"x" * 1_001)


def test_csv_header_repeated_per_row_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    # 4 KB of header names, each row of commas repeats all of them: 100x the input.
    header = ",".join(f"column_name_number_{i:04d}" for i in range(200))
    data = (header + "\n" + "\n".join("," * 199 for _ in range(2_000))).encode()
    assert len(data) < 1_000_000
    with pytest.raises(ExtractionError, match="characters of text"):
        extract("wide.csv", data)


def test_csv_rows_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "MAX_CSV_ROWS", 100)
    assert extract("ok.csv", b"a\n" + b"1\n" * 100).count("a: 1") == 100
    with pytest.raises(ExtractionError, match="more than 100 rows"):
        extract("long.csv", b"a\n" + b"1\n" * 101)


def test_pdf_pages_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(6):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    monkeypatch.setattr(extract_module, "MAX_PDF_PAGES", 5)
    with pytest.raises(ExtractionError, match="6 pages; at most 5"):
        extract("long.pdf", buffer.getvalue())


def test_pdf_page_content_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    content = DecodedStreamObject()
    content.set_data(b"0 0 m 1 1 l S\n" * 100_000)  # 1.4 MB of lines, compressed to KBs
    page[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    buffer = io.BytesIO()
    writer.write(buffer)
    assert len(buffer.getvalue()) < 20_000
    monkeypatch.setattr(extract_module, "MAX_PDF_PAGE_BYTES", 1024 * 1024)
    with pytest.raises(ExtractionError, match="page 1 holds 1 MiB of drawing instructions"):
        extract("drawing.pdf", buffer.getvalue())


def test_html_tags_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "MAX_HTML_TAGS", 100)
    assert extract("ok.html", b"<p>x</p>" * 50) == "\n\n".join(["x"] * 50)
    with pytest.raises(ExtractionError, match="more than 100 HTML tags"):
        extract("tags.html", b"<p>x</p>" * 51)


def test_html_size_is_checked_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import bs4

    monkeypatch.setattr(extract_module, "MAX_HTML_BYTES", 1_000)
    monkeypatch.setattr(bs4, "BeautifulSoup", lambda *a: pytest.fail("parsed"))
    with pytest.raises(ExtractionError, match="HTML larger than"):
        extract("big.html", b"<p>" + b"x" * 1_000 + b"</p>")


def test_nested_html_blocks_are_read_once() -> None:
    depth = 3_000
    html = b"<li>" * depth + b"deep" + b"</li>" * depth + b"<p>after</p>"
    assert extract("nested.html", html) == "- deep\n\nafter"


def test_a_stopping_check_is_not_reported_as_a_broken_document() -> None:
    def stop() -> None:
        raise IngestionStoppedError("ingestion stopped")

    for name, data in [("a.csv", b"h\n" + b"v\n" * 5000), ("a.html", b"<p>x</p>")]:
        with pytest.raises(IngestionStoppedError):
            extract(name, data, stop)


async def test_ingestion_stops_when_client_leaves(
    app: FastAPI, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    embed = slow_embed(platform, monkeypatch, delay_s=0.02)
    kb = platform.knowledge.store.create("default", "kb")
    upload = httpx.Request(
        "POST",
        f"http://testserver/v1/knowledge-bases/{kb}/documents",
        files={"files": ("big.md", sections(400).encode())},  # 25 batches
    )
    body = upload.read()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": upload.url.path,
        "raw_path": upload.url.path.encode(),
        "query_string": b"",
        "root_path": "",
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in upload.headers.items()],
    }
    sent: list[dict[str, Any]] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await embed.first.wait()  # the client leaves once embedding has begun
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await asyncio.wait_for(app(scope, receive, send), 10)
    assert sent[0]["status"] == 499
    calls = len(embed.sizes)
    await asyncio.sleep(0.3)  # long enough for ~15 more batches had the work gone on
    assert len(embed.sizes) == calls <= 2
    assert documents(platform, kb) == []


async def test_cancelling_ingest_stops_further_embedding(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    embed = slow_embed(platform, monkeypatch, delay_s=0.02)
    kb = platform.knowledge.store.create("default", "kb")
    task = asyncio.create_task(
        platform.knowledge.ingest(ctx(), kb, [("big.md", sections(400).encode())])
    )
    await embed.first.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    calls = len(embed.sizes)
    await asyncio.sleep(0.3)
    assert len(embed.sizes) == calls == 1


async def test_cancelled_ingestion_stops_parsing_in_its_thread(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse = EndlessParse()
    monkeypatch.setattr(service_module, "extract", parse)
    kb = platform.knowledge.store.create("default", "kb")
    task = asyncio.create_task(platform.knowledge.ingest(ctx(), kb, [("a.txt", b"text")]))
    await asyncio.to_thread(parse.started.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(parse.stopped.wait, 2)
    await asyncio.sleep(0.05)  # the slot is freed on the loop once the thread has finished
    assert platform.knowledge._parse_slots._value == service_module.INGEST_PARSERS


async def test_ingestion_time_budget(
    client: httpx.AsyncClient, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    embed = slow_embed(platform, monkeypatch, delay_s=0.1)
    platform.knowledge.budget_s = 0.35
    kb = platform.knowledge.store.create("default", "kb")
    files = [
        ("files", ("big.md", sections(400).encode(), "text/markdown")),  # 2.5 s of embedding
        ("files", ("small.txt", b"Gift cards never expire.", "text/plain")),
    ]
    reply = await client.post(f"/v1/knowledge-bases/{kb}/documents", files=files)
    results = reply.json()["data"]
    assert [r["status"] for r in results] == ["failed", "failed"]
    assert all("time budget of 0.35 s" in r["error"] for r in results)
    assert len(embed.sizes) <= 4  # stopped at the budget, not after 25 batches
    assert documents(platform, kb) == []


async def test_time_budget_stops_a_parse_that_never_ends(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse = EndlessParse()
    monkeypatch.setattr(service_module, "extract", parse)
    platform.knowledge.budget_s = 0.2
    kb = platform.knowledge.store.create("default", "kb")
    (result,) = await asyncio.wait_for(
        platform.knowledge.ingest(ctx(), kb, [("a.txt", b"text")]), 2
    )
    assert result.status == "failed"
    assert "time budget" in (result.error or "")
    assert await asyncio.to_thread(parse.stopped.wait, 2)


async def test_ingestions_embed_small_batches_a_few_at_a_time(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    embed = slow_embed(platform, monkeypatch, delay_s=0.03)
    store = platform.knowledge.store
    kbs = [store.create("default", f"kb{i}") for i in range(4)]
    tasks = [
        asyncio.create_task(platform.knowledge.ingest(ctx(), kb, [("a.md", sections(60).encode())]))
        for kb in kbs
    ]
    await embed.first.wait()
    await platform.knowledge.search(ctx(), kbs[0], "hello", 3)  # interactive: not queued
    assert not all(t.done() for t in tasks)  # the search did not wait for the ingestions
    results = await asyncio.gather(*tasks)
    assert [r[0].status for r in results] == ["added"] * 4
    assert embed.peak <= 2  # across tenants, however many upload at once
    assert max(embed.sizes) <= 16  # small batches: a search waits behind little
