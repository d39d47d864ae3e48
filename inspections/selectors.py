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


NO_OVERALL = "no_overall"  # latest inspection's framework makes no overall judgement (April 2026 on)
NOT_INSPECTED = "not_inspected"  # no graded inspection held


@dataclass
class CouncilStanding:
    """A council's latest graded inspection and its headline (overall) grade, if the framework has one."""

    council: object
    latest: object
    headline: object  # Grade or None
    bucket: str  # grade key, NO_OVERALL or NOT_INSPECTED
    inadequate_areas: list


@dataclass
class NationalPicture:
    """What the dashboard and the national/region briefings show."""

    standings: list  # [CouncilStanding] by council name
    headline_counts: dict  # {grade key | NO_OVERALL | NOT_INSPECTED: n}
    theme_counts: list  # [(theme label, {grade key | "not_judged": n})] in theme order
    by_region: list  # [(region, {bucket: n})] by region name
    by_year: list  # [(year, {grade key: n})]: headline grades of every inspection published that year
    recent: list  # latest published events (with judgements)
    concerns: list  # [CouncilStanding] whose latest inspection has an inadequate judgement
    interventions: list  # intervention events in force on `as_at`
    grades: list  # Grade rows, best first


def _standing(council, latest):
    if latest is None:
        return CouncilStanding(council, None, None, NOT_INSPECTED, [])
    judgements = list(latest.judgements.all())
    headline_area_id = latest.framework.headline_area_id if latest.framework_id else None
    headline = next((j.grade for j in judgements if j.area_id == headline_area_id), None)
    bucket = headline.key if headline else NO_OVERALL
    inadequate = [j.area for j in judgements if j.grade.key == "inadequate"]
    return CouncilStanding(council, latest, headline, bucket, inadequate)


def national_picture(*, region=None, as_at=None, recent_count=10):
    """The national (or one region's) picture from every active council's latest graded inspection.

    `region`: a Region to limit to; `as_at`: a date for interventions in force (default today).
    A fixed number of queries (about ten) whatever the number of councils or inspections.
    """
    from collections import Counter, defaultdict

    from django.db.models import Count, F
    from django.db.models.functions import ExtractYear
    from django.utils import timezone

    from .models import Judgement, JudgementArea

    as_at = as_at or timezone.localdate()
    councils = Council.objects.active()
    if region is not None:
        councils = councils.filter(region=region)
    latest = latest_graded_inspections(councils=councils)
    standings = [_standing(c, latest.get(c.pk)) for c in councils.with_region().order_by("name")]
    grades = list(Grade.objects.order_by("rank", "key"))

    headline_counts = Counter(s.bucket for s in standings)
    themes = {a.theme: a for a in JudgementArea.objects.order_by("theme_order")}
    theme_counts = []
    for theme, area in themes.items():
        counts = Counter()
        for s in standings:
            if s.latest is None:
                continue
            grade = next((j.grade.key for j in s.latest.judgements.all() if j.area.theme == theme), "not_judged")
            counts[grade] += 1
        if sum(v for k, v in counts.items() if k != "not_judged"):
            theme_counts.append((area.theme_label, dict(counts)))

    regions = defaultdict(Counter)
    for s in standings:
        regions[s.council.region][s.bucket] += 1
    by_region = sorted(((r, dict(c)) for r, c in regions.items()), key=lambda item: item[0].name)

    yearly = (
        Judgement.objects.filter(area=F("event__framework__headline_area"), event__published_date__isnull=False)
        .filter(event__council__in=councils)
        .annotate(year=ExtractYear("event__published_date"))
        .values("year", "grade__key")
        .annotate(n=Count("pk"))
    )
    by_year = defaultdict(dict)
    for row in yearly:
        by_year[row["year"]][row["grade__key"]] = row["n"]

    recent = list(
        Event.objects.filter(council__in=councils, published_date__isnull=False)
        .with_judgements()
        .order_by("-published_date", "-pk")[:recent_count]
    )
    interventions = list(
        Event.objects.filter(council__in=councils, kind=EventKind.INTERVENTION, start_date__lte=as_at)
        .exclude(end_date__lt=as_at)
        .select_related("council")
        .order_by("council__name", "start_date")
    )
    return NationalPicture(
        standings=standings,
        headline_counts=dict(headline_counts),
        theme_counts=theme_counts,
        by_region=by_region,
        by_year=sorted(by_year.items()),
        recent=recent,
        concerns=[s for s in standings if s.inadequate_areas],
        interventions=interventions,
        grades=grades,
    )


@dataclass
class AreaRecord:
    """Every active council of England (or one region) with its whole history, for briefings."""

    region: object  # Region or None for England
    councils: list  # active councils by name, region selected
    events: dict  # {council id: [Event]} oldest first; framework, judgements (area, grade) prefetched
    grades: list  # Grade rows, best first


def area_record(*, region=None):
    """All events of every active council (of `region`, if given) in four queries, for as-at reads.

    Unlike national_picture, which knows only today, the record answers "as at any date".
    """
    councils = Council.objects.active().with_region().order_by("name")
    if region is not None:
        councils = councils.filter(region=region)
    councils = list(councils)
    events = {c.pk: [] for c in councils}
    for event in Event.objects.filter(council__in=[c.pk for c in councils]).with_judgements().chronological():
        events[event.council_id].append(event)
    grades = list(Grade.objects.order_by("rank", "key"))
    return AreaRecord(region=region, councils=councils, events=events, grades=grades)


def public_on(event, as_at):
    """Whether an event was public on `as_at`: published by then, or started by then if never published."""
    if event.published_date is not None:
        return event.published_date <= as_at
    return event.start_date is not None and event.start_date <= as_at


def standings_as_at(*, record, as_at):
    """[CouncilStanding] by council name: each council's latest graded inspection public on `as_at`.

    `record`: an AreaRecord. No queries. With `as_at` today it agrees with national_picture.
    """
    standings = []
    for council in record.councils:
        graded = [
            e
            for e in record.events[council.pk]
            if e.kind == EventKind.INSPECTION and e.judgements.all() and public_on(e, as_at)
        ]
        standings.append(_standing(council, graded[-1] if graded else None))
    return standings


def grade_rows():
    """Every Grade row, best first (one query): styles and trajectory scales are built from it."""
    return list(Grade.objects.order_by("rank", "key"))


def briefing_choices():
    """(active councils by name, their regions by name) for the briefing builder; one query."""
    councils = list(Council.objects.active().with_region().order_by("name"))
    regions = sorted({c.region for c in councils}, key=lambda r: r.name)
    return councils, regions
