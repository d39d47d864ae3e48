"""Text helpers shared by the parsers: page layout clean-up, grade words and printed dates."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A day, optionally followed by a month and a year: "8", "17 March", "4 July 2016".
_DATE_PART = re.compile(
    rf"(?<![\d£])(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+(?P<month>{_MONTH_WORD})\b\.?)?"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?(?!\d|\s*%)",
    re.IGNORECASE,
)
FULL_DATE = rf"[0-3]?\d(?:st|nd|rd|th)?\s+{_MONTH_WORD}\s+(?:19|20)\d\d"
# Some 2015-16 SIF reports print dates as numbers: "Inspection date: 1/06/2015 – 25/06/2015".
NUMERIC_DATE = r"[0-3]?\d/[01]?\d/(?:19|20)\d\d"
_NUMERIC = re.compile(r"\b([0-3]?\d)/([01]?\d)/((?:19|20)\d\d)\b")
_MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

GRADE_PATTERN = (
    r"(?:inadequate|outstanding|good|adequate"
    r"|requires?\s+improvement(?:\s+to\s+be\s+good)?|requiring\s+improvement)"
)
GRADE_RE = re.compile(rf"\b({GRADE_PATTERN})\b", re.IGNORECASE)

_SPACE = re.compile(r"\s+")
_NUMBER_ONLY = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
_EDGE_DIGITS = re.compile(r"^\s*\d{1,3}\s+|\s+\d{1,3}\s*$")


def squash(text: str) -> str:
    """Return text with every run of whitespace as one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


def grade_key(text: str) -> str | None:
    """Return the grade key for a printed grade ("Requires improvement to be good"), or None."""
    words = squash(text).lower()
    if words.startswith(("requires improvement", "require improvement", "requiring improvement")):
        return "requires_improvement"
    if words in ("outstanding", "good", "adequate", "inadequate"):
        return words
    return None


@dataclass(frozen=True)
class Line:
    """One line of report text and the page (1-based) it was printed on."""

    text: str
    page: int


def body_lines(pages: list[str]) -> list[Line]:
    """Return the report's lines with page numbers and running headers/footers removed.

    Input: ``pages`` the text of each page. A line counts as a running header or footer when,
    ignoring a page number at either end, it appears in the first or last three lines of
    several pages; removing them lets lists and tables that cross a page break read on. Page 1
    keeps them: 2022+ reports repeat their title ("Inspection of X local authority children's
    services") as the running header, and the title is where the council's name is.
    """
    split = [[squash(line) for line in page.split("\n")] for page in pages]
    split = [[line for line in page if line] for page in split]
    edges: Counter[str] = Counter()
    for page in split:
        seen = {_edge_key(line) for line in page[:3] + page[-3:]}
        edges.update(key for key in seen if key)
    threshold = max(2, int(len(split) * 0.3))
    running = {key for key, count in edges.items() if count >= threshold}
    lines: list[Line] = []
    for number, page in enumerate(split, start=1):
        last = len(page) - 1
        for index, line in enumerate(page):
            at_edge = index < 3 or index > last - 3
            if at_edge and (_NUMBER_ONLY.match(line) or (number > 1 and _edge_key(line) in running)):
                continue
            lines.append(Line(line, number))
    return lines


def _edge_key(line: str) -> str:
    """Return a header/footer line without its page number, for counting repeats."""
    return squash(_EDGE_DIGITS.sub(" ", line)).lower()


def _spelled(match: re.Match) -> str:
    """Return a day-first numeric date ("1/06/2015") as words ("1 June 2015"), or it unchanged."""
    month = int(match[2])
    return f"{int(match[1])} {_MONTH_NAMES[month]} {match[3]}" if 1 <= month <= 12 else match[0]


def parse_date(text: str) -> datetime.date | None:
    """Return the first full date ("16 August 2013") in text, or None."""
    start, _ = parse_date_range(text)
    return start


def parse_date_range(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    """Return (first, last) dates of a printed range such as "17 to 28 June 2019".

    Input: ``text`` the phrase holding the range; days without a month or year take them
    from the next date printed after them ("8 – 12 July 2013"). Returns (None, None) when no
    date with a year is present; a range that would end before it starts gives (None, None).
    """
    text = _NUMERIC.sub(_spelled, text)
    parts = []
    for match in _DATE_PART.finditer(text):
        day = int(match["day"])
        if not 1 <= day <= 31:
            continue
        month = MONTHS[match["month"][:3].lower()] if match["month"] else None
        year = int(match["year"]) if match["year"] else None
        if month is None and year is None and parts and parts[-1][2] is not None:
            break  # a stray number after a complete date is not part of the range
        parts.append([day, month, year])
        if year is not None and len(parts) >= 2:
            break
        if year is not None and not re.match(
            r"\s*(?:-|–|—|to|and|until|till)\s*\d", text[match.end() :], re.IGNORECASE
        ):
            break
    parts = [p for p in parts]
    if not parts or parts[-1][2] is None or parts[-1][1] is None:
        return None, None
    for earlier, later in zip(reversed(parts[:-1]), reversed(parts[1:])):
        if earlier[1] is None:
            earlier[1] = later[1]
        if earlier[2] is None:
            earlier[2] = later[2]
            if earlier[1] > later[1]:  # "29 December to 2 January 2015"
                earlier[2] = later[2] - 1
    try:
        dates = [datetime.date(p[2], p[1], p[0]) for p in (parts[0], parts[-1])]
    except ValueError:
        return None, None
    if dates[1] < dates[0]:
        return None, None
    return dates[0], dates[1]
