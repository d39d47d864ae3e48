"""Tables as CSV and Excel files that state when they were made and where the data comes from.

Pure: a `Sheet` (headers and rows of plain values) in, bytes out. Every text cell that a
spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return) gets a
leading apostrophe, in CSV and Excel alike, so a report's text can never run as a formula.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

import tablib

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SOURCE = (
    "Ofsted judgement tracker. Inspection reports and letters are published by Ofsted "
    "(reports.ofsted.gov.uk); earlier history from a public third-party extraction of Ofsted reports."
)


@dataclass
class Sheet:
    """One table of a download: a title, column headers and rows of plain values (str, int, date, None)."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def neutralise(value):
    """A cell value safe to open in a spreadsheet: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


def preamble(*, title, as_at):
    """The lines that open every file: what it is, the "as at" date and the source."""
    return [
        [title],
        ["As at", as_at.isoformat()],
        ["Source", SOURCE],
    ]


def to_csv(sheet, *, as_at):
    """The sheet as UTF-8 CSV (with a byte-order mark, so Excel reads accents): three lines saying
    what it is, as at when and from where, a blank line, then the header row and the data."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    for line in preamble(title=sheet.title, as_at=as_at):
        writer.writerow([_cell(v) for v in line])
    writer.writerow([])
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def to_xlsx(sheet, *, as_at):
    """The sheet as an Excel workbook: the data on its own sheet (real dates, clean header row) and
    an "About" sheet with the "as at" date, the source and what the codes mean."""
    data = tablib.Dataset(headers=sheet.headers, title=sheet.title[:31])
    for row in sheet.rows:
        data.append([neutralise(v) if v is not None else "" for v in row])
    about = tablib.Dataset(headers=["", ""], title="About")
    for line in preamble(title=sheet.title, as_at=as_at):
        about.append((line + [""])[:2])
    for term, meaning in sheet.notes:
        about.append([neutralise(term), neutralise(meaning)])
    return tablib.Databook([data, about]).export("xlsx")
