"""Fuzzing the upload parsers: random bytes, and real files truncated or mutated, either
give text or a 400-type error (InvalidRequestError) — never any other exception."""

from __future__ import annotations

import functools
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.errors import InvalidRequestError
from tandem.knowledge.extract import MAX_TEXT_CHARS, SUFFIXES, extract

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.too_slow],
)


def survives(name: str, data: bytes) -> None:
    """The property: text within the cap, or a 400-type refusal."""
    try:
        text = extract(name, data)
    except InvalidRequestError:
        return
    assert isinstance(text, str)
    assert len(text) <= MAX_TEXT_CHARS


@functools.cache
def real_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Warranty", level=1)
    document.add_paragraph("Two years on all laptops.")
    document.add_heading("Returns", level=2)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "plan"
    document.add_paragraph("Within 30 days of delivery.", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.cache
def real_pdf() -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    for line in (b"Refunds within 30 days.", b"Express shipping takes 1-2 days."):
        page = writer.add_blank_page(width=300, height=200)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        content = DecodedStreamObject()
        content.set_data(b"BT /F1 12 Tf 20 100 Td (" + line + b") Tj ET")
        page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """`seed` truncated, with bytes flipped, inserted or a span repeated."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "repeat"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            span = bytes(data[at : at + draw(st.integers(1, 64))])
            data[at:at] = span * draw(st.integers(1, 50))
    return bytes(data)


@st.composite
def docx_with_mutated_xml(draw: st.DrawFn) -> bytes:
    """A zip that opens, whose document.xml (or another part) is broken: reaches the parser."""
    source = zipfile.ZipFile(io.BytesIO(real_docx()))
    names = source.namelist()
    target = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            part = source.read(name)
            if name == target:
                part = draw(mutated(part))
            archive.writestr(name, part)
    return out.getvalue()


@FUZZ
@given(st.sampled_from(sorted(SUFFIXES)), st.binary(max_size=2048))
def test_random_bytes(suffix: str, data: bytes) -> None:
    survives("fuzz" + suffix, data)


@FUZZ
@given(st.data())
def test_mutated_docx(data: st.DataObject) -> None:
    survives("fuzz.docx", data.draw(mutated(real_docx())))


@settings(FUZZ, max_examples=60)  # each example writes and reads a whole .docx
@given(docx_with_mutated_xml())
def test_docx_with_broken_parts(data: bytes) -> None:
    survives("fuzz.docx", data)


@FUZZ
@given(st.data())
def test_mutated_pdf(data: st.DataObject) -> None:
    survives("fuzz.pdf", data.draw(mutated(real_pdf())))


HTML_PIECES = st.sampled_from(
    [
        "<h1>",
        "</h1>",
        "<h3>",
        "<p>",
        "</p>",
        "<li>",
        "</li>",
        "<td>",
        "<pre>",
        "<script>",
        "</script>",
        "<style>",
        "<nav>",
        "<div>",
        "</div>",
        "<!--",
        "-->",
        "<![CDATA[",
        "&amp;",
        "&#x110000;",
        "&#99999999;",
        "<a href='",
        "'>",
        "\x00",
        "text",
        " ",
        "\n",
        "<",
        ">",
    ]
)


@FUZZ
@given(st.lists(st.one_of(HTML_PIECES, st.text(max_size=8)), max_size=200))
def test_html_soup(pieces: list[str]) -> None:
    survives("fuzz.html", "".join(pieces).encode("utf-8", errors="surrogatepass"))


CSV_PIECES = st.sampled_from([",", '"', "\n", "\r", "\x00", "a", "b c", ";", "\t", '""'])


@FUZZ
@given(st.lists(st.one_of(CSV_PIECES, st.text(max_size=8)), max_size=300))
def test_csv(pieces: list[str]) -> None:
    survives("fuzz.csv", "".join(pieces).encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(st.sampled_from([".md", ".markdown", ".txt"]), st.text(max_size=500))
def test_text(suffix: str, text: str) -> None:
    survives("fuzz" + suffix, text.encode("utf-8", errors="surrogatepass"))


def test_the_real_seeds_parse() -> None:
    assert "Two years on all laptops." in extract("seed.docx", real_docx())
    assert "Refunds within 30 days." in extract("seed.pdf", real_pdf())
