"""Find the lists of what must improve in a report or letter and split them into items.

Layouts met in the corpus (2012-2024):
- ILACS reports: "What needs to improve?" then bullets.
- Focused-visit letters: "Areas for priority action" (priority) and "What needs to improve in this
  area of social work practice?", each with bullets.
- SIF reports: "Recommendations" or "What does the local authority need to improve?", with
  numbered paragraphs that continue the report's numbering (Bromley's LSCB list is 114-118),
  optionally split under "Priority and immediate action" (priority) / "Areas for improvement" and
  topic sub-headings ("Help and protection", "Adoption"); some number topic groups and bullet
  the items under them (Slough 2016); the LSCB gets its own list, sometimes bulleted.
- 2009-2013 reports: a numbered introduction ("the local authority should take the following
  action."), then bullets under "Immediately:" (priority), "Within three months:" and so on.
A list ends at a known section heading, or at a heading-like line that is not followed by the
list's next number or bullet. Numbered items must count up by one.
"""

from __future__ import annotations

import re

from .result import Recommendation
from .textutil import Line

_LIST_HEADING = re.compile(
    r"^(?:recommendations|what needs to improve(?: in this area(?: of (?:social work )?practice)?)?\s*[?:]?"
    r"|areas? for (?:improvement|priority action)|priority and immediate action"
    r"|what does the (?:local authority|lscb|board|council) need to improve\s*\??"
    r"|the local authority needs to take swift and decisive action to improve the following)\s*\d?\s*:?$",
    re.IGNORECASE,
)
_LSCB_HEADING = re.compile(r"\b(?:lscb|board)\b", re.IGNORECASE)
# Lines inside a list that set whether the items after them are priority actions.
_PRIORITY_ON = re.compile(
    r"^(?:priority and immediate action|areas? for priority action|immediately)\s*[:.]?$", re.IGNORECASE
)
_PRIORITY_OFF = re.compile(
    r"^(?:areas for improvement|within (?:\w+\s*){1,3}|in the (?:longer|medium|short) term"
    r"|what needs to improve(?: in this area(?: of (?:social work )?practice)?)?\s*\??|recommendations)\s*[:.]?$",
    re.IGNORECASE,
)
# "• There are no areas for priority or immediate action." is not an item.
_NONE_FOUND = re.compile(
    r"did not (?:find|identify) any (?:areas|priority)"
    r"|\bno (?:areas|recommendations) (?:of|for) (?:priority|immediate)",
    re.IGNORECASE,
)
# Section headings that certainly end a list.
_SECTION = re.compile(
    r"^(?:The experiences and progress|The impact of leaders|Overall effectiveness"
    r"|Summary for children|Information about|Inspection (?:judgements?|findings)"
    r"|The local authority has the following strengths|The (?:[Ll]ocal [Aa]uthority|LSCB)['’]s strengths"
    r"|Key strengths|Executive summary|Summary of findings|Progress since|The Local Safeguarding"
    r"|Section \d|Record of main|What the inspection|Contents|Yours sincerely|Next steps"
    r"|Main findings|Findings|Headline findings|Overview|Inspection judgement about"
    r"|Ofsted will take the findings)",  # a letter's closing sentence after its last bullet
)
# Section headings of 2009-2013 reports that SIF lists also use as topic sub-headings
# ("Outcomes for care leavers"): they end a list only if its numbering does not go on after them.
_TOPIC = re.compile(
    r"^(?:Outcomes for|Quality of provision|Leadership and management|Capacity (?:to|for) improve"
    r"|Ambition and|Partnership working|Equality and diversity|Performance management"
    r"|Safeguarding services|Services for looked after|Being healthy|Staying safe"
    r"|Enjoying and|Making a positive|Economic well|Areas of strength)",
)
_INTRO = re.compile(
    r"(?:should|must|needs? to) take the following (?:action|steps)|following (?:action|areas)[.:]?\s*$"
    r"|^in order to improve",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(\d{1,3})\.\s*([A-Z(‘'].*)$")
_BULLET = re.compile(r"^[•–-]\s*(\S.*)$")
_SENTENCE_END = re.compile(r"[.;!?)’'\"”]$")
# A line ending like this runs on into the next: it is prose, not a heading.
_OPEN_END = re.compile(r"\b(?:to|of|the|and|for|in|a|an|that|with|on|by|or|are|is|be|from|their|its)$", re.IGNORECASE)
# "... return interviews. Areas for improvement": a heading glued to the end of an item's line.
_GLUED_HEADING = re.compile(r"\s+(Areas for improvement|Priority and immediate action)$")


def find_recommendations(
    lines: list[Line], skip_pages: set[int], lscb_start: int | None, letter: bool = False
) -> list[Recommendation]:
    """Return every recommendation in report order, with who it is addressed to and its priority.

    Inputs: ``lines`` the report body; ``skip_pages`` pages (contents) whose headings are not
    real; ``lscb_start`` index of the first line of a SIF report's LSCB section, or None.
    A list is the LSCB's when its heading names the LSCB or board, or when it starts in the LSCB
    section after the council's list. Raises nothing.
    """
    found: list[Recommendation] = []
    headings: list[str] = []  # each item's list heading
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.page not in skip_pages and _LIST_HEADING.match(line.text):
            first = _misplaced_list_start(lines, index)
            items, end = parse_list(lines, index, first)
            if first is not None and end >= index:  # not a list ended by a section before the heading
                items, end = parse_list(lines, index)
            if items:
                lscb = bool(_LSCB_HEADING.search(line.text)) or (
                    lscb_start is not None and index >= lscb_start and bool(found)
                )
                to = "lscb" if lscb else "council"
                found.extend(Recommendation(text, to, priority) for text, priority in items)
                headings.extend(line.text.lower() for _ in items)
                index = max(end, index + 1)
                continue
        index += 1
    if letter and any(not heading.startswith("areas for improvement") for heading in headings):
        # Letters of 2018-19 also title a part of their findings "Areas for improvement"; with a
        # "What needs to improve" (or priority action) list present, those bullets are findings.
        found = [rec for rec, heading in zip(found, headings) if not heading.startswith("areas for improvement")]
    return found


def _misplaced_list_start(lines: list[Line], heading: int) -> int | None:
    """Return where a list begins when PDFium read its heading after it, else None.

    PDFium sometimes puts a heading printed at the top of a page at the end of that page's text
    (Redbridge 2016: the LSCB's "Recommendations"); then the page's first line is the first
    numbered item and the heading is the page's last line.
    """
    page = lines[heading].page
    if heading + 1 < len(lines) and lines[heading + 1].page == page:
        return None
    first = next(i for i in range(heading, -1, -1) if i == 0 or lines[i - 1].page != page)
    return first if first < heading and _NUMBERED.match(lines[first].text) else None


def parse_list(lines: list[Line], heading: int, first: int | None = None) -> tuple[list[tuple[str, bool]], int]:
    """Return ([(item text, priority)], index after the list) for the list under ``heading``.

    Inputs: ``lines`` the report body; ``heading`` the index of the list's heading line;
    ``first`` where its items begin when that is not the next line. Raises nothing.
    """
    items: list[tuple[list[str], bool]] = []
    current: list[str] | None = None
    numbered = False  # the current item is a numbered paragraph
    takes_bullets = False  # ... which ended its text with ":", so bullets after it belong to it
    absorbing = False  # ... and bullets have started: they all belong to it
    last_number: int | None = None
    may_restart = False
    priority = bool(_PRIORITY_ON.match(lines[heading].text))
    lead_in = 0
    index = heading + 1 if first is None else first
    while index < len(lines):
        text = lines[index].text
        glued = _GLUED_HEADING.search(text)
        if glued and current is not None:
            text = text[: glued.start()]
        number = _NUMBERED.match(text)
        bullet = _BULLET.match(text)
        if bullet and _NONE_FOUND.search(text):
            current = None
        elif bullet:
            if current is not None and numbered and takes_bullets:
                current.append(bullet[1])
                absorbing = True
            else:
                current, numbered = [bullet[1]], False
                items.append((current, priority))
        elif number and _follows(int(number[1]), last_number, may_restart) and not _SECTION.match(number[2]):
            may_restart = False
            last_number = int(number[1])
            body = number[2]
            if _NONE_FOUND.search(body):
                current = None  # "18. There are no areas for priority or immediate action."
            elif _group_heading(body, lines, index):
                current = None  # "1. Quality and effectiveness of practice", bullets follow
            elif _INTRO.search(body) or (_ends_intro(lines, index)):
                current = None  # "22. In order to improve ... the following action." introduces bullets
                index = _skip_paragraph(lines, index)
                continue
            else:
                current, numbered = [body], True
                takes_bullets, absorbing = not _SENTENCE_END.search(_without_reference(body)), False
                items.append((current, priority))
        elif _PRIORITY_ON.match(text) or _PRIORITY_OFF.match(text) or _NONE_FOUND.search(text):
            if _PRIORITY_ON.match(text):
                priority = True
            elif _PRIORITY_OFF.match(text):
                priority = False
            current, may_restart = None, True  # numbering may restart under the new group
        elif _SECTION.match(text):
            break
        elif _TOPIC.match(text) or (
            current is not None and _heading_like(text, current) and not _runs_on(lines, index)
        ):
            expected = last_number if numbered or may_restart else None
            if _list_goes_on(lines, index, expected, not numbered, bool(items), may_restart):
                current = None  # a topic sub-heading inside the list
            elif current is not None and numbered and _next_number_soon(lines, index, last_number):
                current.append(text)  # a sentence of the item that happens to look like a heading
            else:
                break
        elif current is not None:
            current.append(text)
            if not absorbing:  # once its bullets have begun, the rest of them are its own too
                takes_bullets = numbered and not _SENTENCE_END.search(_without_reference(text))
        elif items and _heading_like(text, ["."]):
            if not _list_goes_on(lines, index, last_number, True, True, may_restart):
                break
        elif items:
            break  # prose after a finished list
        else:
            lead_in += 1
            if text.endswith(":") and _BULLET.match(lines[index + 1].text if index + 1 < len(lines) else ""):
                lead_in = 0  # "... the following areas for improvement have been identified:" then bullets
            elif lead_in > 4 and _introduces_bullets(lines, index):
                pass
            elif lead_in > 4 or (
                lead_in > 1 and _heading_like(text, ["."]) and not _list_goes_on(lines, index, None, True, False)
            ):
                break
        if glued and current is not None:
            priority = glued[1].lower().startswith("priority")
            current = None
        index += 1
    texts = [(" ".join(parts).strip(), flag) for parts, flag in items]
    return [(text, flag) for text, flag in texts if text], index


def _introduces_bullets(lines: list[Line], index: int) -> bool:
    """Return True if the paragraph at ``index`` ends, within ten lines, in ":" and a bullet."""
    for ahead in range(index, min(index + 10, len(lines) - 1)):
        if _SECTION.match(lines[ahead].text) or _BULLET.match(lines[ahead].text):
            return False
        if lines[ahead].text.endswith(":"):
            return bool(_BULLET.match(lines[ahead + 1].text))
    return False


def _heading_like(text: str, current: list[str]) -> bool:
    """Return True if a line after a finished item reads as a heading, not more of the item."""
    if not _SENTENCE_END.search(current[-1]) or _OPEN_END.search(text):
        return False
    return len(text) < 75 and text[:1].isupper() and not re.search(r"[.,;:]$", text)


def _next_number_soon(lines: list[Line], index: int, last_number: int | None) -> bool:
    """Return True if the list's next number follows within six lines, before any section heading."""
    if last_number is None:
        return False
    for ahead in lines[index + 1 : index + 7]:
        if _SECTION.match(ahead.text) or _LIST_HEADING.match(ahead.text):
            return False
        number = _NUMBERED.match(ahead.text)
        if number:
            return int(number[1]) == last_number + 1
    return False


def _runs_on(lines: list[Line], index: int) -> bool:
    """Return True if the next line continues this one's sentence (it starts in lower case)."""
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    return following[:1].islower() or following[:1] == "("


def _follows(number: int, last_number: int | None, may_restart: bool) -> bool:
    """Return True if ``number`` continues the list: the next number, or 1 after a group heading."""
    return last_number is None or number == last_number + 1 or (may_restart and number == 1)


def _list_goes_on(
    lines: list[Line],
    index: int,
    last_number: int | None,
    bullets: bool,
    started: bool = True,
    may_restart: bool = False,
) -> bool:
    """Return True if, within two more heading lines, the list's next number (or a bullet) follows.

    Before the first item (``started`` False) any number will do.
    """
    for ahead in lines[index + 1 : index + 3]:
        number = _NUMBERED.match(ahead.text)
        if number:
            if not started:
                return True
            return last_number is not None and _follows(int(number[1]), last_number, may_restart)
        if _BULLET.match(ahead.text):
            return bullets
        if not (len(ahead.text) < 75 and not re.search(r"[.,;]$", ahead.text)):
            return False
    return False


def _group_heading(body: str, lines: list[Line], index: int) -> bool:
    """Return True for a numbered topic title whose items are the (capitalised) bullets under it.

    "3. Children who go missing or who are at risk of child sexual exploitation" then
    "• With key partners, take decisive action ..." (Slough 2016) is a group; "16. ... looked
    after by: (paragraph 150)" then "• reviewing the use of ..." is one item with its parts.
    """
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    bullet = _BULLET.match(following)
    return (
        len(body) < 120
        and not re.search(r"[.;:!?]$", _without_reference(body))
        and bool(bullet)
        and bullet[1][:1].isupper()
    )


def _without_reference(text: str) -> str:
    """Return text without a trailing "(paragraph 150)" / "(paragraphs 21, 23)" reference."""
    return re.sub(r"\s*\(paragraphs? [\d, and]+\)\s*$", "", text)


def _ends_intro(lines: list[Line], index: int) -> bool:
    """Return True if the numbered paragraph at ``index`` ends "...the following action." + a group."""
    paragraph = [lines[index].text]
    for line in lines[index + 1 : index + 5]:
        if _NUMBERED.match(line.text) or _BULLET.match(line.text) or _PRIORITY_ON.match(line.text):
            break
        paragraph.append(line.text)
        if _SENTENCE_END.search(line.text):
            break
    return bool(_INTRO.search(" ".join(paragraph)))


def _skip_paragraph(lines: list[Line], index: int) -> int:
    """Return the index after the paragraph starting at ``index`` (up to its full stop)."""
    while index < len(lines) and not _SENTENCE_END.search(lines[index].text):
        index += 1
    return index + 1
