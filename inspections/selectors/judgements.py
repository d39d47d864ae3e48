"""Reads about one inspection's judgements: its headline, the direction of travel between two, the grid."""

from dataclasses import dataclass

from .. import states
from ..models import EventKind, Grade


@dataclass
class GridRow:
    """One row of a judgements grid: a theme, and for each inspection its judgement (or None)."""

    theme: str
    label: str
    cells: list


@dataclass
class JudgementGrid:
    """Areas (rows, matched across frameworks by theme) × graded inspections (columns, oldest first)."""

    columns: list
    rows: list

    def __bool__(self):
        return bool(self.columns)


def judgement_grid(*, events):
    """Build the grid from events with judgements prefetched (e.g. a council_timeline). No queries."""
    columns = [e for e in events if e.kind == EventKind.INSPECTION and e.judgements.all()]
    themes = {}
    for column, event in enumerate(columns):
        for judgement in event.judgements.all():
            area = judgement.area
            row = themes.setdefault(area.theme, (area.theme_order, area.theme_label, [None] * len(columns)))
            row[2][column] = judgement
    rows = [
        GridRow(theme, label, cells) for theme, (_order, label, cells) in sorted(themes.items(), key=lambda t: t[1][0])
    ]
    return JudgementGrid(columns=columns, rows=rows)


IMPROVED, DECLINED, SAME, NOT_COMPARABLE, FIRST = (
    "improved",
    "declined",
    "same",
    "not_comparable",
    "first",
)


@dataclass
class Direction:
    """Direction of travel between a council's two most recent graded inspections."""

    key: str  # IMPROVED, DECLINED, SAME, NOT_COMPARABLE, FIRST or states.NO_INSPECTION.key
    label: str  # what the table shows, e.g. "Improved"
    basis: str  # how it was compared, in words, e.g. "overall effectiveness: inadequate → good"

    @property
    def sort_key(self):
        return [IMPROVED, SAME, DECLINED, NOT_COMPARABLE, FIRST, states.NO_INSPECTION.key].index(self.key)

    @property
    def is_like_for_like(self):
        """Whether two overall grades on one scale were compared: then the basis only restates them."""
        return self.key in (IMPROVED, SAME, DECLINED)


def read_judgements(events):
    """`events` (a queryset or list of Events) as a list, each with its judgements prefetched as
    `EventQuerySet.with_judgements` does (area and grade selected, in theme order): one query.

    The difference is the vocabulary: each area and grade is built once and shared by every
    judgement that names it. The dashboard and the councils table read ~1,300 judgements of a few
    dozen areas and a handful of grades, and building an area and a grade for every judgement was
    most of their cold time in the database layer. Callers select the event's council and framework.
    """
    from django.db import router

    from ..models import Judgement, JudgementArea

    events = list(events)
    if not events:
        return events
    own, area_fields, grade_fields = (
        [f.name for f in model._meta.concrete_fields] for model in (Judgement, JudgementArea, Grade)
    )
    rows = (
        Judgement.objects.filter(event__in=[e.pk for e in events])
        .order_by("area__theme_order")
        .values_list(*own, *(f"area__{f}" for f in area_fields), *(f"grade__{f}" for f in grade_fields))
    )
    db = router.db_for_read(Judgement)
    attnames = [[f.attname for f in model._meta.concrete_fields] for model in (Judgement, JudgementArea, Grade)]
    by_event, areas, grades = {e.pk: [] for e in events}, {}, {}
    area_at, grade_at = len(own), len(own) + len(area_fields)
    event_at, area_id_at, grade_id_at = own.index("event"), own.index("area"), own.index("grade")
    for row in rows:
        judgement = Judgement.from_db(db, attnames[0], row[:area_at])
        area = areas.get(row[area_id_at])
        if area is None:
            area = areas[row[area_id_at]] = JudgementArea.from_db(db, attnames[1], row[area_at:grade_at])
        grade = grades.get(row[grade_id_at])
        if grade is None:
            grade = grades[row[grade_id_at]] = Grade.from_db(db, attnames[2], row[grade_at:])
        judgement._state.fields_cache.update(area=area, grade=grade)
        by_event[row[event_at]].append(judgement)
    for event in events:
        for judgement in by_event[event.pk]:
            judgement._state.fields_cache["event"] = event
        # What prefetch_related stores: a queryset of the event's judgements, already evaluated.
        queryset = event.judgements.get_queryset()
        queryset._result_cache, queryset._prefetch_done = by_event[event.pk], True
        if not hasattr(event, "_prefetched_objects_cache"):
            event._prefetched_objects_cache = {}
        event._prefetched_objects_cache["judgements"] = queryset
    return events


def headline_judgement(event):
    """The headline (overall) Judgement of an event with prefetched judgements, or None."""
    if event is None or not event.framework_id or not event.framework.headline_area_id:
        return None
    return next((j for j in event.judgements.all() if j.area_id == event.framework.headline_area_id), None)


def worst_by_theme(event):
    """{theme: worst Grade} of an event's judgements (prefetched)."""
    worst = {}
    for j in event.judgements.all():
        if j.area.theme not in worst or j.grade.rank > worst[j.area.theme].rank:
            worst[j.area.theme] = j.grade
    return worst


def direction_of_travel(latest, previous):
    """Direction of travel from `previous` to `latest` (graded inspections, judgements prefetched,
    or None); no queries. The one rule used by pages, exports, the API and the PDF briefings.

    Like with like only: the two overall effectiveness grades are compared when both inspections
    made one on the same grade scale (SIF and every ILACS share one; the 2009 inspections graded
    "adequate" on another). Otherwise the result is "not comparable" and the basis says why; ordinal
    grades of different areas or frameworks are never averaged.
    """
    if latest is None:
        return Direction(states.NO_INSPECTION.key, states.NO_INSPECTION.label, "No graded inspection is recorded.")
    if previous is None:
        return Direction(FIRST, "First graded inspection", "No earlier graded inspection is recorded.")
    now, then = headline_judgement(latest), headline_judgement(previous)
    if now is None or then is None:
        without = latest if now is None else previous
        name = without.framework.short_name if without.framework_id else None
        which = "latest" if without is latest else "previous"
        reason = (
            f"the {which} inspection ({name}) made no overall effectiveness judgement"
            if name
            else f"the {which} inspection's framework is not recorded"
        )
        return Direction(NOT_COMPARABLE, "Not comparable", f"No like-for-like grade: {reason}.")
    if latest.framework.scale_id != previous.framework.scale_id:
        return Direction(
            NOT_COMPARABLE,
            "Not comparable",
            f"No like-for-like grade: {previous.framework.short_name} ({then.grade.label.lower()}) and "
            f"{latest.framework.short_name} ({now.grade.label.lower()}) grade on different scales.",
        )
    basis = f"Overall effectiveness: {then.grade.label.lower()} → {now.grade.label.lower()}"
    if now.grade.rank < then.grade.rank:
        return Direction(IMPROVED, "Improved", basis)
    if now.grade.rank > then.grade.rank:
        return Direction(DECLINED, "Declined", basis)
    return Direction(SAME, "Same", basis)


def grade_vocabulary():
    """(chart styles best first, trajectory axis rows): grades of equal rank share a row. One query."""
    from ..states import grade_styles

    grades, rows = list(Grade.objects.order_by("rank", "key")), {}
    for grade in grades:
        rows.setdefault(grade.rank, []).append(grade.key)
    return grade_styles(grades, states=()), [tuple(keys) for keys in rows.values()]
