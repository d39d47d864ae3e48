"""The map's reads: which themes a map can show, and each council's grade in a theme as at a date.

Decisions (see README "Map"):

* **Themes, not areas.** A map shows one *theme* (overall effectiveness, leaders, help and
  protection, children in care, care leavers): the themes the newest framework judges, plus the
  theme of every framework's headline judgement. Each is matched across frameworks through the
  ``JudgementArea.theme`` rows, so "children in care" on a 2016 map shows SIF's "children looked
  after and achieving permanence". Which themes exist is data, not code.
* **Which inspection.** A council's latest *graded* inspection that was public on ``as_at``:
  published on or before it, or, when no publication date is recorded, started on or before it.
  Its judgement in the theme is shown; when that inspection made none (ILACS 2026 has no overall
  effectiveness) the council is "not judged" — an older grade is never carried forward.
* **Reorganisations.** Districts belong to their 2023 councils (ONS December 2023). A council
  with no graded inspection of its own by ``as_at`` takes its predecessor's (via
  ``Council.predecessors``): before April 2021 North and West Northamptonshire show
  Northamptonshire's grade, labelled as such. Legend counts are of today's council areas.
* **Cost.** Five queries on a cache miss (``drawing.england_map_chart`` caches the result).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q

from inspections import states
from inspections.models import Council, Event, Framework, FrameworkArea, Judgement, JudgementArea

DEFAULT_THEME = "overall"


@dataclass(frozen=True)
class MapTheme:
    """One choice of map: a theme key, its words, and the judgement areas (of any framework) in it."""

    key: str
    label: str
    areas: tuple  # JudgementArea rows, theme order then key: the first an inspection judged is shown

    @property
    def area_pks(self):
        return [area.pk for area in self.areas]


def map_themes():
    """[MapTheme] in theme order: the newest framework's themes and every headline theme. One query."""
    newest = Framework.objects.order_by("-applies_from", "-pk").values("pk")[:1]
    areas = JudgementArea.objects.annotate(
        judged_now=Exists(FrameworkArea.objects.filter(area=OuterRef("pk"), framework__in=newest)),
        headline=Exists(Framework.objects.filter(headline_area=OuterRef("pk"))),
    ).order_by("theme_order", "key")
    by_theme, shown = {}, set()
    for area in areas:
        by_theme.setdefault(area.theme, []).append(area)
        if area.judged_now or area.headline:
            shown.add(area.theme)
    return [
        MapTheme(theme, members[0].theme_label, tuple(members)) for theme, members in by_theme.items() if theme in shown
    ]


def theme_of_area(themes, area_key):
    """The MapTheme holding the area `area_key` (old ``?area=`` links), or None."""
    return next((t for t in themes if any(a.key == area_key for a in t.areas)), None)


@dataclass
class MapEntry:
    """What the map shows for one council area: whose inspection, which judgement, which grade."""

    council: Council  # the council the 2023 districts belong to
    event: Event | None  # the inspection shown (the council's own or its predecessor's)
    judgement: object | None  # the Judgement shown, or None
    inherited: bool = False  # True when the inspection is a predecessor's
    last_inspected: date | None = None  # start (or publication) of the latest inspection, graded or not
    grade_key: str = field(init=False)

    def __post_init__(self):
        if self.event is None:
            self.grade_key = states.GRADE_NOT_RECORDED.key if self.last_inspected else states.NO_INSPECTION.key
        elif self.judgement is None:
            self.grade_key = states.NOT_JUDGED.key
        else:
            self.grade_key = self.judgement.grade.key


def _public_by(as_at):
    """Inspections public on `as_at`: published by then, or started by then if no publication date."""
    return Q(published_date__lte=as_at) | Q(published_date__isnull=True, start_date__lte=as_at)


# What the map reads of each inspection and of its judgements in the theme.
EVENT_FIELDS = [
    "council__name",
    "framework__short_name",
    "kind",
    "start_date",
    "published_date",
    "date_precision",
]
JUDGEMENT_FIELDS = [
    "event_id",
    "area__key",
    "area__name",
    "area__short_name",
    "area__theme_label",
    "grade__key",
    "grade__short_label",
    "grade__rank",
    "grade__colour",
    "grade__pattern",
]


def map_entries(*, theme, as_at, region=None):
    """[MapEntry] for every active council (of `region`, if given), by name. Four queries.

    `theme`: a MapTheme (from map_themes); `as_at`: a date. A council's judgement in the theme is
    the first of the theme's areas its inspection judged.
    """
    preference = theme.area_pks

    # One flat read of every inspection public by then (a few hundred rows), newest picked here:
    # four correlated subqueries per council cost ten times as much on PostgreSQL. Rows of a
    # predecessor's inspections repeat once per successor, which carries them to its districts.
    rows = (
        Event.objects.inspections()
        .filter(_public_by(as_at))
        .with_sort_date()
        .annotate(graded=Exists(Judgement.objects.filter(event=OuterRef("pk"))))
        .values_list("pk", "council_id", "council__successors", "sort_date", "graded")
    )
    own_graded, own_seen, inherited_graded, inherited_seen = {}, {}, {}, {}
    for pk, council_id, successor_id, sort_date, graded in rows:
        newest = (sort_date, pk)  # the order of EventQuerySet.newest_first()
        for holder, owner in [(own_seen, council_id), (own_graded, council_id if graded else None)]:
            if owner is not None and newest > holder.get(owner, (date.min, 0)):
                holder[owner] = newest
        if successor_id is not None:
            for holder in [inherited_seen, *([inherited_graded] if graded else [])]:
                if newest > holder.get(successor_id, (date.min, 0)):
                    holder[successor_id] = newest

    councils = Council.objects.active()
    if region is not None:
        councils = councils.filter(region=region)
    councils = list(councils.order_by("name"))
    chosen = {}
    for council in councils:
        if council.pk in own_graded:
            chosen[council.pk] = (own_graded[council.pk][1], False)
        elif council.pk in inherited_graded:
            chosen[council.pk] = (inherited_graded[council.pk][1], True)
    # The chosen inspections, and only their judgements in the theme's areas (a sixth of them all).
    judged = Judgement.objects.filter(area_id__in=preference).select_related("area", "grade").only(*JUDGEMENT_FIELDS)
    events = {
        event.pk: event
        for event in Event.objects.filter(pk__in={pk for pk, _ in chosen.values()})
        .select_related("framework", "council")
        .only(*EVENT_FIELDS)
        .prefetch_related(Prefetch("judgements", judged))
    }
    judgements = {pk: {j.area_id: j for j in event.judgements.all()} for pk, event in events.items()}
    entries = []
    for council in councils:
        event_id, inherited = chosen.get(council.pk, (None, False))
        event = events.get(event_id)
        by_area = judgements.get(event_id, {})
        judgement = next((by_area[pk] for pk in preference if pk in by_area), None)
        seen = own_seen.get(council.pk) or inherited_seen.get(council.pk)
        entries.append(
            MapEntry(council, event, judgement, inherited=inherited, last_inspected=seen[0] if seen else None)
        )
    return entries
