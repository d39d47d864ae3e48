"""The reader's entry point: a report file in, a ReportResult out."""

from __future__ import annotations

import os
import re

from .inspections import inspection_team, lscb_section_start, read_inspection
from .letters import drop_address_block, read_letter
from .pdftext import extract_pages, load_bytes, sniff
from .recommendations import find_recommendations
from .result import ReportError, ReportResult
from .textutil import Line, body_lines, squash

_ASSURANCE = re.compile(r"assurance visit", re.IGNORECASE)
_URN = re.compile(r"\b(?:unique reference number|URN)\s*:?\s*(\d{5,8})\b", re.IGNORECASE)


def read_report(source: bytes | str | os.PathLike, filename: str | None = None) -> ReportResult:
    """Read one Ofsted children's services report and return what it says.

    Inputs: ``source`` a path or the file's bytes; ``filename`` the name used in error
    messages (defaults to the path's name, or "<bytes>").
    Raises ReportError(filename, reason) if the input is empty, not a PDF (for example an
    HTML page saved as .pdf), encrypted, damaged, has no text, or is not an Ofsted report.
    """
    data, name = load_bytes(source, filename)
    sniff(data, name)
    pages = extract_pages(data, name)
    return read_pages(pages, name)


def read_pages(pages: list[str], name: str = "<text>") -> ReportResult:
    """Return the ReportResult for a report's page texts.

    Inputs: ``pages`` the text of each page; ``name`` for error messages.
    Raises ReportError if the text is not an Ofsted local authority report or letter.
    """
    lines = body_lines(pages)
    kind = detect_kind(lines)
    if kind == "inspection" and _standalone_lscb_review(lines):
        raise ReportError(
            name,
            "a stand-alone review of a Local Safeguarding Children Board (LSCB), not a report on a council's "
            "children's services",
        )
    if kind is None:
        raise ReportError(name, "not recognised as an Ofsted children's services report or letter")
    result = ReportResult(kind=kind)
    skip_pages = contents_pages(lines)
    if kind == "inspection":
        read_inspection(lines, result, skip_pages)
        lscb_at = lscb_section_start(lines, skip_pages) if result.framework == "sif" else None
        result.recommendations = find_recommendations(lines, skip_pages, lscb_at)
        if result.framework and not result.recommendations:
            result.warnings.append("no recommendations found")
        result.inspectors = inspection_team(lines, result.lead_inspector)
    else:
        lines = drop_address_block(lines)
        read_letter(lines, result)
        result.recommendations = find_recommendations(lines, skip_pages, None, letter=True)
        if kind == "focused_visit" and _ASSURANCE.search(lines[0].text + _opening(lines)):
            result.warnings.append("an assurance visit (2020-21), recorded as a focused visit")
    urn = _URN.search(" ".join(line.text for line in lines if line.page <= 2))
    result.council_urn = int(urn[1]) if urn else None
    return result


def detect_kind(lines: list[Line]) -> str | None:
    """Return the report's kind from its opening text, or None if it is not an Ofsted report.

    Input: ``lines`` the report body. Titles are checked before letter wording, because
    inspection reports mention earlier visits in their text. Raises nothing.
    """
    first = [line.text for line in lines if line.page == 1]
    head = squash(" ".join(first[:14])).lower().replace("’", "'")
    opening = squash(" ".join(line.text for line in lines if line.page <= 2)).lower().replace("’", "'")
    if "joint targeted area inspection" in head:
        return "jtai"
    titled = any(re.match(r"^(?:re-?)?inspection of(?!.{0,60}visit)", t, re.IGNORECASE) for t in first[:8])
    if titled or any(re.match(r"^inspection dates?\b", t, re.IGNORECASE) for t in first[:15]):
        return "inspection"
    if re.search(r"monitoring visit|action planning visit", head):
        return "monitoring_visit"
    if "focused visit" in head:
        return "focused_visit"
    if re.search(
        r"findings of (?:the|a|an) (?:\w+ )?monitoring visit|monitoring visit to ",
        opening,
    ):
        return "monitoring_visit"
    if re.search(r"findings of (?:the|a|an) focused visit|focused visit to ", opening):
        return "focused_visit"
    if re.search(r"findings of (?:the|an) assurance visit|assurance visit to ", opening):
        return "focused_visit"  # 2020-21 stand-in for focused visits; warned about below
    if re.search(r"joint targeted area inspection|joint inspection of the multi-agency", opening):
        return "jtai"
    if re.search(r"inspection dates?:", opening) and "ofsted" in " ".join(line.text for line in lines).lower():
        return "inspection"
    return None


def _standalone_lscb_review(lines: list[Line]) -> bool:
    """Return True if page 1 opens an LSCB review without the council's inspection."""
    head = squash(" ".join(line.text for line in lines if line.page == 1)[:600]).lower()
    lscb = re.search(r"(?:review|inspection) of the effectiveness of the local safeguarding children", head)
    return bool(lscb) and "children in need of help and protection" not in head


def _opening(lines: list[Line]) -> str:
    """Return the text of the first two pages as one string."""
    return " ".join(line.text for line in lines if line.page <= 2)


def contents_pages(lines: list[Line]) -> set[int]:
    """Return the pages that hold a table of contents (their headings are not sections)."""
    pages = set()
    for index, line in enumerate(lines):
        if line.text.lower() in ("contents", "contents page", "table of contents"):
            pages.add(line.page)
    return pages
