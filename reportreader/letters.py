"""Read ungraded letters: monitoring visits, focused visits and joint targeted area inspections.

Letters carry no grades. Read: the council, the visit dates, the letter's date (Ofsted publishes
a visit letter on the day it is dated, so that is its publication date), every inspector named
(the one who signs first: the lead), what the visit looked at (its sentence and a key from
``FOCUS_KEYS``) and its points for improvement (see ``recommendations``).

The 2020-21 COVID-19 period's whole-service visits (autumn 2020 letters that open "Her Majesty's
Chief Inspector ... is leading Ofsted's work into how England's social care system has delivered
child-centred practice", and the 2021 ones that "looked at the quality and impact of key
decision-making across help and protection, children in care and care leavers") are listed with
focused visits and get the key ``assurance_visit``.
"""

from __future__ import annotations

import datetime
import re

from .inspections import clean_name
from .result import ReportResult
from .textutil import FULL_DATE, Line, parse_date, parse_date_range, squash

# "Focused visit to X children's services" (X never starts "children's": Camden 2023's heading
# leaves its name out), then a children's trust, then the heading alone.
_COUNCIL = (
    r"(?:monitoring|focused|assurance|action planning) visit (?:to|of|at) (?:the )?(?!children)((?:(?! visit ).)+?)"
    r"(?: local authority)? children['’]s (?:social care )?services",
    r"(?:monitoring|focused|assurance) visit (?:to|of|at) (?:the )?(.+?) Children['’]s Trust\b",
    r"(?:monitoring|focused|assurance) visit (?:to|of|at) (?:the )?(.+?)(?: council)?\s*(?:[.:]|$)",
)
_DATES = (
    r"(?:visit|inspection)[^.]{0,160}? (?:on|between|from) (?:the )?"
    r"((?:\d{1,2}(?:\s+|\s*[–-]\s*))[^.]{0,60}?(?:19|20)\d\d)",
    r"\b(?:between|from) (\d{1,2}\s[^.]{0,60}?(?:19|20)\d\d),? (?:Ofsted|the|inspectors|HMI)",
    r"(?:carried out|took place|undertaken|visited)[^.]{0,60}? (?:on|between|from) (\d{1,2}\s[^.]{0,60}?(?:19|20)\d\d)",
)
_FOCUS = (
    r"the focus of (?:the|this) (?:monitoring |focused )?visit was (?:on )?(.+?)(?:\.\s|, namely|$)",
    r"(?:this|the) (?:monitoring |focused )?visit (?:focused|looked|concentrated) (?:on|at) (.+?)(?:\.\s|$)",
    r"(?:the )?inspectors focused on (?:the local authority['’]s )?(?:arrangements (?:for|at) )?(.+?)(?:\.\s|$)",
    (
        r"inspectors (?:reviewed|considered|evaluated|assessed) the progress (?:made )?"
        r"(?:by the local authority )?in (?!the following)(?:the areas? of )?(.+?)(?:\.\s|:|$)"
    ),
    (
        r"inspectors (?:looked at|evaluated|reviewed|considered|focused on) (?:the local authority['’]s )?"
        r"(?:arrangements (?:for|at|and support for|to support) )?(?!a range of evidence)(.+?)(?:\.\s|:|$)"
    ),
)
# The autumn 2020 letters' opening paragraph, in place of a focus sentence.
_COVID_PREAMBLE = re.compile(r"is leading Ofsted['’]s work into how England['’]s social care system", re.IGNORECASE)
_WHOLE_SERVICE = re.compile(
    r"(?:key )?decision-making (?:across|in) help and protection, children in care and", re.IGNORECASE
)

# (key, pattern) tried in order on the focus phrase's main clause, then on the whole phrase.
_FOCUS_RULES = (
    (
        "front_door",
        r"front[ -]door|contacts? and referrals?|first point of contact|\bmash\b|multi-agency safeguarding hub"
        r"|receiving referrals|contact, referral",
    ),
    ("extra_familial_harm", r"extra-familial|adolescents|exploitation"),
    ("care_leavers", r"care leavers|care-experienced|care experienced|leaving care|leave care|moving into adulthood"),
    ("permanence", r"permanen"),
    ("children_in_care", r"children in care|looked after|into care|placement|matching"),
    (
        "children_in_need",
        r"children in need|child in need|child protection|help and protection|protection plan"
        r"|pre-proceedings|private fostering|safeguarding concerns",
    ),
    ("disabled_children", r"disabled children|disabilit"),
    ("edge_of_care", r"edge of care"),
)
# Where a focus phrase turns into detail: "care leavers, in particular ...".
_FOCUS_TAIL = (
    r",? (?:specifically|in particular|including|namely|focusing on|such as|with a (?:particular|specific) focus)\b"
)
# A narrower focus named inside the sentence wins: "..., with a specific focus on disabled children".
_SPECIFIC_FOCUS = re.compile(r"(?:particular|specific|primary) focus (?:on|upon)\b(.*)$", re.IGNORECASE)
_NEGATED = re.compile(r",? (?:and |but )?(?:(?:did|does|do|was|were) not|not including|excluding)\b")
_SPECIFIC_RULES = (("disabled_children", r"disabled"), ("edge_of_care", r"edge of care"))

_INSPECTOR_SENTENCE = re.compile(
    r"(?:(?:Her|His) Majesty['’]s [Ii]nspectors?(?: \(HMI\))?(?: for (?:this|the) visit)? (?:were|was)"
    r"|The (?:lead )?inspectors? (?:were|was)|The visit was (?:carried out|conducted|undertaken|led) by"
    r"|carried out by|conducted by|undertaken by)\s+(.{3,400}?)(?:\.\s|\.$|$"
    r"|\s(?=Inspectors (?:looked|evaluated|considered|reviewed)|The (?:visit|focus|method)))",
)
_NOT_A_NAME = re.compile(
    r"\b(?:(?:Her|His) Majesty['’]s Inspectors?|HMIs?|\(HMI\)|all of whom are|two of|three of|both"
    r"|Ofsted|inspectors?|Social Care Regulatory|lead|team|Senior HMI|Regulatory Inspection Manager)\b",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"^,?(?:Ofsted|Piccadilly Gate|Store Street|Manchester(?: M1 2WD)?|M1 2WD|T 0300 123 1231"
    r"|Textphone 0161 618(?: 8524)?|8524|enquiries@ofsted\.gov\.uk|www\.gov\.uk[/.]ofsted"
    r"|Agora|6 Cumberland Place|Nottingham|NG1 6HJ"
    r"|T 0300 123 4234)$"
)


def drop_address_block(lines: list[Line]) -> list[Line]:
    """Return a letter's lines without Ofsted's address block, which page 1 prints mid-list."""
    return [line for line in lines if not (line.page == 1 and _ADDRESS.match(line.text))]


def read_letter(lines: list[Line], result: ReportResult) -> None:
    """Fill ``result`` with a letter's council, dates, date of publication, inspectors and focus.

    Inputs: ``lines`` the letter body (address block dropped); ``result`` (kind already set)
    to fill in place. Unknown values stay None and add a warning. Raises nothing.
    """
    front = squash(" ".join(line.text for line in lines if line.page <= 2))
    if result.kind == "jtai":
        _read_jtai_title(lines, result)
    else:
        result.council_name = _council_name(front)
        _read_focus(front, result)
    for pattern in _DATES:
        match = re.search(pattern, front, re.IGNORECASE)
        if match:
            start, end = parse_date_range(re.sub(r"(\d)\s+of\s+", r"\1 ", match[1]))  # "15 and 16 of May"
            if start:
                result.start_date, result.end_date = start, end
                break
    result.published_date = _letter_date(lines, result)
    if result.start_date is None and result.published_date:
        _dates_without_year(front, result)
    result.inspectors = _inspectors(front, lines, result.kind)
    result.lead_inspector = result.inspectors[0] if result.inspectors else None
    for name, value in (
        ("council name", result.council_name),
        ("visit dates", result.start_date),
        ("date of the letter", result.published_date),
        ("lead inspector", result.lead_inspector),
        ("focus of the visit", result.focus_key if result.kind == "focused_visit" else True),
    ):
        if value is None:
            result.warnings.append(f"{name} not found")


def _council_name(front: str) -> str | None:
    """Return the council named in "Focused visit to X children's services" (first fitting match).

    A visit to a children's trust names the council the trust works for ("Sandwell").
    """
    for pattern in _COUNCIL:
        for match in re.finditer(pattern, front, re.IGNORECASE):
            name = re.sub(r"['’]s$", "", squash(match[1]))  # "visit to Durham's children's services"
            if len(name) < 80 and not re.match(r"children['’]s\b", name, re.IGNORECASE):
                return name
    return None


def _dates_without_year(front: str, result: ReportResult) -> None:
    """Read visit dates printed without a year ("on 30 and 31 January.") in the letter's year.

    The visit precedes the letter, so a month after the letter's month is in the year before.
    """
    match = re.search(
        r"visit[^.]{0,160}? on (?:the )?(\d{1,2}(?:\s*(?:and|to|[–-])\s*\d{1,2})?\s+(?:of\s+)?[A-Z][a-z]+)\b"
        r"(?!\s+(?:19|20)\d\d)",
        front,
    )
    if not match:
        return
    letter = result.published_date
    start, end = parse_date_range(f"{match[1]} {letter.year}")
    if start and end and end > letter:
        start, end = parse_date_range(f"{match[1]} {letter.year - 1}")
    if start:
        result.start_date, result.end_date = start, end
        result.warnings.append("visit dates printed without a year; the letter's year used")


def _letter_date(lines: list[Line], result: ReportResult) -> datetime.date | None:
    """Return the date the letter is dated (its publication date), from page 1 before "Dear".

    A letter dated before its own visit carries a mistyped year (Dudley's January 2020 letter
    says "21 January 2019"); the next year is used when that puts it within four months after
    the visit, with a warning, and otherwise no date.
    """
    for line in lines:
        if line.page > 1 or line.text.startswith("Dear"):
            break
        if re.fullmatch(FULL_DATE, line.text, re.IGNORECASE):
            dated = parse_date(line.text)
            visit_end = result.end_date or result.start_date
            if dated and visit_end and dated < visit_end:
                try:
                    corrected = dated.replace(year=dated.year + 1)
                except ValueError:
                    corrected = None
                if corrected and visit_end <= corrected <= visit_end + datetime.timedelta(days=120):
                    result.warnings.append(f"letter dated {line.text}, before the visit; read as {corrected:%-d %B %Y}")
                    return corrected
                result.warnings.append(f"letter dated {line.text}, before the visit; date not used")
                return None
            return dated
    return None


def _inspectors(front: str, lines: list[Line], kind: str) -> list[str]:
    """Return every inspector the letter names, the signing (lead) inspector first."""
    names: list[str] = []
    match = _INSPECTOR_SENTENCE.search(front)
    if match:
        text = re.sub(r"\([^)]*\)", " ", match[1])
        for part in re.split(r",|\band\b|;", text):
            part = squash(_NOT_A_NAME.sub(" ", part))
            name = clean_name(part) if part else None
            if name and len(name.split()) >= 2 and name not in names:
                names.append(name)
    lead = _lead_inspector(lines, kind)
    if lead:
        names = [lead] + [name for name in names if name != lead]
    return names


def _read_focus(front: str, result: ReportResult) -> None:
    """Set the focus phrase and its key; whole-service COVID-19 visits get ``assurance_visit``."""
    # Patterns are tried in order of trust; a sentence naming no focus we know ("Inspectors focused
    # on children living at home ..., and did not include ... care leavers") gives way to the next
    # one that does, and is kept only when none does.
    chosen = None
    for pattern in _FOCUS:
        match = re.search(pattern, front, re.IGNORECASE)
        if match and 3 < len(match[1]) < 400:
            focus = re.split(_FOCUS_TAIL, squash(match[1]), maxsplit=1)[0].rstrip(" ,;")
            specific = _specific_key(match[1]) if match[1] != focus else None
            chosen = chosen or (focus, specific)
            if specific or focus_key(focus):
                chosen = (focus, specific)
                break
    if chosen:
        result.focus = chosen[0]
        if result.kind == "focused_visit":
            result.focus_key = chosen[1]
    # 2018 letters: "Inspectors considered ... children who need help and protection ...
    # Specifically, inspectors looked at the 'front door' arrangements": when the first sentence
    # names only help and protection, a narrower second sentence that names a focus is the focus.
    specifically = re.search(
        r"\. Specifically, (?:inspectors|they) (?:looked at|considered|focused on|evaluated|reviewed) (.+?)(?:\.\s|$)",
        front,
    )
    main_key = focus_key(result.focus) if result.focus else None
    if specifically and result.kind == "focused_visit" and main_key in (None, "children_in_need"):
        narrower = focus_key(specifically[1])
        if narrower and narrower != main_key:
            result.focus = squash(specifically[1])
            result.focus_key = narrower
    if result.kind != "focused_visit":
        return
    if _WHOLE_SERVICE.search(front) or (result.focus is None and _COVID_PREAMBLE.search(front)):
        result.focus_key = "assurance_visit"
        if result.focus is None:
            result.focus = "help and protection, children in care and care leavers (whole-service visit)"
        return
    if result.focus and result.focus_key is None:
        result.focus_key = focus_key(result.focus)


def focus_key(focus: str) -> str | None:
    """Return the FOCUS_KEYS key for a focus phrase, or None if none fits.

    A narrower focus named in the phrase ("with a specific focus on disabled children") wins;
    otherwise the phrase's main clause (before "including", "with", ";", ":") decides, then the
    whole phrase.
    """
    # What a visit did not look at names no focus: "..., and did not include care leavers".
    lowered = _NEGATED.split(focus.lower().replace("’", "'"), maxsplit=1)[0]
    specific = _specific_key(lowered)
    if specific:
        return specific
    main = re.split(
        r",? (?:including|with|specifically|in particular|and (?:the )?(?:specifically|in particular))\b|[;:•]", lowered
    )[0]
    for text in (main, lowered):
        for key, pattern in _FOCUS_RULES:
            if re.search(pattern, text):
                return key
    return None


def _specific_key(focus: str) -> str | None:
    """Return the key of a narrower focus the phrase names ("with a specific focus on ..."), or None."""
    specific = _SPECIFIC_FOCUS.search(focus.lower())
    if specific:
        for key, pattern in _SPECIFIC_RULES:
            if re.search(pattern, specific[1]):
                return key
    return None


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
                name = clean_name(following.text.rstrip("."))
                if name:
                    return name
    return None
