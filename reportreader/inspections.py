"""Read graded inspection reports: which framework, the front-page facts and the judgements.

Each framework prints its judgements differently: ILACS in a "Judgement / Grade" table on
page 1, SIF in a summary list on page 1 with the LSCB's grade in its own section, and the
2009-2013 frameworks in a "Record of main findings" table at the end (with "Grade 4
(inadequate)" under each heading as a fallback). Grades are matched on text with line breaks
removed, so a grade wrapped as "Requires improvement" / "to be good" reads as one.
"""

from __future__ import annotations

import datetime
import re

from .result import ReportResult
from .textutil import (
    FULL_DATE,
    GRADE_PATTERN,
    NUMERIC_DATE,
    Line,
    grade_key,
    parse_date,
    parse_date_range,
    squash,
)

_G = rf"(?:\s+\d)?\s*({GRADE_PATTERN})\b"  # a footnote number may sit between label and grade

ILACS_LABELS = {
    "impact_of_leaders": r"impact of leaders on (?:social work )?practice with children and families",
    "help_and_protection": r"children who need help and protection",
    "children_in_care_and_care_leavers": r"children in care and care leavers",
    "children_in_care": r"progress of children in care(?! and care leavers)",
    "care_leavers": r"progress of care leavers",
    "overall_effectiveness": r"overall effectiveness",
}

SIF_LABELS = {
    "help_and_protection": r"children who need help and protection",
    "children_looked_after": r"children looked after and achieving permanence",
    "adoption_performance": r"adoption performance",
    "care_leavers": r"experiences and progress of care leavers",
    "leadership_management_governance": r"leadership, management and governance",
}
_SIF_OVERALL = (
    rf"children['’]s services in [^.]{{1,80}}? (?:are |is )?({GRADE_PATTERN})\b",
    rf"overall judgement is (?:that )?(?:children['’]s services? )?(?:are |is )?({GRADE_PATTERN})\b",
)
# "The Local Safeguarding Children Board is good", "The effectiveness of the LSCB is good",
# "The Local Safeguarding Children Board (LSCB) in Bromley requires improvement".
_LSCB = (
    r"\bThe (?:effectiveness of the )?(?:local safeguarding children board|lscb)(?:\s*\(lscb\))?\s+"
    r"(?:in [A-Z][\w ,’'-]{1,50}?\s+)?(?:is\s+|are\s+)?(?:judged\s+(?:to\s+be\s+)?)?"
    rf"({GRADE_PATTERN})\b"
)

LAC_2009_LABELS = {
    "overall_effectiveness": r"overall effectiveness",
    "capacity_to_improve": r"capacity (?:to|for) improve(?:ment)?",
    "outcomes_for_looked_after_children": r"outcomes for (?:looked after )?children(?: and young people)?",
    "quality_of_provision": r"quality of provision",
    "leadership_and_management": r"leadership and management",
}

# Where each ILACS version's judgements begin, for a warning when content and date disagree.
_ILACS_FROM = {
    "ilacs_2018": datetime.date(2018, 1, 1),
    "ilacs_2023": datetime.date(2023, 1, 1),
    "ilacs_2026": datetime.date(2026, 4, 1),
}


def detect_framework(title: str) -> str | None:
    """Return the framework a report's title names, "ilacs" for any ILACS version, or None.

    Input: ``title`` the first lines of page 1, squashed and lower-cased. Raises nothing.
    """
    if "children in need of help and protection" in title and "care leavers" in title:
        return "sif"
    if "safeguarding and looked after children" in title or "inspection of safeguarding services" in title:
        return "safeguarding_lac_2009"
    if "inspection of looked after children" in title:
        return "looked_after_2009"
    if "children's social care services" in title or "local authority children's services" in title:
        return "ilacs"
    if re.match(r"^(?:\d+ )?inspection of .{2,80}? children's services\b", title):
        return (
            "ilacs"  # 2021+ titles may drop "local authority": "Inspection of Kent County Council children's services"
        )
    return None


def read_inspection(lines: list[Line], result: ReportResult, skip_pages: set[int]) -> None:
    """Fill ``result`` with an inspection report's framework, dates, people and judgements.

    Inputs: ``lines`` the report body; ``result`` to fill in place; ``skip_pages`` contents
    pages. Unknown values stay None and add a warning. Raises nothing.
    """
    first = [line.text for line in lines if line.page == 1]
    title = squash(" ".join(first[:12])).lower().replace("’", "'")
    framework = detect_framework(title)
    _front_facts(lines, result, framework)
    if framework == "ilacs":
        framework = _read_ilacs(lines, result)
    elif framework == "sif":
        _read_sif(lines, result, skip_pages)
    elif framework in ("looked_after_2009", "safeguarding_lac_2009"):
        _read_2009(lines, result, framework, skip_pages)
    else:
        result.warnings.append("the report's title does not name a known inspection framework; judgements not read")
    result.framework = framework
    if framework and not result.judgements:
        result.warnings.append("no judgements found in the report")


def lscb_section_start(lines: list[Line], skip_pages: set[int]) -> int | None:
    """Return the index of the heading that opens a SIF report's LSCB section, or None.

    The heading may wrap ("Section 2: The effectiveness of the local safeguarding" /
    "children board"), so each line is also read joined to the next.
    """
    heading = re.compile(
        r"^(?:Section 2: )?(?:The )?(?:review of the |inspection of the )?(?:effectiveness of the )?"
        r"Local Safeguarding Children(?:’s)? Board"
        r"|^(?:Section 2: )?The LSCB$|^What does the LSCB need to improve",
        re.IGNORECASE,
    )
    for index, line in enumerate(lines):
        if line.page <= 1 or line.page in skip_pages:
            continue
        joined = line.text
        if index + 1 < len(lines) and lines[index + 1].page == line.page and len(line.text) < 80:
            joined = f"{line.text} {lines[index + 1].text}"
        for text in (line.text, joined):
            if heading.match(text) and len(text) < 90 and not text.endswith("."):
                return index
    return None


def _front_facts(lines: list[Line], result: ReportResult, framework: str | None) -> None:
    """Read council name, dates and lead inspector from the first pages."""
    front = [line.text for line in lines if line.page <= 2]
    for index, text in enumerate(front):
        match = re.match(r"^Inspection dates?:?\s*(.*)$", text, re.IGNORECASE)
        if match and result.start_date is None:
            start, end = parse_date_range(match[1])
            if start is None and index + 1 < len(front):
                start, end = parse_date_range(match[1] + " " + front[index + 1])
            result.start_date, result.end_date = start, end
        match = re.match(
            rf"^(?:Report )?(?:published|publication date):?\s*({FULL_DATE}|{NUMERIC_DATE})",
            text,
            re.IGNORECASE,
        )
        if match and result.published_date is None:
            result.published_date = parse_date(match[1])
        match = re.match(r"^(?:Lead|Reporting) inspectors?(?: on site)?:?\s*(.*)$", text, re.IGNORECASE)
        if match and result.lead_inspector is None:
            name = match[1] or (front[index + 1] if index + 1 < len(front) else "")
            result.lead_inspector = clean_name(name)
    if result.lead_inspector is None:
        for line in lines:
            # "Lead inspector: Janet Fraser", not prose such as "... lead inspector attended by ..."
            match = re.match(r"^(?:Lead|Reporting) inspectors?(?: on site)?:?\s*(.+)$", line.text)
            if match and clean_name(match[1]):
                result.lead_inspector = clean_name(match[1])
                break
    result.council_name = _council_name(lines, framework)
    if result.start_date is None:
        result.warnings.append("inspection dates not found")
    if result.published_date is None:
        result.warnings.append("publication date not printed in the report")
    if result.lead_inspector is None:
        result.warnings.append("lead inspector not found")
    if result.council_name is None:
        result.warnings.append("council name not found")


def clean_name(text: str) -> str | None:
    """Return an inspector's name without "HMI" or "Her/His Majesty's Inspector", or None."""
    text = re.split(r",|\(|\b(?:Her|His) Majesty|\bHMI\b|\bAge group\b|\band\b", text)[0]
    text = squash(text)
    if not text or not re.match(r"^[A-Z][\w’'.-]+(?: [A-Za-z][\w’'.-]*){0,4}$", text):
        return None
    return text


def _council_name(lines: list[Line], framework: str | None) -> str | None:
    """Return the council's name as printed on page 1 ("the" and "Children's Services" dropped), or None."""
    name = _printed_name(lines, framework)
    if name:
        name = re.sub(r"^the\s+|\s+children['’]s services$", "", name, flags=re.IGNORECASE)
    return name or None


def inspection_team(lines: list[Line], lead: str | None) -> list[str]:
    """Return every inspector a report names: the lead, then deputy and team inspectors.

    Reads "Lead inspector(s):", "Deputy lead inspector:" and "Team inspectors:" lines (SIF
    reports list the whole team at the end; ILACS reports only the lead). A team list that
    wraps ends its line with a comma or "and".
    """
    names: list[str] = [lead] if lead else []
    for index, line in enumerate(lines):
        match = re.match(r"^(?:Lead|Deputy lead|Team|Reporting) inspectors?(?: on site)?:?\s*(.*)$", line.text)
        if not match:
            continue
        text = match[1]
        for more in lines[index + 1 : index + 4]:
            if not re.search(r"(?:,|\band)$", text.strip()):
                break  # a wrapped team list ends its line with a comma or "and"
            text += " " + more.text
        for part in re.split(r",|;|\band\b", re.sub(r"\([^)]*\)", " ", text)):
            part = re.sub(
                r"\b(?:(?:Her|His) Majesty['’]s Inspectors?|Senior HMI|HMI|(?:Ofsted|Contracted|Seconded|Social Care)"
                r"(?: Regulatory)? Inspectors?|Contracted|Seconded)\b",
                " ",
                part,
            )
            name = clean_name(squash(part)) if part.strip() else None
            if name and len(name.split()) >= 2 and name not in names:
                names.append(name)
    return names


def _printed_name(lines: list[Line], framework: str | None) -> str | None:
    """Return the council's name exactly as page 1 prints it, or None."""
    first = [line.text for line in lines if line.page == 1][:15]
    flat = " ".join(first)
    match = re.search(r"^(?:\d+ )?Inspection of (.+?) (?:local authority )?children['’]s services", flat)
    if match:
        return squash(match[1])
    title_at = next(
        (i for i, text in enumerate(first) if re.match(r"^(?:Re-?)?inspection of", text, re.IGNORECASE)),
        None,
    )
    if framework in ("looked_after_2009", "safeguarding_lac_2009"):
        for index, text in enumerate(first):
            if re.match(r"^Inspection dates?", text, re.IGNORECASE) and index > 0:
                name = first[index - 1]
                if not re.match(r"^(?:Inspection of|services\b)", name, re.IGNORECASE):
                    return name
        if title_at:
            return squash(" ".join(first[:title_at])) or None
        return None
    if title_at:
        return squash(" ".join(first[:title_at])) or None
    return None


def _find_grades(text: str, labels: dict[str, str], separator: str = _G) -> dict[str, tuple[int, str]]:
    """Return {area: (position, grade)} for each label immediately followed by a grade."""
    found = {}
    for area, label in labels.items():
        match = re.search(label + separator, text, re.IGNORECASE)
        if match and grade_key(match[1]):
            found[area] = (match.start(), grade_key(match[1]))
    return found


def _in_order(found: dict[str, tuple[int, str]]) -> dict[str, str]:
    """Return {area: grade} sorted by where each was printed."""
    return {area: grade for area, (_, grade) in sorted(found.items(), key=lambda item: item[1][0])}


def _read_ilacs(lines: list[Line], result: ReportResult) -> str | None:
    """Read an ILACS judgement table; return the ILACS version its judgements show."""
    first = [line.text for line in lines if line.page == 1]
    start = next(
        (i + 1 for i, text in enumerate(first) if re.match(r"^Judgements?\b", text)),
        None,
    )
    if start is None:
        start = next(
            (i + 1 for i, text in enumerate(first) if re.match(r"^Lead inspector", text, re.IGNORECASE)),
            0,
        )
    table = []
    for text in first[start : start + 20]:
        # A long line is prose after the table, unless it is a whole row ending in a grade.
        if len(text) >= 78 and table and not re.search(rf"{GRADE_PATTERN}\s*$", text, re.IGNORECASE):
            break
        table.append(text)
    found = _find_grades(" ".join(table), ILACS_LABELS)
    body = " ".join(line.text for line in lines)
    headings = _find_grades(body, ILACS_LABELS, rf"\s*:\s*({GRADE_PATTERN})\b")
    if not found:
        found = headings
        if found:
            result.warnings.append("judgement table not found; grades read from section headings")
    for area, (_, grade) in headings.items():
        if area in found and found[area][1] != grade:
            result.warnings.append(f"{area}: table says {found[area][1]}, section heading says {grade}")
    if "children_in_care_and_care_leavers" in found and ("children_in_care" in found or "care_leavers" in found):
        found.pop("children_in_care_and_care_leavers")
        result.warnings.append("both combined and separate children in care judgements found")
    result.judgements = _in_order(found)
    if "children_in_care_and_care_leavers" in found:
        version = "ilacs_2018"
    elif "children_in_care" in found or "care_leavers" in found:
        version = "ilacs_2023" if "overall_effectiveness" in found else "ilacs_2026"
    else:
        result.warnings.append("ILACS report but its judgements do not show which version")
        return None
    _check_ilacs_date(result, version)
    _ilacs_type(lines, result)
    return version


def _check_ilacs_date(result: ReportResult, version: str) -> None:
    """Warn when the judgements' shape and the inspection dates point to different versions."""
    if result.start_date is None:
        return
    ordered = sorted(_ILACS_FROM.items(), key=lambda item: item[1])
    by_date = [name for name, since in ordered if result.start_date >= since]
    if by_date and by_date[-1] != version:
        result.warnings.append(f"judgements match {version} but the inspection dates fall in {by_date[-1]}'s period")


def _ilacs_type(lines: list[Line], result: ReportResult) -> None:
    """Set standard/short where the report says so, or from the on-site length it prints.

    ILACS short inspections are one week on site and standard ones two, so five working days
    or fewer is short and more than a week is standard.
    """
    front = " ".join(line.text for line in lines if line.page <= 2).lower()
    stated = re.search(r"\bthis (?:was an? )?(short|standard) inspection\b", front)
    if stated:
        result.inspection_type = stated[1]
        return
    if result.start_date and result.end_date:
        days = (result.end_date - result.start_date).days
        if days <= 6:
            result.inspection_type = "short"
        elif 7 < days <= 16:
            result.inspection_type = "standard"


def _read_sif(lines: list[Line], result: ReportResult, skip_pages: set[int]) -> None:
    """Read a SIF report's page-1 judgements and the LSCB review grade."""
    front = " ".join(line.text for line in lines if line.page <= 2 and line.page not in skip_pages)
    found = _find_grades(front, SIF_LABELS)
    for pattern in _SIF_OVERALL:
        match = re.search(pattern, front, re.IGNORECASE)
        if match and grade_key(match[1]):
            found["overall_effectiveness"] = (-1, grade_key(match[1]))
            break
    lscb_grade = _lscb_grade(lines, skip_pages, front)
    result.judgements = _in_order(found)
    if lscb_grade:
        result.judgements["lscb"] = lscb_grade
    elif re.search(r"review of the effectiveness of the local safeguarding", front, re.IGNORECASE):
        result.warnings.append("the report reviews the LSCB but its grade was not found")
    for area in ("overall_effectiveness", *SIF_LABELS):
        if area in result.judgements:
            continue
        label = SIF_LABELS.get(area)
        if label and re.search(label + r"\s*not\s+judged", front, re.IGNORECASE):
            result.warnings.append(f"{area}: not judged in this report")  # Isles of Scilly, City of London
        else:
            result.warnings.append(f"SIF judgement not found: {area}")


def _lscb_grade(lines: list[Line], skip_pages: set[int], front: str) -> str | None:
    """Return the LSCB review's grade: from its section's opening, else page 1, else anywhere.

    The closing "what the judgements mean" pages never match: they say "An LSCB requires
    improvement if ..." and "is likely to be".
    """
    texts = []
    lscb_at = lscb_section_start(lines, skip_pages)
    if lscb_at is not None:
        texts.append(" ".join(line.text for line in lines[lscb_at : lscb_at + 12]))
    texts.append(front)
    texts.append(" ".join(line.text for line in lines))  # a contents page may open the LSCB's own report
    for text in texts:
        match = re.search(_LSCB, text, re.IGNORECASE)
        if match and grade_key(match[1]):
            return grade_key(match[1])
    return None


def _read_2009(lines: list[Line], result: ReportResult, framework: str, skip_pages: set[int]) -> None:
    """Read a 2009-2013 report's judgements from its record of main findings."""
    at = next(
        (
            i
            for i, line in enumerate(lines)
            if line.page not in skip_pages and re.match(r"^Record of main findings\b", line.text, re.IGNORECASE)
        ),
        None,
    )
    if at is None:
        result.warnings.append("no record of main findings; grades read from section headings")
        record = " ".join(_grade_headings(lines))
    else:
        record = " ".join(line.text for line in lines[at : at + 60])
    record = re.sub(r"\bGrade [1-4] \((\w+)\)", r"\1", record)
    if framework == "looked_after_2009":
        result.judgements = _in_order(_find_grades(record, LAC_2009_LABELS))
        return
    split = re.search(
        r"(?:services for )?looked after children(?:['’]s)?(?: services)?\b(?!\s+and young)",
        record,
        re.IGNORECASE,
    )
    safeguarding, looked_after = (record[: split.start()], record[split.start() :]) if split else (record, "")
    pairs = {"overall_effectiveness": LAC_2009_LABELS["overall_effectiveness"]}
    pairs["capacity_to_improve"] = LAC_2009_LABELS["capacity_to_improve"]
    found = {}
    for prefix, part, offset in (
        ("safeguarding", safeguarding, 0),
        ("looked_after", looked_after, len(safeguarding)),
    ):
        for area, (position, grade) in _find_grades(part, pairs).items():
            found[f"{prefix}_{area}"] = (position + offset, grade)
    result.judgements = _in_order(found)
    if not looked_after:
        result.warnings.append("looked after children section not found in the record of main findings")


def _grade_headings(lines: list[Line]) -> list[str]:
    """Return "heading grade" strings from "Heading" / "Grade 4 (inadequate)" pairs."""
    out = []
    for index, line in enumerate(lines):
        match = re.match(r"^Grade [1-4] \((\w+)\)", line.text)
        if match and index > 0:
            heading = lines[index - 1].text
            if index > 1 and len(lines[index - 2].text) < 60:
                heading = lines[index - 2].text + " " + heading
            out.append(f"{heading} {match[1]}")
    return out
