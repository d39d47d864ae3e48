"""Find the lists of what must improve in a graded report and split them into items.

SIF reports number their recommendations (Barnsley 2014 numbers them 10-34 as paragraphs of
the report) and give the LSCB its own list; ILACS reports use bullets under "What needs to
improve"; 2009-2013 reports group bullets under "Immediately:", "Within three months:" and so
on after a numbered introductory paragraph.
"""

from __future__ import annotations

import re

from .result import Recommendation
from .textutil import Line

_LIST_HEADING = re.compile(
    r"^(?:recommendations|what needs to improve(?: in this area)?\s*\??|areas for (?:improvement|development)"
    r"|priority and immediate action|what does the (?:local authority|lscb|board|council) need to improve\s*\??"
    r"|what the (?:local authority|lscb|board) needs to improve)\s*\d?\s*:?$",
    re.IGNORECASE,
)
# Lines that may sit between or before items without ending the list.
_INTERSTITIAL = re.compile(
    r"^(?:immediately|within (?:\w+\s*){1,3}|in the (?:longer|medium|short) term|areas for improvement"
    r"|priority and immediate action|recommendations)\s*[:.]?$"
    r"|did not (?:find|identify) any (?:areas|priority)|no areas for priority",
    re.IGNORECASE,
)
# Section headings that certainly end a list, even after an item with no full stop.
_SECTION = re.compile(
    r"^(?:The experiences and progress|The impact of leaders|Overall effectiveness"
    r"|Summary for children|Information about|Inspection (?:judgements?|findings)"
    r"|The local authority has the following strengths|The local authority['’]s strengths"
    r"|Key strengths|Executive summary|Summary of findings|Progress since|The Local Safeguarding"
    r"|Section \d|Outcomes for|Quality of provision|Leadership and management|Capacity (?:to|for) improve"
    r"|Ambition and|Partnership working|Equality and diversity|Performance management"
    r"|Safeguarding services|Services for looked after|Record of main|Being healthy|Staying safe"
    r"|Enjoying and|Making a positive|Economic well|Areas of strength|What the inspection"
    r"|Contents|Yours sincerely|Next steps)",
)
_INTRO = re.compile(
    r"(?:should|must|needs? to) take the following (?:action|steps)|following (?:action|areas)[.:]?\s*$"
    r"|^in order to improve",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_BULLET = re.compile(r"^•\s*(\S.*)$")
_SENTENCE_END = re.compile(r"[.;!?)’'\"”]$")


def find_recommendations(lines: list[Line], skip_pages: set[int], lscb_start: int | None) -> list[Recommendation]:
    """Return every recommendation in report order, with who it is addressed to.

    Inputs: ``lines`` the report body; ``skip_pages`` pages (contents) whose headings are not
    real; ``lscb_start`` index of the first line of the LSCB section, or None. Raises nothing.
    """
    found: list[Recommendation] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.page not in skip_pages and _LIST_HEADING.match(line.text):
            items, end = parse_list(lines, index + 1)
            if items:
                # The council's list always comes first, even if an LSCB heading was
                # misjudged to start earlier.
                lscb = lscb_start is not None and index >= lscb_start and found
                to = "lscb" if lscb else "council"
                found.extend(Recommendation(text, to) for text in items)
                index = end
                continue
        index += 1
    return found


def parse_list(lines: list[Line], start: int) -> tuple[list[str], int]:
    """Return (item texts, index after the list) for the list starting near ``start``.

    Inputs: ``lines`` the report body; ``start`` the line after the list's heading. At most a
    few introductory lines are skipped before the first item. Numbered items must count up
    by one (numbering may restart after a sub-heading); bullets straight after a numbered
    item ending in ":" are part of it; a numbered paragraph introducing bullet groups ("the
    local authority should take the following action.") is not itself an item.
    Raises nothing.
    """
    items: list[list[str]] = []
    intros: list[list[str]] = []
    current: list[str] | None = None
    current_numbered = False
    takes_bullets = False  # the numbered item being read ended its own text with ":"
    last_number = None
    index = start
    lead_in = 0
    while index < len(lines):
        text = lines[index].text
        number = _NUMBERED.match(text)
        bullet = _BULLET.match(text)
        if bullet:
            if current is not None and current_numbered and takes_bullets:
                current.append(bullet[1])
                index += 1
                continue
            current, current_numbered = [bullet[1]], False
            items.append(current)
        elif number and (last_number is None or int(number[1]) == last_number + 1):
            if current is None and _SECTION.match(number[2]):
                break
            last_number = int(number[1])
            current, current_numbered = [number[2]], True
            takes_bullets = number[2].endswith(":")
            items.append(current)
            if _INTRO.search(number[2]):
                intros.append(current)
        elif _INTERSTITIAL.search(text) and len(text) < 90 and (current is None or _SENTENCE_END.search(current[-1])):
            current, last_number, lead_in = None, None, 0
        elif _SECTION.match(text) or (current is not None and _looks_like_heading(text, current)):
            break
        elif current is not None:
            current.append(text)
            takes_bullets = current_numbered and text.endswith(":")
        else:
            lead_in += 1
            if lead_in > 4 or (lead_in > 1 and _looks_like_heading(text, ["."])):
                break
        index += 1
    texts = [" ".join(parts).strip() for parts in items if not _is_intro(parts, intros)]
    return [text for text in texts if text], index


def _is_intro(parts: list[str], intros: list[list[str]]) -> bool:
    """Return True if an item is a numbered paragraph that only introduces a list."""
    return any(parts is intro for intro in intros)


def _looks_like_heading(text: str, current: list[str]) -> bool:
    """Return True if a line after a finished item reads as a heading, not more of the item."""
    if not _SENTENCE_END.search(current[-1]):
        return False
    return len(text) < 75 and text[:1].isupper() and not re.search(r"[.,;:]$", text)
