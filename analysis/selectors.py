"""Reads for the analysts' pages and downloads, each a fixed number of queries whatever the data size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, Q

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
    """Every recommendation with the inspection or visit that made it, its status as the one rule
    settles it (open, in progress, met, superseded by a later inspection, closed with the LSCBs) and
    the date of its last recorded status update. One query."""
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
        .with_standing()
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
            r.standing,
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
