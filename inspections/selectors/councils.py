"""One council: its page (timeline, grid, comparison), its events, and councils to choose from."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from ..models import Council, Event, EventKind, StatisticalNeighbour
from .judgements import Direction, JudgementGrid, direction_of_travel, headline_judgement, judgement_grid


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


@dataclass
class LatestGrades:
    """A council's latest graded inspection in brief: for side-by-side comparisons."""

    council: object
    event: object  # Event (framework selected) or None
    grades: dict  # {theme: Grade}
    headline: object  # Grade or None
    cells: list = None  # [Grade or None] aligned with the comparison's themes


@dataclass
class CouncilPage:
    """Everything the council page shows, read in nine queries."""

    council: object
    timeline: list  # every Event, oldest first, with judgements, recommendations and updates
    grid: JudgementGrid
    graded: list  # graded inspections, oldest first
    direction: Direction
    interventions: list  # intervention Events in force today
    predecessors: list
    successors: list
    comparison: list  # [(group label, [LatestGrades])]: the council, its neighbours, its region
    themes: list  # [(theme, label)] for comparison columns, in theme order
    open_recommendations: int
    latest: object = None  # the latest graded inspection, or None
    headline: object = None  # its headline (overall) Judgement, or None
    from_reports: bool = True  # whether any event was read from Ofsted's reports (the shipped record)
    states: tuple = ()  # the non-grade states the page explains (states.NOT_JUDGED, GRADE_NOT_RECORDED)


def _latest_grades(councils):
    """({council id: LatestGrades}, [(theme, label)] judged) for a Council queryset, in two queries."""
    from ..models import Judgement

    found, latest, themes = {}, {}, {}
    for council in councils.with_region().with_latest_graded_id():
        found[council.pk] = LatestGrades(council, None, {}, None)
        if council.latest_graded_id:
            latest[council.latest_graded_id] = council.pk
    judgements = Judgement.objects.filter(event_id__in=list(latest)).select_related("event__framework", "area", "grade")
    for j in judgements:
        entry = found[latest[j.event_id]]
        entry.event = j.event
        theme = j.area.theme
        themes.setdefault(theme, (j.area.theme_order, j.area.theme_label))
        if theme not in entry.grades or j.grade.rank > entry.grades[theme].rank:
            entry.grades[theme] = j.grade
        if j.event.framework_id and j.area_id == j.event.framework.headline_area_id:
            entry.headline = j.grade
    ordered = [(theme, label) for _order, theme, label in sorted((o, t, lb) for t, (o, lb) in themes.items())]
    for entry in found.values():
        entry.cells = [entry.grades.get(theme) for theme, _label in ordered]
    return found, ordered


def council_page(*, slug):
    """The council page: timeline, judgements grid, direction of travel, comparison. Nine queries.

    Raises Council.DoesNotExist.
    """
    from django.utils import timezone

    from .. import states
    from ..record import held_from_record

    council = (
        Council.objects.with_region()
        .prefetch_related(
            Prefetch("neighbour_links", StatisticalNeighbour.objects.select_related("neighbour").order_by("rank"))
        )
        .get(slug=slug)
    )
    links = Council.predecessors.through.objects.filter(Q(from_council=council) | Q(to_council=council))
    predecessors, successors = [], []
    for link in links.select_related("from_council", "to_council").order_by("pk"):
        if link.from_council_id == council.pk:
            predecessors.append(link.to_council)
        else:
            successors.append(link.from_council)

    timeline = council_timeline(council=council)
    graded = [e for e in timeline if e.kind == EventKind.INSPECTION and e.judgements.all()]
    today = timezone.localdate()
    interventions = [e for e in timeline if e.is_in_force(today)]

    neighbours = [link.neighbour for link in council.neighbour_links.all()]
    region = Council.objects.active().filter(region_id=council.region_id).values("pk")
    found, themes = _latest_grades(
        Council.objects.filter(Q(pk__in=[c.pk for c in neighbours]) | Q(pk__in=region) | Q(pk=council.pk))
    )
    region_entries = [
        entry
        for pk, entry in sorted(found.items(), key=lambda item: item[1].council.name)
        if pk != council.pk and entry.council.region_id == council.region_id and entry.council.is_active
    ]
    comparison = [
        (council.name, [found[council.pk]]),
        ("Statistical neighbours, most similar first", [found[c.pk] for c in neighbours if c.pk in found]),
        (f"Other councils in {council.region.name}", region_entries),
    ]
    return CouncilPage(
        council=council,
        timeline=timeline,
        grid=judgement_grid(events=timeline),
        graded=graded,
        direction=direction_of_travel(graded[-1] if graded else None, graded[-2] if len(graded) > 1 else None),
        interventions=interventions,
        predecessors=predecessors,
        successors=successors,
        comparison=comparison,
        themes=themes,
        open_recommendations=sum(1 for e in timeline for r in e.recommendations.all() if r.is_open),
        latest=graded[-1] if graded else None,
        headline=headline_judgement(graded[-1]) if graded else None,
        from_reports=any(held_from_record(e) for e in timeline),
        states=(states.NOT_JUDGED, states.GRADE_NOT_RECORDED),
    )


def published_events(*, council=None, limit=50):
    """The most recently published events (of one council, if given), newest first, judgements prefetched.

    Two queries.
    """
    events = Event.objects.filter(published_date__isnull=False)
    if council is not None:
        events = events.filter(council=council)
    return list(events.with_judgements().order_by("-published_date", "-pk")[:limit])


def briefing_choices():
    """(active councils by name, their regions by name) for the briefing builder; one query."""
    councils = list(Council.objects.active().with_region().order_by("name"))
    regions = sorted({c.region for c in councils}, key=lambda r: r.name)
    return councils, regions
