"""Reads that span models or shape data for a page or the API, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch

from .models import Council, Event, EventKind, Grade, StatisticalNeighbour


def latest_graded_inspections(*, councils):
    """{council id: its most recent inspection with judgements (judgements prefetched)}.

    `councils`: a Council queryset. Three queries whatever the number of councils.
    """
    ids = [
        latest_id
        for latest_id in councils.with_latest_graded_id().values_list("latest_graded_id", flat=True)
        if latest_id
    ]
    events = Event.objects.filter(pk__in=ids).with_judgements()
    return {event.council_id: event for event in events}


def council_with_relations(*, queryset=None, **lookup):
    """One council with its region, ordered neighbours, predecessors and successors prefetched.

    Raises Council.DoesNotExist.
    """
    queryset = queryset if queryset is not None else Council.objects.all()
    return (
        queryset.with_region()
        .prefetch_related(
            Prefetch(
                "neighbour_links",
                StatisticalNeighbour.objects.select_related("neighbour", "neighbour__region").order_by("rank"),
            ),
            "predecessors",
            "successors",
        )
        .get(**lookup)
    )


def council_timeline(*, council):
    """Every event of a council in date order, with framework, judgements and recommendations."""
    return list(council.events.with_details().chronological())


def judgements_by_area(event):
    """{area key: grade key} for an event whose judgements are prefetched, in the framework's order."""
    return {j.area.key: j.grade.key for j in event.judgements.all()}


def grade_styles():
    """The grades as chart styles (best first), from the Grade rows, for charts and the map."""
    from .charts import GradeStyle

    return [GradeStyle(g.key, g.short_label, g.colour, g.pattern) for g in Grade.objects.order_by("rank", "key")]


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


@dataclass
class Comparison:
    """A council beside its statistical neighbours and its region, by latest graded inspection."""

    council: object
    latest: object
    neighbours: list  # [(council, latest event or None)] in the DfE's rank order
    region_councils: list  # [(council, latest event or None)] of the same region, by name


def neighbour_comparison(*, council):
    """Compare a council (from council_with_relations) with its neighbours and region; 4 queries."""
    neighbour_councils = [link.neighbour for link in council.neighbour_links.all()]
    region_councils = list(Council.objects.active().filter(region_id=council.region_id).with_region())
    ids = {council.pk} | {c.pk for c in neighbour_councils} | {c.pk for c in region_councils}
    latest = latest_graded_inspections(councils=Council.objects.filter(pk__in=ids))
    return Comparison(
        council=council,
        latest=latest.get(council.pk),
        neighbours=[(c, latest.get(c.pk)) for c in neighbour_councils],
        region_councils=[(c, latest.get(c.pk)) for c in region_councils],
    )
