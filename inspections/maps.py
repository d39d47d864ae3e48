"""The England map: each council area coloured by its latest grade, as at a date, cached per choice.

Decisions (see README "Map"):

* **Which inspection.** A council's latest *graded* inspection that was public on ``as_at``:
  published on or before it, or, when no publication date is recorded, started on or before it.
  Its grade for the chosen area is shown; when that inspection makes no judgement in the area
  (ILACS 2026 has no overall effectiveness; the 2009 safeguarding inspection had none either)
  the council is "not judged" — an older grade is never carried forward in its place.
* **Areas across frameworks.** The chosen area's *theme* is matched, so "children in care" on a
  2016 map shows SIF's "children looked after and achieving permanence" and "help and
  protection" shows the 2009 "overall effectiveness of safeguarding services". The area itself
  wins when the inspection judged it.
* **Reorganisations.** Districts belong to their 2023 councils (ONS December 2023). A council
  with no graded inspection of its own by ``as_at`` takes its predecessor's (via
  ``Council.predecessors``): before April 2021 North and West Northamptonshire show
  Northamptonshire's grade, labelled as such. Legend counts are of today's council areas.
* **Cost.** Four queries on a cache miss; nothing but the cache on a hit. Cached output is keyed
  by the data version (``inspections.cache``), so any saved change redraws the map.
"""

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from . import charts
from .cache import cached
from .models import Council, Event, Judgement, JudgementArea, Region

DEFAULT_AREA = "overall_effectiveness"
NOT_INSPECTED = "not_inspected"  # no inspection of the council (or its predecessor) recorded by the date
NO_GRADE = "no_grade"  # inspected, but the tracker holds none of that inspection's grades
COMPARE_DEFAULT = date(2016, 12, 31)

NOT_JUDGED_STYLE = charts.GradeStyle(charts.NOT_JUDGED, "Not judged", "#b1b4b6", "horizontal")
NO_GRADE_STYLE = charts.GradeStyle(NO_GRADE, "Grade not recorded", "#dee0e2", "backhatch")
NOT_INSPECTED_STYLE = charts.GradeStyle(NOT_INSPECTED, "No inspection recorded", "#f8f8f8", "solid")


@dataclass(frozen=True)
class MapChart(charts.Chart):
    """A map ``Chart`` whose table rows also link to council pages (``hrefs``, one per row)."""

    hrefs: tuple = ()
    heading: str = ""
    as_at: date | None = None
    area_name: str = ""
    graded_count: int = 0  # councils shown with a grade
    council_count: int = 0

    def table_rows(self):
        """[(href, cells)] for the table alternative."""
        return list(zip(self.hrefs, self.table.rows, strict=False))


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
            self.grade_key = NO_GRADE if self.last_inspected else NOT_INSPECTED
        elif self.judgement is None:
            self.grade_key = charts.NOT_JUDGED
        else:
            self.grade_key = self.judgement.grade.key


def _public_by(as_at):
    """Inspections public on `as_at`: published by then, or started by then if no publication date."""
    return Q(published_date__lte=as_at) | Q(published_date__isnull=True, start_date__lte=as_at)


# What the map reads of each judgement and its inspection (a third of the cost of whole rows).
JUDGEMENT_FIELDS = [
    "event__council__name",
    "event__framework__short_name",
    "event__kind",
    "event__start_date",
    "event__published_date",
    "area__key",
    "area__name",
    "area__short_name",
    "grade__key",
    "grade__short_label",
    "grade__rank",
    "grade__colour",
    "grade__pattern",
]


def map_areas():
    """Judgement areas a map can show, in theme order (one query). The choice is data, not code."""
    return list(JudgementArea.objects.order_by("theme_order", "key"))


def map_entries(*, area_key=DEFAULT_AREA, as_at, region=None, areas=None):
    """(area, [MapEntry]) for every active council (of `region`, if given), by name. Four queries.

    `area_key`: a JudgementArea key (matched across frameworks by theme); `as_at`: a date;
    `areas`: every JudgementArea, when the caller has read them already (one query fewer).
    Raises ValueError naming an unknown area.
    """
    if areas is None:
        areas = JudgementArea.objects.filter(
            theme=Subquery(JudgementArea.objects.filter(key=area_key).values("theme")[:1])
        )
    themes = {a.theme for a in areas if a.key == area_key}
    areas = sorted((a for a in areas if a.theme in themes), key=lambda a: (a.theme_order, a.key))
    area = next((a for a in areas if a.key == area_key), None)
    if area is None:
        raise ValueError(f"There is no judgement area called “{area_key}”.")
    preference = [area.pk] + [a.pk for a in areas if a.pk != area.pk]

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
    # Every chosen inspection is graded, so reading its judgements (with the inspection joined)
    # finds them all in one query.
    events, judgements = {}, {}
    read = (
        Judgement.objects.filter(event_id__in={pk for pk, _ in chosen.values()})
        .select_related("event__framework", "event__council", "area", "grade")
        .only(*JUDGEMENT_FIELDS)
    )
    for judgement in read:
        events.setdefault(judgement.event_id, judgement.event)
        judgements.setdefault(judgement.event_id, {})[judgement.area_id] = judgement
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
    return area, entries


def _long(d):
    return format_date(d, "j F Y")


def _inspection_words(event):
    """ "the SIF inspection published 20 September 2016" (or "started …" when not published)."""
    name = f"{event.framework.short_name} inspection" if event.framework_id else "inspection"
    if event.published_date:
        return f"{name} published {_long(event.published_date)}"
    return f"{name} started {_long(event.start_date)}"


def _describe(entry, area, styles, as_at):
    """(tooltip, grade label, inspection cell) for one council."""
    council = entry.council
    label = styles[entry.grade_key].label
    if entry.event is None:
        if entry.last_inspected:
            why = f"inspected {_long(entry.last_inspected)}; the tracker holds none of its grades"
        else:
            why = f"the tracker holds no inspection published by {_long(as_at)}"
        return f"{council.name} — {label} ({why})", label, _sentence(why)
    words = _inspection_words(entry.event)
    if entry.inherited:
        words = f"{entry.event.council.name}’s {words}"
    if entry.last_inspected and entry.last_inspected > entry.event.date:
        words = f"{words}; the grades of a later inspection ({_long(entry.last_inspected)}) are not recorded"
    if entry.judgement is None:
        why = f"{words} made no “{area.short_name.lower()}” judgement"
        return f"{council.name} — {label} ({why})", label, _sentence(why)
    detail = words
    if entry.judgement.area_id != area.pk:
        detail = f"{words}, judging “{entry.judgement.area.name}”"
    return f"{council.name} — {label} ({detail})", label, _sentence(detail)


def _sentence(text):
    return text[:1].upper() + text[1:]


def _styles(entries):
    """Grade styles (from the grades shown, best first), then not judged and not inspected."""
    grades = {e.judgement.grade.key: e.judgement.grade for e in entries if e.judgement is not None}
    ordered = sorted(grades.values(), key=lambda g: (g.rank, g.key))
    styles = [charts.GradeStyle(g.key, g.short_label, g.colour, g.pattern) for g in ordered]
    return [*styles, NOT_JUDGED_STYLE, NO_GRADE_STYLE, NOT_INSPECTED_STYLE]


def map_title(area, as_at, region=None, *, today=None):
    """ "Overall effectiveness: latest grade of each council, England, 31 December 2016"."""
    where = region.name if region is not None else "England"
    when = "today" if as_at == (today or timezone.localdate()) else f"at {_long(as_at)}"
    return (
        f"{area.short_name if area.key != DEFAULT_AREA else area.name}: latest grade of each council, {where}, {when}"
    )


def build_map_chart(*, area_key=DEFAULT_AREA, as_at, region=None, areas=None):
    """Draw the map (uncached): four queries and the SVG. Raises ValueError for an unknown area."""
    area, entries = map_entries(area_key=area_key, as_at=as_at, region=region, areas=areas)
    style_list = _styles(entries)
    styles = {s.key: s for s in style_list}
    by_urn, rows, hrefs = {}, [], []
    for entry in entries:
        council = entry.council
        href = reverse("inspections:council_detail", args=[council.slug])
        tip, label, inspection = _describe(entry, area, styles, as_at)
        by_urn[council.urn] = charts.MapDistrict(entry.grade_key, council.name, href, tip)
        rows.append([council.name, label, inspection])
        hrefs.append(href)
    title = map_title(area, as_at, region)
    chart = charts.england_map(
        charts.expand_council_values(by_urn),
        style_list,
        title=title,
        region_gss=region.code if region is not None else None,
    )
    return MapChart(
        chart.svg,
        charts.Table(title, ["Council", "Grade", "Inspection"], rows),
        hrefs=tuple(hrefs),
        heading=title,
        as_at=as_at,
        area_name=area.name,
        graded_count=sum(1 for e in entries if e.judgement is not None),
        council_count=len(entries),
    )


def england_map_chart(*, area_key=DEFAULT_AREA, as_at=None, region=None, areas=None):
    """The England (or `region`'s) map of each council's latest grade for `area_key` as at `as_at`.

    `area_key`: a JudgementArea key (default overall effectiveness); `as_at`: a date, default
    today; `region`: a Region to zoom to, or None; `areas`: every JudgementArea if the caller
    has them (saves a query when drawing). Returns a ``MapChart`` (a ``charts.Chart``
    whose table rows carry links). Cached per area, date and region until any data changes.
    Raises ValueError for an unknown area or a date in the future.
    """
    today = timezone.localdate()
    as_at = as_at or today
    if as_at > today:
        raise ValueError("The date must be today or in the past.")
    region_code = region.code if region is not None else "england"
    return cached(
        "map",
        lambda: build_map_chart(area_key=area_key, as_at=as_at, region=region, areas=areas),
        area_key,
        as_at.isoformat(),
        region_code,
        notes=False,
    )


# --------------------------------------------------------------------------- the /map/ form


class MapForm(forms.Form):
    """What to map: a judgement area, a region (or England), a date, and whether to show today beside it."""

    area = forms.ChoiceField(
        label="Judgement", required=False, error_messages={"invalid_choice": "Choose a judgement from the list."}
    )
    region = forms.ChoiceField(
        label="Where", required=False, error_messages={"invalid_choice": "Choose England or a region from the list."}
    )
    as_at = forms.CharField(
        label="As it stood on",
        required=False,
        help_text="For example, 2016-12-31 or 31/12/2016. Leave blank for today.",
    )
    compare = forms.BooleanField(label="Show today’s map beside it", required=False)

    def __init__(self, data=None, *, areas, regions):
        super().__init__(data)
        self.fields["area"].choices = [(a.key, a.name) for a in areas]
        self.fields["region"].choices = [("", "England")] + [(r.slug, r.name) for r in regions]
        self.regions = {r.slug: r for r in regions}

    def clean_area(self):
        key = self.cleaned_data.get("area") or DEFAULT_AREA
        if key not in dict(self.fields["area"].choices):
            raise forms.ValidationError("Choose a judgement from the list.")
        return key

    def clean_region(self):
        slug = self.cleaned_data.get("region")
        return self.regions.get(slug) if slug else None

    def clean_as_at(self):
        from .forms import parse_date

        return parse_date(self.cleaned_data.get("as_at"), "The date")

    def clean(self):
        data = super().clean()
        if data.get("compare") and "as_at" in data and data.get("as_at") is None and not self.has_error("as_at"):
            data["as_at"] = COMPARE_DEFAULT
        return data


@dataclass
class MapPage:
    """What /map/ shows: the form and one map, or two side by side (a date beside today)."""

    form: MapForm
    maps: list  # [MapChart]
    region: Region | None = None


def map_page(params):
    """Validate the /map/ query (`params`: request.GET) and draw its maps; 2 + 3 per uncached map.

    Returns MapPage; on bad input `form.errors` is set and `maps` is empty (nothing is drawn).
    """
    areas = map_areas()
    regions = list(Region.objects.order_by("name"))
    form = MapForm(params, areas=areas, regions=regions)
    if not form.is_valid():
        return MapPage(form=form, maps=[])
    data = form.cleaned_data
    today = timezone.localdate()
    as_at = data["as_at"] or today
    region = data["region"]
    maps = [england_map_chart(area_key=data["area"], as_at=as_at, region=region, areas=areas)]
    if data["compare"] and as_at != today:
        maps.append(england_map_chart(area_key=data["area"], as_at=today, region=region, areas=areas))
    return MapPage(form=form, maps=maps, region=region)
