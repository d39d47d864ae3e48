"""Where every council stands: today's national (or one region's) picture, and the whole record for any date."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from .. import states
from ..models import Council, Event, EventKind, Framework, Grade, Judgement, JudgementArea
from .judgements import read_judgements


@dataclass
class CouncilStanding:
    """A council's latest graded inspection and its headline (overall) grade, if the framework has one."""

    council: object
    latest: object
    headline: object  # Grade or None
    bucket: str  # grade key; states.NOT_JUDGED.key (no overall judgement) or NO_INSPECTION.key
    inadequate_areas: list

    @property
    def inadequate_besides_headline(self):
        """The areas judged inadequate other than the overall one, which `headline` already says."""
        headline_area_id = self.latest.framework.headline_area_id if self.latest and self.latest.framework_id else None
        return [area for area in self.inadequate_areas if area.pk != headline_area_id]


@dataclass
class NationalPicture:
    """What the dashboard and the national/region briefings show."""

    standings: list  # [CouncilStanding] by council name
    headline_counts: dict  # {grade key | NOT_JUDGED.key | NO_INSPECTION.key: n}
    theme_counts: list  # [(theme label, {grade key | "not_judged": n})] in theme order
    by_region: list  # [(region, {bucket: n})] by region name
    by_year: list  # [(year, {grade key: n})]: headline grades of every inspection published that year
    recent: list  # latest published events (with judgements)
    concerns: list  # [CouncilStanding] whose latest inspection has an inadequate judgement
    interventions: list  # intervention events in force on `as_at`
    grades: list  # Grade rows, best first


def _standing(council, latest):
    if latest is None:
        return CouncilStanding(council, None, None, states.NO_INSPECTION.key, [])
    judgements = list(latest.judgements.all())
    headline_area_id = latest.framework.headline_area_id if latest.framework_id else None
    headline = next((j.grade for j in judgements if j.area_id == headline_area_id), None)
    bucket = headline.key if headline else states.NOT_JUDGED.key
    inadequate = [j.area for j in judgements if j.grade.key == "inadequate"]
    return CouncilStanding(council, latest, headline, bucket, inadequate)


def national_picture(*, region=None, as_at=None, recent_count=10):
    """The national (or one region's) picture from every active council's latest graded inspection.

    `region`: a Region to limit to; `as_at`: a date for interventions in force (default today).
    Five queries whatever the number of councils or inspections.
    """
    from collections import Counter, defaultdict

    from django.db.models import Count, F
    from django.db.models.functions import ExtractYear
    from django.utils import timezone

    from ..models import Judgement

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
    events = {e.pk: e for e in read_judgements(Event.objects.filter(wanted).select_related("council", "framework"))}
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
        (e for e in events.values() if e.is_in_force(as_at)),
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
    """All events of every active council (of `region`, if given) in six queries, for as-at reads.

    Unlike national_picture, which knows only today, the record answers "as at any date". Each
    event comes as `EventQuerySet.with_judgements` gives it (council, framework, judgements in
    theme order with area and grade), but the councils, frameworks, areas and grades are read once
    and shared, not built again for every row: England's ~950 events and ~2,800 judgements were
    ~11,000 model objects, a quarter of the reads of an England briefing.
    """
    councils = Council.objects.active().with_region().order_by("name")
    if region is not None:
        councils = councils.filter(region=region)
    councils = list(councils)
    by_id = {c.pk: c for c in councils}
    grades = list(Grade.objects.order_by("rank", "key"))
    grade_by_id = {g.pk: g for g in grades}
    areas = {a.pk: a for a in JudgementArea.objects.all()}
    frameworks = {f.pk: f for f in Framework.objects.all()}
    events = {c.pk: [] for c in councils}
    judgements = Prefetch("judgements", Judgement.objects.order_by("area__theme_order"))
    for event in Event.objects.filter(council__in=list(by_id)).prefetch_related(judgements).chronological():
        event.council = by_id[event.council_id]
        event.framework = frameworks.get(event.framework_id)
        for judgement in event.judgements.all():
            judgement.area, judgement.grade = areas[judgement.area_id], grade_by_id[judgement.grade_id]
        events[event.council_id].append(event)
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
