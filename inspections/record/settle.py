"""Settling what the reader found against the council's listing and the third-party history.

The report wins unless it could not be read; every disagreement, every value filled from the
history and every value the reader flagged becomes a row of the review file, saying how it was
settled. The earlier inspections a report states become events of the 2009-13 frameworks here.
"""

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

from reportreader.previous import normalise_page

from ..councils import match_council
from ..models import OFSTED_COUNCIL_PAGE, OFSTED_REPORT_LINK, EventKind
from ..selectors.matching import framework_for_dates

REPORT_LINK_PREFIX = OFSTED_REPORT_LINK

# The history's grade columns, by the theme of the area each reports (as the history importer reads them).
_HISTORY_GRADES = {
    "overall_effectiveness_grade": "overall",
    "impact_of_leaders_grade": "leadership",
    "help_and_protection_grade": "help_and_protection",
    "in_care_grade": "children_in_care",
    "care_leavers_grade": "care_leavers",
}
_LISTING_DATE = re.compile(r"(\d{1,2}) ([a-z]+) (\d{4})\.pdf$", re.IGNORECASE)


def council_page_url(urn):
    """Ofsted's page for the council with `urn`: every report and letter it has published."""
    return OFSTED_COUNCIL_PAGE.format(urn=urn)


def _history_rows(path):
    """{(urn, pdf file name): (line, row)} from the history file."""
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return {(int(r["urn"]), r["pdf_filename"]): (reader.line_num, r) for r in reader if r["urn"].isdigit()}


def _history_date(text):
    from ..importers import parse_day_first

    try:
        return parse_day_first(text) if text else None
    except ValueError:
        return None


def _listing_date(filename):
    """The publication date in the site's own file label ("… - 20 september 2016.pdf"), or None."""
    match = _LISTING_DATE.search(filename)
    if not match:
        return None
    try:
        return datetime.strptime(" ".join(match.groups()), "%d %B %Y").date()
    except ValueError:
        return None


class _Settler:
    """Settles one read report against its council and its history row; collects review rows."""

    def __init__(self, *, index, councils, frameworks, history):
        self.index, self.councils, self.frameworks, self.history = index, councils, frameworks, history
        self.review = []

    def note(self, entry, name, report, history, settled):
        self.review.append(
            {
                "file": entry["file"],
                "urn": entry["council"]["urn"],
                "council": entry["council"]["name"],
                "kind": entry["kind"],
                "field": name,
                "report": "" if report is None else str(report),
                "history": "" if history is None else str(history),
                "settled": settled,
            }
        )

    def settle(self, read):
        result, pages = read["result"], read.get("pages", {})
        folder = Path(read["file"]).parts[1] if len(Path(read["file"]).parts) > 2 else ""
        folder_urn = int(folder.split("_")[0]) if folder.split("_")[0].isdigit() else None
        council = self.councils.get(folder_urn)
        entry = {
            "file": read["file"],
            "sha256": read["sha256"],
            "kind": result["kind"],
            "council": {"urn": council.urn if council else None, "name": council.name if council else None},
            "printed_council": result.get("council_name"),
            "sources": {},
            "warnings": list(result.get("warnings") or []),
        }
        sources = entry["sources"]

        named = match_council(name=result.get("council_name"), urn=result.get("council_urn"), index=self.index)
        if council is None:
            council = named
            entry["council"] = {"urn": named.urn, "name": named.name} if named else entry["council"]
            sources["council"] = {"page": pages.get("council")} if named else None
        else:
            sources["council"] = {"listing": folder}
            if named is not None and named.urn != council.urn:
                self.note(
                    entry,
                    "council",
                    f"{result.get('council_name')} (URN {named.urn})",
                    None,
                    f"Ofsted's listing wins: the report is filed under URN {council.urn}.",
                )
        if council is None:
            return None, f"the council (“{result.get('council_name') or ''}”) is not one we know"

        line, row = self.history.get((entry["council"]["urn"], Path(read["file"]).name), (None, None))
        entry["history_line"] = line
        if row is not None and row["inspection_link"].startswith(REPORT_LINK_PREFIX):
            entry["link"] = row["inspection_link"]
        else:
            entry["link"] = None
        entry["council_page"] = council_page_url(entry["council"]["urn"])

        values = self._values(entry, result, pages, row, line)
        entry.update(values)
        entry["previous"] = self._previous(entry, read.get("previous") or [])
        for warning in entry["warnings"]:
            self.note(entry, "reader", warning, None, self._settled_warning(warning, entry))
        return entry, None

    def _values(self, entry, result, pages, row, line):
        sources = entry["sources"]
        out = {}

        def page(key):
            return {"page": pages.get(key)}

        # Dates: the report's own; the listing date for publication when the report prints none.
        for key in ("start_date", "end_date", "published_date"):
            out[key] = result.get(key)
            if out[key]:
                sources[key] = page(key)
        listing = _listing_date(entry["file"])
        if out["published_date"] is None and listing is not None:
            out["published_date"] = listing.isoformat()
            sources["published_date"] = {"listing": Path(entry["file"]).name}
        elif listing is not None and out["published_date"] != listing.isoformat():
            self.note(
                entry,
                "published_date",
                out["published_date"],
                None,
                f"The report's date wins over the site's listing date ({listing.isoformat()}).",
            )

        out["framework"] = result.get("framework")
        if out["framework"]:
            sources["framework"] = {"page": 1}
        for key in ("inspection_type", "lead_inspector", "focus", "focus_key"):
            out[key] = result.get(key) or None
            if out[key]:
                sources[key] = page(key if key != "focus_key" else "focus")
        out["inspectors"] = list(result.get("inspectors") or [])
        if out["inspectors"]:
            sources["inspectors"] = page("lead_inspector")
        out["judgements"] = dict(result.get("judgements") or {})
        for area in out["judgements"]:
            sources[f"judgements.{area}"] = page(f"judgements.{area}")
        out["recommendations"] = list(result.get("recommendations") or [])
        for number in range(1, len(out["recommendations"]) + 1):
            sources[f"recommendations.{number}"] = page(f"recommendations.{number}")

        if entry["kind"] == EventKind.INSPECTION:
            self._against_history(entry, out, row, line)
        return out

    def _against_history(self, entry, out, row, line):
        """Compare with the history row; fill from it only what the report did not give."""
        sources = entry["sources"]
        if row is None:
            return
        history = {"line": line}
        for key, column in (
            ("start_date", "inspection_start_date"),
            ("end_date", "inspection_end_date"),
            ("published_date", "publication_date"),
        ):
            theirs = _history_date(row[column])
            theirs = theirs.isoformat() if theirs else None
            if theirs is None or theirs == out[key]:
                continue
            if out[key] is None:
                if self._fits(out, key, theirs):
                    out[key] = theirs
                    sources[key] = {"history": history}
                    self.note(entry, key, None, theirs, "History's value used: the report's could not be read.")
                else:
                    self.note(
                        entry, key, None, theirs, "Left blank: the history's value contradicts the report's dates."
                    )
            else:
                self.note(entry, key, out[key], theirs, "The report wins.")
        lead = " ".join(row["inspector_name"].split())
        if lead and normalise_page(lead) != normalise_page(out["lead_inspector"]):
            if out["lead_inspector"]:
                self.note(entry, "lead_inspector", out["lead_inspector"], lead, "The report wins.")
            else:
                out["lead_inspector"] = lead
                sources["lead_inspector"] = {"history": history}
                self.note(entry, "lead_inspector", None, lead, "History's value used: the report's could not be read.")
        kind_word = row["inspection_framework"].strip().lower()
        if kind_word in ("standard", "short"):
            if out["inspection_type"] is None:
                out["inspection_type"] = kind_word
                sources["inspection_type"] = {"history": history}
            elif out["inspection_type"] != kind_word:
                self.note(entry, "inspection_type", out["inspection_type"], kind_word, "The report wins.")

        if out["framework"] is None:
            framework = framework_for_dates(
                start_date=date.fromisoformat(out["start_date"]) if out["start_date"] else None,
                published_date=date.fromisoformat(out["published_date"]) if out["published_date"] else None,
                frameworks=list(self.frameworks.values()),
            )
            if framework is not None:
                out["framework"] = framework.key
                sources["framework"] = {"inferred": "the inspection dates"}
                self.note(
                    entry, "framework", None, None, f"{framework.short_name}: inferred from the inspection's dates."
                )
        framework = self.frameworks.get(out["framework"])
        if framework is None:
            return
        by_theme = {area.theme: area.key for area in framework.judged_areas}
        grades = {g.key for g in framework.scale.grades.all()}
        from ..importers import GRADE_WORDS, NO_GRADE

        for column, theme in _HISTORY_GRADES.items():
            word = row[column].strip().lower()
            if word in NO_GRADE or word not in GRADE_WORDS:
                continue
            theirs, area = GRADE_WORDS[word], by_theme.get(theme)
            if area is None or theirs not in grades:
                continue
            ours = out["judgements"].get(area)
            if ours is None:
                out["judgements"][area] = theirs
                sources[f"judgements.{area}"] = {"history": history}
                self.note(entry, f"judgements.{area}", None, theirs, "History's grade used: the report's was not read.")
            elif ours != theirs:
                self.note(entry, f"judgements.{area}", ours, theirs, "The report wins.")

    def _previous(self, entry, mentions):
        """The earlier inspections a report states, as events: a combined safeguarding and looked
        after children inspection (2009 framework) when both are stated for one month, else a looked
        after children inspection, else a safeguarding one. Inspections of arrangements for the
        protection of children (2012-13) have no framework here and are listed for review instead."""
        first_sif = "2013-11"  # from then on the inspections are reports of their own
        by_month = {}
        for mention in mentions:
            by_month.setdefault((mention["month"], mention["published"]), []).append(mention)
        settled = []
        for (month, published), group in sorted(by_month.items()):
            topics = {m["topic"] for m in group}
            grades = {}
            for mention in group:
                for topic, grade in mention["grades"].items():
                    grades.setdefault(topic, grade)
            sentence = " ".join(m["sentence"] for m in group)
            if not ("2009-06" <= month < first_sif):
                continue
            combined = "both" in topics or (
                "looked_after" in topics and topics & {"safeguarding", "safeguarding_or_protection"}
            )
            if combined:
                framework = "safeguarding_lac_2009"
                judgements = {
                    "safeguarding_overall_effectiveness": grades.get("safeguarding")
                    or grades.get("safeguarding_or_protection")
                    or grades.get("both"),
                    "looked_after_overall_effectiveness": grades.get("looked_after") or grades.get("both"),
                }
            elif "looked_after" in topics:
                framework, judgements = "looked_after_2009", {"overall_effectiveness": grades.get("looked_after")}
            elif "safeguarding" in topics:
                framework = "safeguarding_lac_2009"
                judgements = {"safeguarding_overall_effectiveness": grades.get("safeguarding")}
            else:
                self.note(
                    entry,
                    f"previous.{month}",
                    sentence,
                    None,
                    "Not recorded: the tracker has no framework for the 2012-13 inspections of arrangements "
                    "for the protection of children (or the report does not say which inspection it was).",
                )
                continue
            judgements = {area: grade for area, grade in judgements.items() if grade}
            if not judgements:
                continue
            settled.append(
                {
                    "framework": framework,
                    "month": month,
                    "published": published,
                    "judgements": judgements,
                    "source": {"page": group[0]["page"], "sentence": sentence},
                }
            )
        return settled

    @staticmethod
    def _fits(out, key, value):
        """Whether a history date fits the report's other dates (start ≤ end ≤ published)."""
        dates = {k: out[k] for k in ("start_date", "end_date", "published_date")}
        dates[key] = value
        ordered = [dates[k] for k in ("start_date", "end_date", "published_date") if dates[k]]
        return ordered == sorted(ordered)

    @staticmethod
    def _settled_warning(warning, entry):
        text = warning.lower()
        sources = entry["sources"]
        if "publication date" in text:
            source = sources.get("published_date") or {}
            if "listing" in source:
                return "Publication date from Ofsted's listing of the report."
            if "history" in source:
                return "Publication date from the history."
            return "Publication date left blank."
        if "council name" in text:
            return "Council from Ofsted's listing of the report (the folder's URN)."
        if "lead inspector" in text:
            return (
                "Lead inspector from the history."
                if "history" in (sources.get("lead_inspector") or {})
                else "Lead inspector left blank."
            )
        if "framework" in text:
            source = sources.get("framework") or {}
            return "Framework inferred from the inspection's dates." if source else "Recorded without a framework."
        if "judgement" in text or "grade" in text:
            return "Grade left blank unless the history holds it (see the judgement rows)."
        if "recommendations" in text:
            return "Recorded with no recommendations."
        if "focus" in text:
            return "Focus left blank."
        if "assurance visit" in text:
            return "Recorded as a focused visit, as Ofsted lists it."
        if "dates" in text:
            return "Dates left blank unless the history holds them (see the date rows)."
        return "Recorded as read; the value concerned is left blank."
