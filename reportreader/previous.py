"""The council's earlier inspections a report states ("Previous Ofsted inspections").

Graded reports of 2013-18 state the council's earlier inspections so: "The previous inspection of
the local authority's services for children looked after was (published) in March 2012. The local
authority was judged to be adequate." Many of those earlier reports are not in the corpus, so this
is the reports' own word for the 2009-13 grades. Pure text in, plain dicts out; what the tracker
records from them (and under which framework) is decided by ``inspections.record``.
"""

from __future__ import annotations

import re
from datetime import datetime

from .textutil import squash

_PREVIOUS = re.compile(
    r"(?:previous|last) inspection of (?P<what>.{0,200}?) was (?P<published>published )?in "
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december) "
    r"(?P<year>(?:19|20)\d\d)\.?(?P<rest>.{0,240}?)(?=•|local leadership|other information|$)"
)
_GRADE_WORD = r"(outstanding|good|adequate|inadequate)"
_GRADE_FOR = re.compile(
    rf"\b{_GRADE_WORD} for (?:the )?(?:children )?(safeguarding|looked after children|children looked after)"
)


def normalise_page(text: str) -> str:
    """Return a page's text as the pattern reads it: case-folded, straight quotes, single spaces."""
    return squash((text or "").casefold().replace("’", "'").replace("‘", "'"))


def previous_inspections(pages: list[str]) -> list[dict]:
    """Return the earlier inspections the report's pages state, in page order.

    Each is {"topic", "month" (YYYY-MM), "published", "grades", "page", "sentence"}. ``topic``:
    "safeguarding", "looked_after", "both", "protection" (the 2012-13 inspections of arrangements
    for the protection of children) or "safeguarding_or_protection" (the template's "safeguarding
    arrangements/... protection ..."). ``published``: the sentence gives the publication month
    rather than the inspection's. ``grades``: {topic: grade}; a statement without a grade word on
    the 2009 scale ("satisfactory") gives none. Fostering and adoption inspections are left out.
    ``pages`` may be raw or already normalised. Raises nothing.
    """
    found = []
    for number, page in enumerate(pages, start=1):
        text = normalise_page(page)
        for match in _PREVIOUS.finditer(text):
            what = match["what"]
            looked_after = "looked after" in what
            safeguarding = "safeguarding" in what
            protection = "protection of children" in what
            if "fostering" in what or "adoption" in what or not (looked_after or safeguarding or protection):
                continue
            if safeguarding and looked_after:
                topic = "both"
            elif looked_after:
                topic = "looked_after"
            elif safeguarding and not protection:
                topic = "safeguarding"
            elif safeguarding:
                topic = "safeguarding_or_protection"
            else:
                topic = "protection"
            rest = match["rest"]
            grades = {}
            for grade, who in _GRADE_FOR.findall(rest):
                grades["safeguarding" if who == "safeguarding" else "looked_after"] = grade
            if not grades:
                word = re.search(rf"\b{_GRADE_WORD}\b", rest)
                if word:
                    grades = {topic: word[1]}
            month = datetime.strptime(f"{match['month']} {match['year']}", "%B %Y").strftime("%Y-%m")
            found.append(
                {
                    "topic": topic,
                    "month": month,
                    "published": bool(match["published"]),
                    "grades": grades,
                    "page": number,
                    "sentence": " ".join(match.group(0).split())[:300],
                }
            )
    return found
