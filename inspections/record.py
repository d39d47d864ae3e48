"""The shipped record: every corpus report read once into `data/reports.jsonl`, reviewed, and loaded.

`build_record()` (the `build_record` command) reads every PDF of the corpus with `reportreader`,
matches its council, settles each value against the third-party history (the report wins unless
it could not be read) and returns one entry per report with every value's source, plus the rows
of the review file: each disagreement with the history, each value the reader flagged, each
refused file, and how it was settled. `write_record()` writes both files sorted, so a rebuild of
the same corpus with the same reader changes no byte.

`load_record()` saves the entries through `services.event_save` (the one write path), all or
nothing for the file; a second load changes nothing. Nothing here reads the corpus at run time:
the record and its links are in the repository.
"""

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import OFSTED_COUNCIL_PAGE, OFSTED_REPORT_LINK, DatePrecision, EventKind, Framework
from .services import (
    UNCHANGED,
    ImportFailed,
    RowError,
    event_save,
    find_matching_event,
    framework_for_dates,
    run_import,
)

DATA_DIR = Path(settings.BASE_DIR) / "inspections" / "data"
RECORD_FILE = DATA_DIR / "reports.jsonl"
REVIEW_FILE = DATA_DIR / "record_review.csv"
HISTORY_FILE = DATA_DIR / "ilacs_history.csv"
DEFAULT_CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"

REPORT_LINK_PREFIX = OFSTED_REPORT_LINK

REVIEW_COLUMNS = ["file", "urn", "council", "kind", "field", "report", "history", "settled"]

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


# Reading (no database: runs in worker processes) ---------------------------------------------------


def _norm(text):
    return " ".join((text or "").casefold().replace("’", "'").replace("‘", "'").split())


def _page_of(pages, *needles):
    """The first page (1-based) holding every needle (normalised), or None."""
    wanted = [_norm(n) for n in needles if n]
    if not wanted:
        return None
    for number, text in enumerate(pages, start=1):
        if all(w in text for w in wanted):
            return number
    return None


def _date_words(value):
    return f"{value.day} {value:%B}" if value else None


def read_one(args):
    """Read one corpus file. `args`: (root, relative path, {area key: short name}). Returns a plain dict:
    {"file", "sha256", "result": ReportResult fields, "pages": {value: page}} or {"file", "refused": reason}.
    Never raises for a bad file: the refusal is the answer."""
    from reportreader import ReportError, read_report

    root, relative, area_names = args
    path = Path(root) / relative
    data = path.read_bytes()
    entry = {"file": relative, "sha256": hashlib.sha256(data).hexdigest()}
    try:
        result = read_report(data, filename=path.name)
    except ReportError as error:
        return {**entry, "refused": error.reason}
    except Exception as error:  # noqa: BLE001 — a hostile file must not stop the build
        return {**entry, "refused": f"the file could not be read ({type(error).__name__})"}
    entry["result"] = _result_dict(result)
    pages = _page_texts(data, path.name)
    entry["pages"] = _locate(pages, entry["result"], area_names)
    if result.kind == "inspection":
        entry["previous"] = previous_inspections(pages)
    return entry


def _result_dict(result):
    """The reader's values, including fields newer readers add (inspectors, focus key, priority)."""
    data = result.to_dict()
    data["inspectors"] = list(getattr(result, "inspectors", None) or [])
    data["focus_key"] = getattr(result, "focus_key", None)
    data["recommendations"] = [
        {"text": r.text, "addressed_to": r.addressed_to, "priority": bool(getattr(r, "priority", False))}
        for r in result.recommendations
    ]
    return data


def _page_texts(data, name):
    """Each page's text, normalised (case, quotes, spaces), or [] when it cannot be had."""
    try:
        from reportreader.pdftext import extract_pages

        return [_norm(p) for p in extract_pages(data, name)]
    except Exception:  # noqa: BLE001 — locating is a help for reviewers, never a reason to refuse
        return []


def _locate(pages, result, area_names):
    """{value name: page} for the values found on a page of the report (where practical)."""
    found = {}

    def put(key, page):
        if page is not None:
            found[key] = page

    put("council", _page_of(pages, result.get("council_name")))
    for key in ("start_date", "end_date", "published_date"):
        value = date.fromisoformat(result[key]) if result.get(key) else None
        put(key, _page_of(pages, _date_words(value)))
    put("lead_inspector", _page_of(pages, result.get("lead_inspector")))
    put("focus", _page_of(pages, (result.get("focus") or "")[:60]))
    for area, grade in (result.get("judgements") or {}).items():
        grade_words = grade.replace("_", " ")
        page = _page_of(pages, area_names.get(area, ""), grade_words)
        if page is None and area == "overall_effectiveness":
            page = _page_of(pages, "children's services in", grade_words)  # SIF: "… in Wirral are inadequate"
        put(f"judgements.{area}", page)
    for number, rec in enumerate(result.get("recommendations") or [], start=1):
        put(f"recommendations.{number}", _page_of(pages, rec["text"][:60]))
    return found


# "The previous inspection of the local authority's services for children looked after was (published)
# in March 2012. The local authority was judged to be adequate." Graded reports of 2013-18 state the
# council's earlier inspections so; many of those reports are not in the corpus, so this is the
# reports' own word for the 2009-13 grades.
_PREVIOUS = re.compile(
    r"(?:previous|last) inspection of (?P<what>.{0,200}?) was (?P<published>published )?in "
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december) "
    r"(?P<year>(?:19|20)\d\d)\.?(?P<rest>.{0,240}?)(?=•|local leadership|other information|$)"
)
_GRADE_WORD = r"(outstanding|good|adequate|inadequate)"
_GRADE_FOR = re.compile(
    rf"\b{_GRADE_WORD} for (?:the )?(?:children )?(safeguarding|looked after children|children looked after)"
)


def previous_inspections(pages):
    """Earlier inspections a report states: [{"topic", "month" (YYYY-MM), "published", "grades", "page",
    "sentence"}]. `topic`: "safeguarding", "looked_after", "both" or "protection" (the 2012-13
    inspections of arrangements for the protection of children). `grades`: {topic: grade}; a
    statement without a grade word on the 2009 scale ("satisfactory") gives none. Raises nothing."""
    found = []
    for number, text in enumerate(pages, start=1):
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
                topic = "safeguarding_or_protection"  # the template's "safeguarding arrangements/…protection…"
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


def corpus_files(corpus):
    """Every PDF under the corpus folder, as sorted relative paths (hidden files skipped)."""
    root = Path(corpus)
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() == ".pdf" and not any(part.startswith(".") for part in p.parts)
    )


# Settling against the history and the councils (database: vocabulary only) -----------------------


@dataclass
class Built:
    """What build_record produced: entries (one per read report) and review rows."""

    entries: list = field(default_factory=list)
    review: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # [(file, reason)]


def _history_rows(path):
    """{(urn, pdf file name): (line, row)} from the history file."""
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return {(int(r["urn"]), r["pdf_filename"]): (reader.line_num, r) for r in reader if r["urn"].isdigit()}


def _history_date(text):
    from .importers import parse_day_first

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
        from intake.reports import match_council

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
        if lead and _norm(lead) != _norm(out["lead_inspector"]):
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
        from .importers import GRADE_WORDS, NO_GRADE

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


def build_record(*, corpus, history_path=HISTORY_FILE, jobs=1, progress=None):
    """Read every PDF under `corpus` and settle it. Returns Built (entries sorted by file).

    `jobs`: worker processes for reading (the slow part); `progress(done, total, file)` is called
    after each file. Raises FileNotFoundError when the corpus folder does not exist.
    """
    from intake.reports import council_index, council_index_from_lookup

    from .models import Council

    corpus = Path(corpus)
    if not corpus.is_dir():
        raise FileNotFoundError(f"{corpus} is not a folder of reports")
    files = corpus_files(corpus)
    frameworks = {
        f.key: f for f in Framework.objects.select_related("scale").prefetch_related("scale__grades", "areas")
    }
    for framework in frameworks.values():
        framework.judged_areas = list(framework.areas.all())
    area_names = {a.key: a.short_name for f in frameworks.values() for a in f.judged_areas}
    # Councils from the database when loaded, else from the lookup file (a fresh checkout needs only `migrate`).
    index = council_index() if Council.objects.exists() else council_index_from_lookup()
    settler = _Settler(
        index=index,
        councils=dict(index.by_urn),
        frameworks=frameworks,
        history=_history_rows(history_path),
    )
    built = Built()
    tasks = [(str(corpus), relative, area_names) for relative in files]
    for number, read in enumerate(_read_all(tasks, jobs), start=1):
        if progress:
            progress(number, len(files), read["file"])
        if "refused" in read:
            built.refused.append((read["file"], read["refused"]))
            continue
        entry, problem = settler.settle(read)
        if entry is None:
            built.refused.append((read["file"], problem))
            continue
        built.entries.append(entry)
    for file, reason in built.refused:
        urn = Path(file).parts[1].split("_")[0] if len(Path(file).parts) > 2 else ""
        built.review.append(
            {
                "file": file,
                "urn": urn,
                "council": "",
                "kind": "",
                "field": "file",
                "report": reason,
                "history": "",
                "settled": "Refused: not in the record (a history row for it, if any, stays as it was).",
            }
        )
    built.review.extend(settler.review)
    built.entries.sort(key=lambda e: e["file"])
    built.review.sort(key=lambda r: (r["file"], r["field"], r["report"]))
    return built


def _read_all(tasks, jobs):
    if jobs <= 1:
        yield from map(read_one, tasks)
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap(read_one, tasks, chunksize=4)


def write_record(built, *, record_path=RECORD_FILE, review_path=REVIEW_FILE):
    """Write the record (one JSON object per line, keys sorted) and the review file, deterministically."""
    lines = [json.dumps(entry, ensure_ascii=False, sort_keys=True) for entry in built.entries]
    Path(record_path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REVIEW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(built.review)
    Path(review_path).write_text(buffer.getvalue(), encoding="utf-8")


# Loading -----------------------------------------------------------------------------------------

_record_files_cache = {}


def record_files(path=RECORD_FILE):
    """The corpus paths the record holds (an event's `source_name` when it was loaded from it)."""
    path = Path(path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return frozenset()
    cached = _record_files_cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    files = frozenset(json.loads(line)["file"] for line in path.read_text(encoding="utf-8").splitlines() if line)
    _record_files_cache[path] = (stamp, files)
    return files


def held_from_record(event):
    """Whether an event was loaded from the shipped record (its values are already reconciled)."""
    return event is not None and event.source_name in record_files()


@dataclass
class RecordItem:
    line: int
    council: object
    kind: str
    values: dict
    judgements: dict | None
    recommendations: list | None
    earlier: bool = False  # an earlier inspection the report states, not the report itself


def parse_record(path=RECORD_FILE):
    """Validated RecordItems from the record file: each report, then (after every report) each earlier
    inspection the reports state, once per council, framework and month. Raises ImportFailed naming
    each bad line."""
    from .models import Council

    councils = {c.urn: c for c in Council.objects.all()}
    frameworks = {f.key: f for f in Framework.objects.all()}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportFailed(Path(path).name, [RowError(0, "the file does not exist.")]) from None
    items, earlier, seen, errors = [], [], set(), []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
            items.append(_item(line, entry, councils, frameworks))
            for previous in entry.get("previous") or []:
                key = (entry["council"]["urn"], previous["framework"], previous["month"], previous["published"])
                if key not in seen:
                    seen.add(key)
                    earlier.append(_earlier_item(line, entry, previous, councils, frameworks))
        except (ValueError, KeyError, TypeError) as exc:
            errors.append(RowError(line, str(exc) if isinstance(exc, ValueError) else f"missing value {exc}."))
    if errors:
        raise ImportFailed(Path(path).name, errors)
    return items + earlier


def _item(line, entry, councils, frameworks):
    council = councils.get(entry["council"]["urn"])
    if council is None:
        raise ValueError(f"URN {entry['council']['urn']} is not a council we know (load the councils first).")
    kind = entry["kind"]
    if kind not in EventKind.values:
        raise ValueError(f"“{kind}” is not a kind of event we record.")
    framework = None
    if kind == EventKind.INSPECTION and entry.get("framework"):
        framework = frameworks.get(entry["framework"])
        if framework is None:
            raise ValueError(f"the framework “{entry['framework']}” is not one we record.")

    def day(name):
        return date.fromisoformat(entry[name]) if entry.get(name) else None

    values = {
        "start_date": day("start_date"),
        "end_date": day("end_date"),
        "published_date": day("published_date"),
        "lead_inspector": (entry.get("lead_inspector") or "")[:200],
        "inspectors": list(entry.get("inspectors") or []),
        "focus_key": (entry.get("focus_key") or "")[:40],
        "focus": (entry.get("focus") or "")[:300],
        "source_url": entry.get("link") or "",
        "source_name": entry["file"][:300],
    }
    if values["start_date"] is not None:
        values["date_precision"] = DatePrecision.DAY
    if kind == EventKind.INSPECTION:
        values["framework"] = framework
        values["inspection_type"] = entry.get("inspection_type") or ""
    # Values the report did not give are left out, so what another source holds is kept.
    values = {k: v for k, v in values.items() if v not in (None, "", [])}
    judgements = dict(entry.get("judgements") or {}) if framework is not None else None
    recommendations = [
        {"text": r["text"], "addressed_to": r.get("addressed_to") or "council", "priority": bool(r.get("priority"))}
        for r in entry.get("recommendations") or []
    ]
    return RecordItem(line, council, kind, values, judgements or None, recommendations or None)


def _earlier_item(line, entry, previous, councils, frameworks):
    """An earlier inspection stated by a report: its month, framework and grades, nothing more."""
    council = councils.get(entry["council"]["urn"])
    framework = frameworks.get(previous["framework"])
    if council is None or framework is None:
        raise ValueError(f"the earlier inspection's council or framework “{previous['framework']}” is not known.")
    when = date.fromisoformat(previous["month"] + "-01")
    stated_in = entry.get("published_date")
    stated = f" of {date.fromisoformat(stated_in):%-d %B %Y}" if stated_in else ""
    values = {
        "framework": framework,
        "start_date": None if previous["published"] else when,
        "published_date": when if previous["published"] else None,
        "date_precision": DatePrecision.MONTH,
        "summary": (
            f"Recorded from Ofsted's later report{stated}, which states this inspection's "
            "date and grades; the tracker does not hold this inspection's own report."
        ),
        "source_name": entry["file"][:300],
    }
    values = {k: v for k, v in values.items() if v is not None}
    return RecordItem(line, council, EventKind.INSPECTION, values, dict(previous["judgements"]), None, earlier=True)


def load_record(*, path=RECORD_FILE, dry_run=False):
    """Save every report of the record as an event, all or nothing. Raises ImportFailed; returns ImportSummary.

    An event already held for the same report (same Ofsted link; or same council, kind and dates,
    a partial date matching within its month or year) is updated, never doubled. An earlier
    inspection a report states is added only when nothing else holds that inspection: a report of
    its own, or an event an editor or another source entered, keeps its values.
    """
    items = parse_record(path)

    def apply(summary):
        summary.rows = len(items)
        for item in items:
            match = find_matching_event(
                council=item.council,
                kind=item.kind,
                start_date=item.values.get("start_date"),
                published_date=item.values.get("published_date"),
                source_url=item.values.get("source_url", ""),
                date_precision=item.values.get("date_precision", DatePrecision.DAY),
            )
            if item.earlier and match is not None and match.source_name != item.values["source_name"]:
                summary.add(UNCHANGED)
                continue
            try:
                _event, status = event_save(
                    council=item.council,
                    kind=item.kind,
                    values=item.values,
                    judgements=item.judgements,
                    recommendations=item.recommendations,
                    event=match,
                    merge=True,
                )
            except ValidationError as exc:
                raise ImportFailed(Path(path).name, [RowError(item.line, " ".join(exc.messages))]) from exc
            summary.add(status)

    return run_import(source=Path(path).name, dry_run=dry_run, apply=apply)
