"""Turn what the report reader found into a saved event: match the council, spot duplicates, attach the file.

The intake pipeline (`intake.pipeline`) uses this module for every report, uploaded, imported or
fetched: `council_index()` and `match_council()` (from `inspections.councils`) find the council a
report names, `report_values()` turns a ReportResult into `event_save` arguments, and
`report_event_save()` saves them with the report file attached, in one transaction.
"""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

# Council matching lives in the core (the shipped record uses it too); intake's callers take it from here.
from inspections.councils import (  # noqa: F401
    council_index,
    council_index_from_lookup,
    match_council,
    normalise_council_name,
)
from inspections.models import DatePrecision, Event, EventKind, Framework
from inspections.selectors.matching import find_matching_event

PDF_MAGIC = b"%PDF-"


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
