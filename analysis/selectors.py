"""Reads for the analysts' pages and downloads, each a fixed number of queries whatever the data size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q

from inspections.models import (
    AddressedTo,
    Event,
    EventKind,
    FrameworkArea,
    Judgement,
    JudgementArea,
    Recommendation,
    RecommendationStatus,
    RecommendationUpdate,
)
from inspections.states import GRADE_NOT_RECORDED, NOT_JUDGED, STATES

from .columns import RECOMMENDATION_COLUMNS, VISIT_COLUMNS, InspectionRow, inspection_columns, values
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


def inspection_events():
    """Every inspection with its council, region, framework and judgements, oldest first within each
    council (the downloads' order): two queries once evaluated."""
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


def _previous_grades(history):
    """{event id: {theme: grade key}}: for each inspection in `history` (each council's inspections,
    oldest first), the grade in each theme at the council's most recent earlier inspection holding one."""
    latest = defaultdict(dict)  # council id → {theme: the latest grade key seen so far}
    previous = {}
    for event in history:
        previous[event.pk] = dict(latest[event.council_id])
        for theme, grade in _grades_by_theme(event).items():
            latest[event.council_id][theme] = grade.key
    return previous


def inspection_rows(events, *, history, theme_list):
    """InspectionRow for each of `events` (from inspection_events()). `history` holds at least every
    inspection of their councils up to them, oldest first per council (the same list for the whole
    record); the previous grades come from it. One query (which themes each framework judges)."""
    judged = _judged_themes()
    previous = _previous_grades(history)
    rows = []
    for event in events:
        grades = _grades_by_theme(event)
        cells = {key: _cell_state(event, key, grades, judged) for key, _label in theme_list}
        rows.append(InspectionRow(event, cells, previous.get(event.pk, {})))
    return rows


def inspections_sheet(*, link_for):
    """Every inspection of every era, one row per inspection, oldest first within each council.

    `link_for(event)` gives the tracker's absolute link to an event. For each theme: the grade (a
    grade key, or `not_judged` / `not_recorded`) and the previous grade in that theme (from the
    council's most recent earlier inspection that holds one). Four queries.
    """
    theme_list = themes()
    columns = inspection_columns(theme_list)
    events = list(inspection_events())
    rows = inspection_rows(events, history=events, theme_list=theme_list)
    return Sheet(
        "Inspections",
        [c.name for c in columns],
        [values(columns, row, link_for) for row in rows],
        vocabulary_notes(theme_list),
    )


def visit_events():
    """Every monitoring visit, focused visit and joint targeted area inspection, in the downloads' order."""
    return (
        Event.objects.filter(kind__in=VISIT_KINDS)
        .select_related("council__region")
        .with_sort_date()
        .order_by("council__name", "sort_date", "pk")
    )


def visits_sheet(*, link_for):
    """Every monitoring visit, focused visit and joint targeted area inspection. One query."""
    rows = [values(VISIT_COLUMNS, e, link_for) for e in visit_events()]
    notes = [(kind.value, kind.label) for kind in EventKind if kind.value in VISIT_KINDS]
    return Sheet("Visits", [c.name for c in VISIT_COLUMNS], rows, notes)


def recommendations_with_status():
    """Every recommendation with its event, council and region, its status as the one rule settles
    it (`standing`: open, in progress, met, superseded by a later inspection, closed with the LSCBs)
    and `status_updated`, the date of its last recorded status update; in the downloads' order."""
    return (
        Recommendation.objects.select_related("event__council__region", "event__framework")
        .with_standing()
        # The status rule's own "last update" subquery: no GROUP BY over every recommendation, so a
        # page of them costs its rows only (the API: 6 s → 0.1 s a page on the demo data).
        .annotate(status_updated=F("_last_update"))
        .order_by(
            "event__council__name", "event__start_date", "event__published_date", "event_id", "addressed_to", "number"
        )
    )


def recommendations_sheet(*, link_for):
    """Every recommendation with the inspection or visit that made it, its status and the date of its
    last recorded status update. One query."""
    rows = [values(RECOMMENDATION_COLUMNS, r, link_for) for r in recommendations_with_status()]
    notes = [(c.value, c.label) for c in RecommendationStatus] + [(c.value, c.label) for c in AddressedTo]
    return Sheet("Recommendations", [c.name for c in RECOMMENDATION_COLUMNS], rows, notes)


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


# What changed since a date ---------------------------------------------------------------------


@dataclass
class GradeChange:
    """One theme whose grade a newly published inspection changed against the council's previous one."""

    event: Event
    theme_label: str
    previous: object  # Grade
    new: object  # Grade

    @property
    def direction(self):
        if self.new.rank < self.previous.rank:
            return "Better"
        if self.new.rank > self.previous.rank:
            return "Worse"
        return "Same standing, different wording"


@dataclass
class Changes:
    """Everything that changed between `since` and `until` (both inclusive), newest first."""

    since: datetime.date
    until: datetime.date
    publications: list = field(default_factory=list)
    grade_changes: list = field(default_factory=list)
    entered_intervention: list = field(default_factory=list)
    left_intervention: list = field(default_factory=list)
    status_changes: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not (
            self.publications
            or self.grade_changes
            or self.entered_intervention
            or self.left_intervention
            or self.status_changes
        )


def _grade_changes(new_inspections, history):
    """GradeChange rows: each new graded inspection against the council's previous graded one."""
    labels = dict(themes())
    by_council = defaultdict(list)
    for event in history:  # oldest first
        by_council[event.council_id].append(event)
    changes = []
    for event in new_inspections:
        grades = _grades_by_theme(event)
        if not grades:
            continue
        earlier = [e for e in by_council[event.council_id] if e.sort_date < event.sort_date and e.judgements.all()]
        if not earlier:
            continue
        before = _grades_by_theme(earlier[-1])
        for theme, grade in grades.items():
            old = before.get(theme)
            if old is not None and old.key != grade.key:
                changes.append(GradeChange(event, labels.get(theme, theme), old, grade))
    return changes


def changes_since(*, since, until):
    """What changed from `since` to `until`: reports and letters published, grades changed by a new
    inspection against the council's previous graded one, government interventions begun or ended,
    and recommendation status updates recorded. Six queries."""
    from inspections.models import REPORTED_KINDS

    publications = list(
        Event.objects.filter(kind__in=REPORTED_KINDS)
        .published_between(since, until)
        .select_related("council", "framework")
        .prefetch_related(Prefetch("judgements", Judgement.objects.select_related("area", "grade")))
        .with_sort_date()
        .order_by("-published_date", "council__name", "pk")
    )
    new_inspections = [e for e in publications if e.kind == EventKind.INSPECTION]
    history = (
        Event.objects.inspections()
        .filter(council_id__in={e.council_id for e in new_inspections})
        .prefetch_related(Prefetch("judgements", Judgement.objects.select_related("area", "grade")))
        .with_sort_date()
        .order_by("sort_date", "pk")
    )
    interventions = list(
        Event.objects.filter(kind=EventKind.INTERVENTION)
        .filter(Q(start_date__gte=since, start_date__lte=until) | Q(end_date__gte=since, end_date__lte=until))
        .select_related("council")
        .order_by("council__name", "start_date")
    )
    updates = (
        RecommendationUpdate.objects.filter(date__gte=since, date__lte=until)
        .select_related("recommendation__event__council")
        .order_by("-date", "-created_at")
    )
    return Changes(
        since=since,
        until=until,
        publications=publications,
        grade_changes=_grade_changes(new_inspections, history),
        entered_intervention=[e for e in interventions if e.start_date and since <= e.start_date <= until],
        left_intervention=[e for e in interventions if e.end_date and since <= e.end_date <= until],
        status_changes=list(updates),
    )


def changes_sheet(changes, *, link_for):
    """The changes as one table for CSV: one row per change, with its kind, date, council and link."""
    headers = ["change", "date", "council_urn", "council", "what", "previous", "new", "tracker_link", "ofsted_link"]
    rows = []
    for e in changes.publications:
        rows.append(
            [
                "published",
                e.published_date,
                e.council.urn,
                e.council.name,
                e.display_title,
                "",
                "",
                link_for(e),
                e.source_url,
            ]
        )
    for c in changes.grade_changes:
        e = c.event
        rows.append(
            [
                "grade_changed",
                e.published_date,
                e.council.urn,
                e.council.name,
                f"{c.theme_label} ({e.display_title})",
                c.previous.key,
                c.new.key,
                link_for(e),
                e.source_url,
            ]
        )
    for e in changes.entered_intervention:
        rows.append(
            [
                "entered_intervention",
                e.start_date,
                e.council.urn,
                e.council.name,
                e.display_title,
                "",
                "",
                link_for(e),
                "",
            ]
        )
    for e in changes.left_intervention:
        rows.append(
            ["left_intervention", e.end_date, e.council.urn, e.council.name, e.display_title, "", "", link_for(e), ""]
        )
    for u in changes.status_changes:
        r = u.recommendation
        rows.append(
            [
                "recommendation_status",
                u.date,
                r.event.council.urn,
                r.event.council.name,
                f"{r.number}. {r.text}",
                "",
                u.status,
                link_for(r.event),
                "",
            ]
        )
    title = f"What changed from {changes.since:%Y-%m-%d} to {changes.until:%Y-%m-%d}"
    return Sheet(title, headers, rows)
