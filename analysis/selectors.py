"""Reads for the analysts' pages and downloads, each a fixed number of queries whatever the data size."""

from collections import defaultdict

from django.db.models import Max, Prefetch

from inspections.models import (
    AddressedTo,
    Event,
    EventKind,
    FrameworkArea,
    Judgement,
    JudgementArea,
    Recommendation,
    RecommendationStatus,
)
from inspections.states import GRADE_NOT_RECORDED, NOT_JUDGED, STATES

from .exports import Sheet

VISIT_KINDS = [EventKind.MONITORING_VISIT, EventKind.FOCUSED_VISIT, EventKind.JTAI]


def themes():
    """[(theme key, theme label)] in the judgements grid's order: one download column per theme
    (a framework judges each theme at most once, so an inspection has at most one grade in each)."""
    seen = {}
    for area in JudgementArea.objects.order_by("theme_order", "key"):
        seen.setdefault(area.theme, area.theme_label)
    return list(seen.items())


def _judged_themes():
    """{framework id: set of theme keys it judges}: tells "not judged" from "grade not recorded"."""
    judged = defaultdict(set)
    for link in FrameworkArea.objects.select_related("area"):
        judged[link.framework_id].add(link.area.theme)
    return judged


def _inspections():
    return (
        Event.objects.inspections()
        .select_related("council__region", "framework")
        .prefetch_related(Prefetch("judgements", Judgement.objects.select_related("area", "grade")))
        .with_sort_date()
        .order_by("council__name", "sort_date", "pk")
    )


def _grades_by_theme(event):
    return {j.area.theme: j.grade for j in event.judgements.all()}


def _cell_state(event, theme, grades, judged):
    """The grade key, or the key of the state that is not a grade (states.py has the words)."""
    if theme in grades:
        return grades[theme].key
    if event.framework_id and theme not in judged[event.framework_id]:
        return NOT_JUDGED.key
    return GRADE_NOT_RECORDED.key


def vocabulary_notes(theme_list):
    """(code, meaning) pairs that explain a download's codes: the themes and the non-grade states."""
    notes = [("Theme columns", "Each inspection's grade in that theme, then the previous grade in it")]
    notes += [(key, label) for key, label in theme_list]
    notes += [(state.key, f"{state.label}: {state.explanation}") for state in STATES[:2]]
    notes.append(
        (
            "<theme>_previous",
            "The grade in that theme at the council's most recent earlier inspection that holds one "
            "(empty when there is none)",
        )
    )
    return notes


def inspections_sheet(*, link_for):
    """Every inspection of every era, one row per inspection, oldest first within each council.

    `link_for(event)` gives the tracker's absolute link to an event. For each theme: the grade (a
    grade key, or `not_judged` / `not_recorded`) and the previous grade in that theme (from the
    council's most recent earlier inspection that holds one). Four queries.
    """
    theme_list = themes()
    judged = _judged_themes()
    headers = [
        "event_id",
        "council_urn",
        "council",
        "la_code",
        "region",
        "framework",
        "framework_name",
        "inspection_type",
        "start_date",
        "end_date",
        "published_date",
        "lead_inspector",
        "ofsted_link",
        "tracker_link",
    ]
    for key, _label in theme_list:
        headers += [key, f"{key}_previous"]
    rows = []
    previous = {}  # (council id, theme) → the latest grade seen so far
    for event in _inspections():
        grades = _grades_by_theme(event)
        row = [
            event.pk,
            event.council.urn,
            event.council.name,
            event.council.la_code,
            event.council.region.name,
            event.framework.key if event.framework_id else "",
            event.framework.short_name if event.framework_id else "",
            event.inspection_type,
            event.start_date,
            event.end_date,
            event.published_date,
            event.lead_inspector,
            event.source_url,
            link_for(event),
        ]
        for key, _label in theme_list:
            row += [_cell_state(event, key, grades, judged), previous.get((event.council_id, key), "")]
        for key, grade in grades.items():
            previous[(event.council_id, key)] = grade.key
        rows.append(row)
    return Sheet("Inspections", headers, rows, vocabulary_notes(theme_list))


def visits_sheet(*, link_for):
    """Every monitoring visit, focused visit and joint targeted area inspection. One query."""
    headers = [
        "event_id",
        "council_urn",
        "council",
        "la_code",
        "region",
        "kind",
        "title",
        "focus",
        "start_date",
        "end_date",
        "published_date",
        "lead_inspector",
        "ofsted_link",
        "tracker_link",
    ]
    events = (
        Event.objects.filter(kind__in=VISIT_KINDS)
        .select_related("council__region")
        .with_sort_date()
        .order_by("council__name", "sort_date", "pk")
    )
    rows = [
        [
            e.pk,
            e.council.urn,
            e.council.name,
            e.council.la_code,
            e.council.region.name,
            e.kind,
            e.display_title,
            e.focus,
            e.start_date,
            e.end_date,
            e.published_date,
            e.lead_inspector,
            e.source_url,
            link_for(e),
        ]
        for e in events
    ]
    notes = [(kind.value, kind.label) for kind in EventKind if kind.value in VISIT_KINDS]
    return Sheet("Visits", headers, rows, notes)


def recommendations_sheet(*, link_for):
    """Every recommendation with the inspection or visit that made it, its status and the date of
    its last recorded status update. One query."""
    headers = [
        "recommendation_id",
        "council_urn",
        "council",
        "region",
        "event_id",
        "event_kind",
        "framework",
        "event_start_date",
        "event_published_date",
        "addressed_to",
        "number",
        "text",
        "status",
        "status_updated",
        "tracker_link",
    ]
    recommendations = (
        Recommendation.objects.select_related("event__council__region", "event__framework")
        .annotate(status_updated=Max("updates__date"))
        .order_by(
            "event__council__name", "event__start_date", "event__published_date", "event_id", "addressed_to", "number"
        )
    )
    rows = [
        [
            r.pk,
            r.event.council.urn,
            r.event.council.name,
            r.event.council.region.name,
            r.event_id,
            r.event.kind,
            r.event.framework.key if r.event.framework_id else "",
            r.event.start_date,
            r.event.published_date,
            r.addressed_to,
            r.number,
            r.text,
            r.status,
            r.status_updated,
            link_for(r.event),
        ]
        for r in recommendations
    ]
    notes = [(c.value, c.label) for c in RecommendationStatus] + [(c.value, c.label) for c in AddressedTo]
    return Sheet("Recommendations", headers, rows, notes)


DOWNLOADS = {
    "inspections": (
        "Every inspection",
        "One row per inspection of every era: each judgement by theme with the previous grade beside it, "
        "dates, lead inspector and links.",
        inspections_sheet,
    ),
    "visits": (
        "Every visit",
        "Monitoring visits, focused visits and joint targeted area inspections: "
        "focus, dates, lead inspector and links.",
        visits_sheet,
    ),
    "recommendations": (
        "Every recommendation",
        "Each recommendation with the inspection or visit that made it, its status and when that was last updated.",
        recommendations_sheet,
    ),
}
