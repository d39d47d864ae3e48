"""Reads that span models or shape data for a page or the API, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from . import states
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


NO_OVERALL = states.NOT_JUDGED.key  # latest inspection's framework makes no overall judgement (April 2026 on)
NOT_INSPECTED = states.NO_INSPECTION.key  # no graded inspection held


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


def _in_force(event, as_at):
    """Whether an intervention event was in force on `as_at`."""
    return (
        event.start_date is not None
        and event.start_date <= as_at
        and (event.end_date is None or event.end_date >= as_at)
    )


def national_picture(*, region=None, as_at=None, recent_count=10):
    """The national (or one region's) picture from every active council's latest graded inspection.

    `region`: a Region to limit to; `as_at`: a date for interventions in force (default today).
    Five queries whatever the number of councils or inspections.
    """
    from collections import Counter, defaultdict

    from django.db.models import Count, F
    from django.db.models.functions import ExtractYear
    from django.utils import timezone

    from .models import Judgement

    as_at = as_at or timezone.localdate()
    councils = Council.objects.active()
    if region is not None:
        councils = councils.filter(region=region)
    # One query for the councils and their latest ids, one for those inspections, the most recent
    # publications and the interventions in force together, one for all their judgements.
    council_rows = list(councils.with_region().with_latest_graded_id().order_by("name"))
    latest_ids = [c.latest_graded_id for c in council_rows if c.latest_graded_id]
    recent_ids = (
        Event.objects.filter(council__in=councils, published_date__isnull=False)
        .order_by("-published_date", "-pk")
        .values("pk")[:recent_count]
    )
    in_force = Event.objects.filter(council__in=councils).interventions_in_force(as_at).values("pk")
    wanted = Q(pk__in=latest_ids) | Q(pk__in=recent_ids) | Q(pk__in=in_force)
    events = {e.pk: e for e in Event.objects.filter(wanted).with_judgements()}
    standings = [_standing(c, events.get(c.latest_graded_id)) for c in council_rows]
    grades = list(Grade.objects.order_by("rank", "key"))

    headline_counts = Counter(s.bucket for s in standings)
    areas = {j.area.pk: j.area for s in standings if s.latest for j in s.latest.judgements.all()}
    themes = {a.theme: a for a in sorted(areas.values(), key=lambda a: (a.theme_order, a.key))}
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

    recent = sorted(
        (e for e in events.values() if e.published_date), key=lambda e: (e.published_date, e.pk), reverse=True
    )[:recent_count]
    interventions = sorted(
        (e for e in events.values() if e.kind == EventKind.INTERVENTION and _in_force(e, as_at)),
        key=lambda e: (e.council.name, e.start_date, e.pk),
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


# ---------------------------------------------------------------- pages: councils table, council and region


IMPROVED, DECLINED, SAME, NOT_COMPARABLE, FIRST, NOT_INSPECTED_YET = (
    "improved",
    "declined",
    "same",
    "not_comparable",
    "first",
    states.NO_INSPECTION.key,
)


@dataclass
class Direction:
    """Direction of travel between a council's two most recent graded inspections."""

    key: str  # IMPROVED, DECLINED, SAME, NOT_COMPARABLE, FIRST or NOT_INSPECTED_YET
    label: str  # what the table shows, e.g. "Improved"
    basis: str  # how it was compared, in words, e.g. "overall effectiveness: inadequate → good"

    @property
    def sort_key(self):
        return [IMPROVED, SAME, DECLINED, NOT_COMPARABLE, FIRST, NOT_INSPECTED_YET].index(self.key)


def headline_judgement(event):
    """The headline (overall) Judgement of an event with prefetched judgements, or None."""
    if event is None or not event.framework_id or not event.framework.headline_area_id:
        return None
    return next((j for j in event.judgements.all() if j.area_id == event.framework.headline_area_id), None)


def _worst_by_theme(event):
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
        return Direction(NOT_INSPECTED_YET, states.NO_INSPECTION.label, "No graded inspection is recorded.")
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


@dataclass
class CouncilRow:
    """One row of the councils table: a council, its latest two graded inspections and where it stands."""

    council: object
    latest: object  # Event or None
    previous: object  # Event or None
    headline: object  # Grade or None
    bucket: str  # grade key, NO_OVERALL or NOT_INSPECTED
    grades: dict  # {theme: Grade} of the latest graded inspection (worst if a theme is judged twice)
    direction: Direction
    interventions: list  # intervention Events in force

    @property
    def ranks(self):
        """{theme: grade rank} for sorting; themes not judged sort after every grade."""
        from collections import defaultdict

        return defaultdict(lambda: 9, {theme: grade.rank for theme, grade in self.grades.items()})

    @property
    def intervention_sort(self):
        return 0 if self.interventions else 1

    @property
    def headline_rank(self):
        return self.headline.rank if self.headline else 90 if self.latest else 99


@dataclass
class CouncilTable:
    """Rows of the councils table and the themes (beyond the headline) that their latest inspections judged."""

    rows: list  # [CouncilRow] by council name
    themes: list  # [(theme, label)] in theme order, excluding the headline judgement's theme


def council_table(*, councils, as_at=None):
    """Rows for the councils table: every council of `councils` (a Council queryset, e.g. filtered).

    For each: latest and previous graded inspections, grades by theme, direction of travel and the
    government interventions in force on `as_at` (default today). Four queries whatever the data.
    """
    from django.utils import timezone

    as_at = as_at or timezone.localdate()
    council_rows = list(councils.with_region().with_latest_and_previous_graded_ids().order_by("name"))
    ids = {i for c in council_rows for i in (c.latest_graded_id, c.previous_graded_id) if i}
    events = {e.pk: e for e in Event.objects.filter(pk__in=ids).with_judgements()}
    in_force = {}
    for event in Event.objects.filter(council__in=councils).interventions_in_force(as_at).order_by("start_date"):
        in_force.setdefault(event.council_id, []).append(event)

    rows, themes, headline_themes = [], {}, set()
    for council in council_rows:
        latest, previous = events.get(council.latest_graded_id), events.get(council.previous_graded_id)
        standing = _standing(council, latest)
        grades = _worst_by_theme(latest) if latest else {}
        headline = headline_judgement(latest)
        if headline:
            headline_themes.add(headline.area.theme)
        for j in latest.judgements.all() if latest else ():
            themes.setdefault(j.area.theme, (j.area.theme_order, j.area.theme_label))
        rows.append(
            CouncilRow(
                council=council,
                latest=latest,
                previous=previous,
                headline=standing.headline,
                bucket=standing.bucket,
                grades=grades,
                direction=direction_of_travel(latest, previous),
                interventions=in_force.get(council.pk, []),
            )
        )
    shown = sorted((order, theme, label) for theme, (order, label) in themes.items() if theme not in headline_themes)
    return CouncilTable(rows=rows, themes=[(theme, label) for _order, theme, label in shown])


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
    from .models import Judgement

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

    from . import states
    from .record import held_from_record

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
    interventions = [e for e in timeline if e.kind == EventKind.INTERVENTION and _in_force(e, today)]

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


def filter_vocabulary():
    """Choices for the councils table filters, as plain lists (cacheable). Four queries.

    {"regions": [(slug, name)], "council_types": [str], "frameworks": [(key, short name)],
    "grades": [(key, label)] best first}.
    """
    from .models import Framework, Region

    types = Council.objects.active().exclude(council_type="").values_list("council_type", flat=True).distinct()
    return {
        "regions": list(Region.objects.order_by("name").values_list("slug", "name")),
        "council_types": sorted(set(types)),
        "frameworks": list(Framework.objects.order_by("applies_from", "key").values_list("key", "short_name")),
        "grades": list(Grade.objects.order_by("rank", "key").values_list("key", "label")),
    }


def grade_vocabulary():
    """(chart styles best first, trajectory axis rows): grades of equal rank share a row. One query."""
    from .states import grade_styles

    grades, rows = list(Grade.objects.order_by("rank", "key")), {}
    for grade in grades:
        rows.setdefault(grade.rank, []).append(grade.key)
    return grade_styles(grades, states=()), [tuple(keys) for keys in rows.values()]


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
