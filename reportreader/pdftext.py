"""Turn report file bytes into the text of each page, refusing what is not a readable PDF.

Why pypdfium2: text extraction alone, measured on the eleven sample PDFs (every page, one
core, Python 3.12, two passes; all three libraries read every sample without error):

- pypdfium2 5.15: about 45-50 files a second (20-23 ms a file). Reading order right on every
  sample; a table row's label and grade stay on neighbouring lines.
- pypdf 7.1: about 2.7 files a second (380 ms a file), 17 times slower; the same lines, padded
  with blank lines and stray spaces.
- pdfminer.six 20250506: about 1.5 files a second (660 ms a file), 30 times slower, and its
  layout analysis splits the ILACS judgement table into a column of labels then a column of
  grades. Not a dependency.

The whole pipeline (this module plus parsing) reads the twelve samples at about 33 reports a
second with pypdfium2 (``bench/bench_reader.py``), well over the target of 10 a second; either
of the others would miss it on extraction alone. pypdf stays a dependency for other uses (the
tests use it to write an encrypted PDF).

PDFium marks a word hyphenated across a line end with U+FFFE and no line break; we put the
hyphen back. Private-use and geometric bullet glyphs become "•" so lists parse the same way
whichever font a report used.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdfium2 as pdfium

from .result import ReportError

# PDFium's FPDF_ERR_* codes, named so the reason a council officer sees is a sentence.
_PDFIUM_REASONS = {
    1: "the PDF could not be read (unknown PDFium error)",
    2: "the file could not be opened",
    3: "the file is damaged or is not a valid PDF",
    4: "the PDF is encrypted (password protected)",
    5: "the PDF uses an unsupported security handler",
    6: "a page of the PDF is damaged",
}

# Symbol and Wingdings glyphs (squares, dots, arrows) arrive in the private-use area.
_SYMBOL_FONT = re.compile("[\uf000-\uf0ff]")

_BULLETS = str.maketrans(
    {
        "\uf0b7": "•",
        "\uf0a7": "•",
        "\uf0d8": "•",
        "\u25fc": "•",
        "\u25aa": "•",
        "\u25a0": "•",
        "\u25cf": "•",
        "\u2022": "•",
        "\u00a0": " ",
        "\u2009": " ",
        "\u200b": "",
    }
)


def load_bytes(source: bytes | str | os.PathLike, filename: str | None) -> tuple[bytes, str]:
    """Return (data, display name) for a path or raw bytes.

    Inputs: ``source`` a path or the file's bytes; ``filename`` the name to use in errors.
    Raises ReportError if the path cannot be read or the input is of the wrong type.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), filename or "<bytes>"
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = filename or path.name
        try:
            return path.read_bytes(), name
        except OSError as error:
            raise ReportError(name, f"cannot read the file ({error.strerror})") from error
    raise ReportError(
        filename or "<unknown>",
        f"expected a path or bytes, got {type(source).__name__}",
    )


def sniff(data: bytes, name: str) -> None:
    """Refuse input that is empty or plainly not a PDF, before PDFium sees it.

    Inputs: ``data`` the file bytes; ``name`` for the error message.
    Raises ReportError naming what the file looks like instead.
    """
    if not data.strip():
        raise ReportError(name, "the file is empty")
    head = data[:1024]
    if b"%PDF-" in head:
        return
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:512]:
        raise ReportError(name, "not a PDF: the file is an HTML web page saved with a PDF name")
    if lowered.startswith(b"<"):
        raise ReportError(name, "not a PDF: the file is XML or markup")
    if head.startswith(b"PK\x03\x04"):
        raise ReportError(name, "not a PDF: the file is a ZIP or Office document")
    raise ReportError(name, "not a PDF: the file has no PDF header")


def clean(text: str) -> str:
    """Return page text with PDFium's line ends, soft hyphens and bullet glyphs normalised."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufffe", "-").replace("\u00ad", "-")
    return _SYMBOL_FONT.sub("•", text.translate(_BULLETS))


def _open_failure(data: bytes, code: int | None) -> str:
    """Return why PDFium could not open ``data``, decided from this file alone.

    PDFium keeps its last error in process-wide state (FPDF_GetLastError), so a code may belong
    to an earlier file: a damaged file read after an encrypted one must not be called encrypted.
    The code is trusted only when the file agrees (an /Encrypt entry for the security codes);
    otherwise an unopenable file with a PDF header is damaged.
    """
    encrypted = b"/Encrypt" in data
    if code in (4, 5) and encrypted:
        return _PDFIUM_REASONS[code]
    if encrypted and code not in (3, 6):
        return _PDFIUM_REASONS[4]
    return _PDFIUM_REASONS[3]


def extract_pages(data: bytes, name: str) -> list[str]:
    """Return the cleaned text of every page of a PDF.

    Inputs: ``data`` PDF bytes (already sniffed); ``name`` for error messages.
    Raises ReportError if the PDF is encrypted, damaged, or has no text at all.
    """
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ReportError(name, _open_failure(data, getattr(error, "err_code", None))) from error
    pages: list[str] = []
    try:
        if len(document) == 0:
            raise ReportError(name, "the PDF has no pages")
        for index in range(len(document)):
            try:
                page = document[index]
                textpage = page.get_textpage()
                pages.append(clean(textpage.get_text_range()))
                textpage.close()
                page.close()
            except pdfium.PdfiumError as error:
                raise ReportError(name, f"page {index + 1} of the PDF is damaged") from error
    finally:
        document.close()
    if not any(p.strip() for p in pages):
        raise ReportError(name, "the PDF has no text layer (a scanned image?), so it cannot be read")
    return pages
