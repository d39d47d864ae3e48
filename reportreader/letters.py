"""Read ungraded letters: monitoring visits, focused visits and joint targeted area inspections.

Letters carry no grades, so only the council, the visit dates, the signing inspector and the
area the visit looked at are read. The letter's own date is when it was sent, not published,
so ``published_date`` stays None.
"""

from __future__ import annotations

import re

from .inspections import clean_name
from .result import ReportResult
from .textutil import Line, parse_date_range, squash

_COUNCIL = (
    (
        r"(?:monitoring|focused|assurance|action planning) visit (?:to|of|at) (?:the )?(.+?)(?: local authority)?"
        r" children['’]s (?:social care )?services"
    ),
    r"(?:monitoring|focused|assurance) visit (?:to|of|at) (?:the )?(.+?)(?: council)?\s*(?:[.:]|$)",
)
_DATES = (
    r"(?:visit|inspection)[^.]{0,160}? (?:on|between|from) ((?:\d{1,2}\s+)[^.]{0,60}?(?:19|20)\d\d)",
    r"\b(?:between|from) (\d{1,2}\s[^.]{0,60}?(?:19|20)\d\d),? (?:Ofsted|the|inspectors|HMI)",
    r"(?:carried out|took place|undertaken|visited)[^.]{0,60}? (?:on|between|from) (\d{1,2}\s[^.]{0,60}?(?:19|20)\d\d)",
)
_FOCUS = (
    r"the focus of (?:the|this) (?:monitoring |focused )?visit was (?:on )?(.+?)(?:\.\s|, namely|, in particular|$)",
    r"(?:this|the) (?:monitoring |focused )?visit (?:focused|looked|concentrated) (?:on|at) (.+?)(?:\.\s|$)",
    (
        r"inspectors (?:reviewed|considered|evaluated|assessed) the progress (?:made )?"
        r"(?:by the local authority )?in (?!the following)(?:the areas? of )?(.+?)(?:\.\s|:|$)"
    ),
    r"inspectors (?:looked at|evaluated|reviewed|considered) (.+?)(?:\.\s|:|$)",
)

# Where a focus phrase turns into detail: "care leavers, in particular ...".
_FOCUS_TAIL = r",? (?:specifically|in particular|including|namely|focusing on|such as)\b"


def read_letter(lines: list[Line], result: ReportResult) -> None:
    """Fill ``result`` with a letter's council, dates, lead inspector and focus.

    Inputs: ``lines`` the letter body; ``result`` (kind already set) to fill in place.
    Unknown values stay None and add a warning. Raises nothing.
    """
    front = squash(" ".join(line.text for line in lines if line.page <= 2))
    if result.kind == "jtai":
        _read_jtai_title(lines, result)
    else:
        for pattern in _COUNCIL:
            match = re.search(pattern, front, re.IGNORECASE)
            if match and len(match[1]) < 80:
                result.council_name = squash(match[1])
                break
        for pattern in _FOCUS:
            match = re.search(pattern, front, re.IGNORECASE)
            if match and 3 < len(match[1]) < 400:
                focus = re.split(_FOCUS_TAIL, squash(match[1]), maxsplit=1)[0]
                result.focus = focus.rstrip(" ,;")
                break
    for pattern in _DATES:
        match = re.search(pattern, front, re.IGNORECASE)
        if match:
            start, end = parse_date_range(match[1])
            if start:
                result.start_date, result.end_date = start, end
                break
    result.lead_inspector = _lead_inspector(lines, result.kind)
    for name, value in (
        ("council name", result.council_name),
        ("visit dates", result.start_date),
        ("lead inspector", result.lead_inspector),
        ("focus of the visit", result.focus),
    ):
        if value is None:
            result.warnings.append(f"{name} not found")
    result.warnings.append("publication date not printed in the letter")


def _read_jtai_title(lines: list[Line], result: ReportResult) -> None:
    """Read the focus and area from a JTAI title ("... response to X in Y")."""
    texts = [line.text for line in lines if line.page <= 2]
    for index, text in enumerate(texts):
        if re.match(r"^Joint targeted area inspection", text, re.IGNORECASE):
            title = text
            for more in texts[index + 1 : index + 4]:
                if re.match(r"^(?:This|Between|From|Dear|\d)", more) or len(title) > 250:
                    break
                title += " " + more
            match = re.search(r"response to (.+) in (.+?)\.?$", squash(title), re.IGNORECASE)
            if match:
                result.focus, result.council_name = match[1], match[2]
            else:
                match = re.search(r"inspection of (.+?)\.?$", squash(title), re.IGNORECASE)
                result.council_name = match[1] if match else None
            return
    match = re.search(
        r"multi-agency response to (.+?) in ([A-Z][^.,]{2,60}?)[.,]",
        squash(" ".join(texts)),
    )
    if match:
        result.focus, result.council_name = match[1], match[2]


def _lead_inspector(lines: list[Line], kind: str) -> str | None:
    """Return the lead inspector named in the letter, or its signing inspector for visits."""
    for line in lines:
        match = re.match(r"^Lead inspector:?\s*(.+)$", line.text, re.IGNORECASE)
        if match:
            return clean_name(match[1])
    if kind == "jtai":
        return None  # JTAI letters are signed by the inspectorates' directors, not the lead
    for index, line in enumerate(lines):
        if re.match(r"^Yours (?:sincerely|faithfully)", line.text, re.IGNORECASE):
            for following in lines[index + 1 : index + 3]:
                name = clean_name(following.text)
                if name:
                    return name
    return None
