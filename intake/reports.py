"""Turn what the report reader found into a saved event: match the council, spot duplicates, attach the file.

The intake pipeline (`intake.pipeline`) uses this module for every report, uploaded, imported or
fetched: `council_index()` and `match_council()` find the council a report names, `report_values()`
turns a ReportResult into `event_save` arguments, and `report_event_save()` saves them with the
report file attached, in one transaction.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

from inspections.models import DatePrecision, Event, EventKind, Framework
from inspections.services import find_matching_event

COUNCILS_FILE = Path(settings.BASE_DIR) / "inspections" / "data" / "la_lookup.csv"
PDF_MAGIC = b"%PDF-"

# Words around a council's name that reports add and our lookup does not ("Wirral Metropolitan
# Borough Council", "London Borough of Barnet", "Bristol, City of"). Longest first.
_PREFIXES = (
    "the council of the",
    "council of the",
    "the royal borough of",
    "royal borough of",
    "london borough of",
    "metropolitan borough of",
    "the metropolitan borough of",
    "the borough of",
    "borough of",
    "the city of",
    "city and county of",
    "city of",
    "county of",
    "the county of",
    "the",
)
_SUFFIXES = (
    "metropolitan borough council",
    "metropolitan district council",
    "metropolitan council",
    "borough council",
    "county borough council",
    "county council",
    "city council",
    "district council",
    "unitary authority",
    "unitary council",
    "local authority",
    "corporation",
    "council",
    "borough",
)
# Names reports use that the lookup spells otherwise, after normalising.
_ALIASES = {
    "bcp": "bournemouth christchurch and poole",
    "newcastle": "newcastle upon tyne",
    "hull": "kingston upon hull",
    "county durham": "durham",
    "durham county": "durham",
    "saint helens": "st helens",
    "southend": "southend on sea",
    "stockton": "stockton on tees",
    "stoke": "stoke on trent",
    "london corporation": "london",
    "corporation of london": "london",
    "telford": "telford and wrekin",
    "bath and ne somerset": "bath and north east somerset",
    "hammersmith": "hammersmith and fulham",
    "kensington": "kensington and chelsea",
    "windsor": "windsor and maidenhead",
}


def normalise_council_name(text):
    """A council's name reduced to the words that identify it: case, punctuation, "&"/"and",
    "City of", "London Borough of", "County Council" and the like removed. "" for no name."""
    name = (text or "").casefold().replace("&", " and ").replace("’", "'")
    name = re.sub(r",\s*(?:the\s+)?(?:city|county|royal borough|borough) of\s*$", "", name)
    name = re.sub(r"[^\w\s]", " ", name.replace("'", ""))
    name = " ".join(name.replace("_", " ").split())
    changed = True
    while changed and name:
        changed = False
        for prefix in _PREFIXES:
            if name.startswith(prefix + " ") and len(name) > len(prefix) + 1:
                name, changed = name[len(prefix) + 1 :], True
                break
        for suffix in _SUFFIXES:
            if name.endswith(" " + suffix) and len(name) > len(suffix) + 1:
                name, changed = name[: -len(suffix) - 1], True
                break
    return _ALIASES.get(name, name)


@dataclass
class CouncilIndex:
    """Every council by URN and by normalised name (None where a name is ambiguous)."""

    by_urn: dict = field(default_factory=dict)
    by_name: dict = field(default_factory=dict)

    def add_name(self, name, council):
        key = normalise_council_name(name)
        if not key:
            return
        known = self.by_name.get(key, council)
        self.by_name[key] = council if known is None or known.pk == council.pk else _ambiguous(known, council)


def _ambiguous(first, second):
    """Two councils sharing a name: the active one wins (a new council keeps an old name); else nobody."""
    if first.is_active != second.is_active:
        return first if first.is_active else second
    return None


def council_index():
    """All councils (one query) indexed by URN, name and the lookup file's other spellings."""
    from inspections.models import Council

    index = CouncilIndex()
    councils = list(Council.objects.order_by("-is_active", "name"))
    for council in councils:
        index.by_urn[council.urn] = council
    for council in councils:
        index.add_name(council.name, council)
        index.add_name(council.slug.replace("-", " "), council)
    for urn, names in _lookup_spellings().items():
        council = index.by_urn.get(urn)
        if council is not None:
            for name in names:
                if normalise_council_name(name) not in index.by_name:
                    index.add_name(name, council)
    return index


@dataclass(frozen=True)
class LookupCouncil:
    """A council as the lookup file describes it, for reading reports without a database."""

    urn: int
    name: str
    is_active: bool = True

    @property
    def pk(self):
        return self.urn


def council_index_from_lookup():
    """The same index built from the council lookup file alone (a dry run without a database)."""
    index = CouncilIndex()
    for urn, names in _lookup_spellings().items():
        index.by_urn[urn] = LookupCouncil(urn=urn, name=names[0] if names else str(urn))
    for urn, names in _lookup_spellings().items():
        for name in names:
            index.add_name(name, index.by_urn[urn])
    return index


_spellings_cache = {}


def _lookup_spellings():
    """{URN: [other names]} from the council lookup's "also known as" and ONS name columns."""
    if "data" not in _spellings_cache:
        spellings = {}
        try:
            with COUNCILS_FILE.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    if not (row.get("urn") or "").isdigit():
                        continue
                    names = [row.get("local_authority_ons_name") or "", row.get("ltla23nm") or ""]
                    names.append(row.get("utla23nm") or "")
                    names += (row.get("also_known_as") or "").strip("[]").split(",")
                    spellings[int(row["urn"])] = [n.strip() for n in names if n.strip()]
        except OSError:
            spellings = {}
        _spellings_cache["data"] = spellings
    return _spellings_cache["data"]


def match_council(*, name=None, urn=None, index=None):
    """The council a report names: by URN when printed, else by name (case, punctuation and
    "City of"/"Council"-style words ignored). Returns None when nothing (or more than one) matches."""
    index = index or council_index()
    if urn is not None:
        return index.by_urn.get(int(urn))
    key = normalise_council_name(name)
    if not key:
        return None
    if key in index.by_name:
        return index.by_name[key]
    # A longer phrase that holds exactly one council's whole name ("Wirral local authority").
    padded = f" {key} "
    found = [(len(k), c) for k, c in index.by_name.items() if c is not None and f" {k} " in padded]
    if not found:
        return None
    found.sort(key=lambda pair: -pair[0])
    if len(found) > 1 and found[0][0] == found[1][0] and found[0][1].pk != found[1][1].pk:
        return None
    return found[0][1]


# From a ReportResult to event_save arguments ---------------------------------------------------


@dataclass
class ReportValues:
    """What `event_save` needs for one report; only the values the report states."""

    kind: str
    values: dict
    judgements: dict | None
    recommendations: list | None


def report_values(result, *, frameworks=None, source_name=""):
    """`event_save` arguments for a ReportResult. Values the report does not print are left out, so
    an update never blanks what we already hold. Raises ValidationError for a framework we do not know."""
    if result.kind not in EventKind.values:
        raise ValidationError(f"“{result.kind}” is not a kind of event we record.")
    values = {}
    if result.kind == EventKind.INSPECTION and result.framework:
        frameworks = frameworks if frameworks is not None else {f.key: f for f in Framework.objects.all()}
        framework = frameworks.get(result.framework)
        if framework is None:
            raise ValidationError(f"The framework “{result.framework}” is not one we record.")
        values["framework"] = framework
    if result.kind == EventKind.INSPECTION and result.inspection_type:
        values["inspection_type"] = result.inspection_type
    for name in ("start_date", "end_date", "published_date"):
        if getattr(result, name) is not None:
            values[name] = getattr(result, name)
    if result.start_date is not None:
        values["date_precision"] = DatePrecision.DAY
    if result.lead_inspector:
        values["lead_inspector"] = result.lead_inspector[:200]
    if result.focus:
        values["focus"] = result.focus[:300]
    # Newer readers also name every inspector and give the focus as a key (read only if present).
    inspectors = list(getattr(result, "inspectors", None) or [])
    if inspectors:
        values["inspectors"] = inspectors
    if getattr(result, "focus_key", None):
        values["focus_key"] = result.focus_key[:40]
    if source_name:
        values["source_name"] = source_name[:300]
    judgements = dict(result.judgements) if result.judgements and "framework" in values else None
    recommendations = [
        {"text": r.text, "addressed_to": r.addressed_to, "priority": bool(getattr(r, "priority", False))}
        for r in result.recommendations
    ] or None
    return ReportValues(kind=result.kind, values=values, judgements=judgements, recommendations=recommendations)


def find_duplicate(*, council, kind, start_date, published_date):
    """The event a report would update rather than add (same council, kind and start date, or
    published date where one side has no start date), or None. The event comes with its council,
    framework, judgements and recommendations, ready to show."""
    match = find_matching_event(council=council, kind=kind, start_date=start_date, published_date=published_date)
    if match is None:
        return None
    return Event.objects.with_judgements().prefetch_related("recommendations").get(pk=match.pk)


def safe_report_name(filename, *, fallback="report.pdf"):
    """A storage-safe file name from a name we did not choose (never a path); always ends .pdf."""
    name = Path(str(filename or "").replace("\\", "/")).name
    try:
        name = get_valid_filename(name)
    except Exception:  # noqa: BLE001 — SuspiciousFileOperation for "", ".", ".."
        name = ""
    name = name[-80:] or fallback  # FileField names stop at 100 characters with the folder
    if not name.lower().endswith(".pdf"):
        name = f"{name.rsplit('.', 1)[0] if '.' in name else name}.pdf"
    return name


def looks_like_pdf(head):
    """Whether a file's first bytes carry the PDF header (its type by content, not by name)."""
    return PDF_MAGIC in head[:1024]
