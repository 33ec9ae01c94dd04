"""Productivity latency on the embedded model: summarise and build a deck, per page, split
into extraction, model and rendering.

Documents of 1, 4 and 8 pages are made from the evaluation documents (eval/productivity),
written as .docx and converted to PDF by LibreOffice (so a page is a real page); each is
summarised (JSON and .docx out) and turned into a deck, with method `auto` (SmolLM2-135M
tries first, the floor answers when its output fails the checks) and `extractive`.

Run: python bench/productivity_latency.py   (needs LibreOffice's `soffice`)
"""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, print_table
from tandem.apps.productivity.documents import read_document
from tandem.apps.productivity.product import ProductivityProduct
from tandem.config import Settings
from tandem.gateway.service import CallContext
from tandem.governance.principal import Principal
from tandem.platform import Platform

DOCS = ROOT / "eval" / "productivity" / "documents"
SIZES = (1, 4, 8)


def _pdf(pages: int, folder: Path) -> bytes:
    """About `pages` pages of the evaluation documents as a PDF (docx through LibreOffice)."""
    import docx

    document = docx.Document()
    document.add_heading(f"Collected reports ({pages} pages)", level=0)
    sources = sorted(DOCS.glob("*.md"))
    n = 0
    while True:
        parsed = read_document(
            sources[n % len(sources)].name, sources[n % len(sources)].read_bytes(), 200
        )
        for section in parsed.sections:
            document.add_heading(f"{parsed.title[:40]}: {section.heading}", level=1)
            for paragraph in section.paragraphs + section.bullets:
                document.add_paragraph(paragraph)
        n += 1
        path = folder / f"doc{pages}.docx"
        out = io.BytesIO()
        document.save(out)
        path.write_bytes(out.getvalue())
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{folder}/lo",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = path.with_suffix(".pdf").read_bytes()
        from pypdf import PdfReader

        if len(PdfReader(io.BytesIO(pdf)).pages) >= pages:
            return pdf


async def main() -> None:
    """Measure and print the table."""
    if shutil.which("soffice") is None:
        raise SystemExit("needs LibreOffice (apt-get install libreoffice-writer)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings(data_dir=folder / "data", auth="off")
        platform = Platform.build(settings)
        await platform.start()
        await platform.wait_started()
        service = platform.product("productivity", ProductivityProduct).service
        principal = platform.controls.authenticate(None, "127.0.0.1")
        rows = []
        try:
            for pages in SIZES:
                pdf = _pdf(pages, folder)
                for method in ("auto", "extractive"):
                    rows += await _measure(service, principal, pdf, pages, method)
        finally:
            await platform.stop()
    print_table(
        "Productivity latency per page (SmolLM2-135M Q4_1, 2 cores)",
        [
            "task",
            "pages",
            "method",
            "extract s/page",
            "model s/page",
            "render s/page",
            "total s/page",
            "method used",
        ],
        rows,
    )


async def _measure(
    service: object, principal: Principal, pdf: bytes, pages: int, method: str
) -> list[list[str]]:
    from tandem.apps.productivity.service import ProductivityService

    assert isinstance(service, ProductivityService)
    out = []
    for task in ("summarize", "slides"):
        ctx = CallContext(principal=principal, request_id=uuid.uuid4().hex)
        started = time.perf_counter()
        document, extract_s = await service.document("bench.pdf", pdf, None)
        if task == "summarize":
            result = await service.summarize(ctx, document, "medium", method, True)  # type: ignore[arg-type]
        else:
            result = await service.presentation(ctx, document, 12, None, method)  # type: ignore[arg-type]
        total = time.perf_counter() - started
        t = result.timings
        out.append(
            [
                task,
                str(pages),
                method,
                f"{extract_s / pages:.3f}",
                f"{t.model_s / pages:.2f}",
                f"{t.render_s / pages:.3f}",
                f"{total / pages:.2f}",
                str(result.body["method"]),
            ]
        )
    return out


if __name__ == "__main__":
    asyncio.run(main())
