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
