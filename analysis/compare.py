"""Councils side by side: each judgement theme's grades over time for 2 to 10 chosen councils, each
council's rank among them, and England's and their regions' grades in that theme at the end of each year.

Ranking rule (said on the page and in the PDF): councils are ranked by the grade their latest
graded inspection gave in the theme, best first; councils with the same grade share a rank and the
next rank skips (1, 2, 2, 4); councils whose latest inspection made no judgement in the theme, or
with no graded inspection, share the last rank.

The distributions are taken at the end of each year (and today) rather than at the chosen councils'
inspection dates: one row per year lines up with the chart's year axis, reads down a column as a
trend, and stays the same whichever councils are chosen, where up to ten councils' dates would give
dozens of irregular, clustered rows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Prefetch

from inspections import charts, selectors
from inspections.cache import cached
from inspections.models import Council, Event, Grade, Judgement, StatisticalNeighbour
from inspections.states import NO_INSPECTION, NOT_JUDGED, grade_styles

from .selectors import themes

# A theme judged twice by one inspection (the 2009 frameworks) counts at its worst grade, as everywhere.
worst_by_theme = selectors.worst_by_theme

MIN_COUNCILS, MAX_COUNCILS = 2, 10
NEIGHBOURS, REGION = "neighbours", "region"
RANK_RULE = (
    "Ranked by the grade of each council's latest graded inspection in this area, best first. Councils "
    "with the same grade share a rank. Councils whose latest inspection made no judgement in this area, "
    "or that have no graded inspection, share the last rank."
)


@dataclass
class ThemeRow:
    council: Council
    grades: list  # [(Event, Grade)] oldest first
    empty_label: str  # what to say when there are none (states.py's words)
    latest: object = None  # the Grade the council's latest graded inspection gave in this theme, or None
    latest_label: str = ""  # that grade's label, or the state's words
    rank: int = 0


@dataclass
class Distribution:
    """One place's councils by the grade (or state) their latest graded inspection held on one date."""

    as_at: datetime.date
    place: str
    cells: list  # [(count, percent)] aligned with ThemeComparison.columns
    total: int


@dataclass
class ThemeComparison:
    theme: str
    label: str
    rows: list  # [ThemeRow], one per chosen council, in the chosen order
    chart: object  # charts.Chart
    columns: list = field(default_factory=list)  # [(key, label)]: grades best first, then the states
    distributions: list = field(default_factory=list)  # [Distribution]: England then each region, by date

    @property
    def print_chart(self):
        """The chart with its key as page text, for pages and the PDF (briefings.document.PrintChart)."""
        from briefings.document import printable

        return printable(self.chart)


@dataclass
class Comparison:
    councils: list
    themes: list  # [ThemeComparison], themes any chosen council was ever judged on
    regions: list = field(default_factory=list)  # the chosen councils' regions, in order of first mention
    today: datetime.date = None
    no_inspection_label: str = NO_INSPECTION.label

    @property
    def places(self):
        """ "England and North West" or "England, North West and Yorkshire and The Humber": the places
        whose councils' grades stand beside the comparison."""
        names = ["England", *(region.name for region in self.regions)]
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def parse_slugs(values):
    """Council addresses from repeated and/or comma-separated `councils` values, in order, once each."""
    slugs = []
    for value in values:
        for slug in value.split(","):
            slug = slug.strip().lower()
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def starting_set(slug, group=NEIGHBOURS):
    """A council and, after it, its statistical neighbours in rank order (`group` NEIGHBOURS) or the
    other active councils of its region by name (REGION), up to ten in all: the default comparison.
    Two queries; [] if no council has that address."""
    council = Council.objects.filter(slug=slug).first()
    if council is None:
        return []
    if group == REGION:
        others = Council.objects.active().filter(region_id=council.region_id).exclude(pk=council.pk).order_by("name")
        slugs = list(others.values_list("slug", flat=True))
    else:
        links = StatisticalNeighbour.objects.filter(council=council).select_related("neighbour").order_by("rank")
        slugs = [link.neighbour.slug for link in links]
    return [council.slug] + slugs[: MAX_COUNCILS - 1]


def rank(rows):
    """Set each ThemeRow's rank by the ranking rule (module docstring). No queries."""
    graded = [row.latest.rank for row in rows if row.latest is not None]
    for row in rows:
        if row.latest is None:
            row.rank = len(graded) + 1
        else:
            row.rank = 1 + sum(1 for other in graded if other < row.latest.rank)


def _year_ends(first_year, today):
    return [datetime.date(year, 12, 31) for year in range(first_year, today.year)] + [today]


def yearly_distributions(*, today):
    """Every theme's distribution in England and in each region at the end of each year and today.

    {"first_year": int, "counts": {(theme, place): {as_at: {key: n}}}, "totals": {(place, as_at): n}},
    place being "England" or a region's name. Each active council counts under the grade its latest
    graded inspection public on that date gave in the theme, "not judged" when that inspection judged
    nothing in it, "no inspection" when it has none. Six queries (the whole record); cached per data
    version and day, since every comparison reads from it.
    """

    def build():
        record = selectors.area_record()
        years = [e.chart_date.year for events in record.events.values() for e in events]
        first_year = min(years, default=today.year)
        theme_keys = [theme for theme, _label in themes()]
        grades_of = {}  # event id → {theme: grade key}, worked out once for every date
        counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        totals = defaultdict(int)
        for as_at in _year_ends(first_year, today):
            for standing in selectors.standings_as_at(record=record, as_at=as_at):
                event = standing.latest
                if event is not None and event.pk not in grades_of:
                    grades_of[event.pk] = {theme: g.key for theme, g in worst_by_theme(event).items()}
                given = grades_of[event.pk] if event is not None else {}
                for place in ("England", standing.council.region.name):
                    totals[(place, as_at)] += 1
                    for theme in theme_keys:
                        key = given.get(theme, NOT_JUDGED.key) if event is not None else NO_INSPECTION.key
                        counts[(theme, place)][as_at][key] += 1
        plain = {where: {day: dict(c) for day, c in by_day.items()} for where, by_day in counts.items()}
        return {"first_year": first_year, "counts": plain, "totals": dict(totals)}

    return cached("compare-distributions", build, today.isoformat(), notes=False)


def _distributions(found, regions, theme, dates, columns):
    """England's and each of `regions`' Distribution of one theme on each date, from yearly_distributions."""
    result = []
    for as_at in dates:
        for place in ("England", *(region.name for region in regions)):
            counts = found["counts"].get((theme, place), {}).get(as_at, {})
            total = found["totals"].get((place, as_at), 0)
            cells = [(counts.get(k, 0), round(100 * counts.get(k, 0) / total) if total else 0) for k, _l in columns]
            result.append(Distribution(as_at, place, cells, total))
    return result


def comparison(*, slugs, today, for_print=False):
    """(Comparison, unknown slugs) for the councils at `slugs`, with the England and region distributions
    at the end of each year up to `today`. Five queries, and four more when the distributions are not
    cached, whatever the number of councils or events. `for_print` draws the charts' print form (the
    PDF briefing's: see charts.grade_lanes)."""
    found = {c.slug: c for c in Council.objects.filter(slug__in=slugs).with_region()}
    councils = [found[s] for s in slugs if s in found]
    unknown = [s for s in slugs if s not in found]
    events = (
        Event.objects.graded()
        .filter(council__in=councils)
        .select_related("framework")
        .prefetch_related(Prefetch("judgements", Judgement.objects.select_related("area", "grade")))
        .with_sort_date()
        .order_by("sort_date", "pk")
    )
    grades = defaultdict(list)  # (council id, theme) → [(event, grade)]
    latest = {}  # council id → its latest graded inspection
    for event in events:
        latest[event.council_id] = event
        for judgement in event.judgements.all():
            grades[(event.council_id, judgement.area.theme)].append((event, judgement.grade))
    if not councils:
        return Comparison(councils=[], themes=[], today=today), unknown

    found_counts = yearly_distributions(today=today)
    scale = list(Grade.objects.order_by("rank", "key"))
    styles = grade_styles(scale, states=(NOT_JUDGED, NO_INSPECTION))
    columns = [(g.key, g.label) for g in scale] + [(s.key, s.label) for s in (NOT_JUDGED, NO_INSPECTION)]
    regions = list({c.region_id: c.region for c in councils}.values())
    compared = []
    for theme, label in themes():
        if not any((c.pk, theme) in grades for c in councils):
            continue
        rows = [_theme_row(c, theme, grades.get((c.pk, theme), []), latest.get(c.pk)) for c in councils]
        rank(rows)
        chart = charts.grade_lanes(
            [(row.council.name, [(e.chart_date, g.key, e.display_title) for e, g in row.grades]) for row in rows],
            styles,
            f"{label}: each council's grade over time, by date of publication",
            until=today,
            date_label="Published",
            for_print=for_print,
        )
        first_year = max(min(e.chart_date.year for row in rows for e, _g in row.grades), found_counts["first_year"])
        distributions = _distributions(found_counts, regions, theme, _year_ends(first_year, today), columns)
        # Columns no date needs (say, "adequate" after 2013) are left out of the table.
        keep = [i for i in range(len(columns)) if any(d.cells[i][0] for d in distributions)]
        for distribution in distributions:
            distribution.cells = [distribution.cells[i] for i in keep]
        compared.append(ThemeComparison(theme, label, rows, chart, [columns[i] for i in keep], distributions))
    return Comparison(councils=councils, themes=compared, regions=regions, today=today), unknown


def _theme_row(council, theme, grades, latest_event):
    if latest_event is None:
        return ThemeRow(council, grades, NO_INSPECTION.label, None, NO_INSPECTION.label)
    grade = worst_by_theme(latest_event).get(theme)
    return ThemeRow(council, grades, NOT_JUDGED.label, grade, grade.label if grade else NOT_JUDGED.label)


def comparison_from_query(query, *, today, for_print=False):
    """(context, errors) for the compare page and its PDF from a QueryDict: `councils=a,b,c` (or
    repeated), or `council=<slug>` with `group=neighbours` (default) or `group=region`. Errors are
    [(message, id of the field to fix)]; the context holds `found` (a Comparison of at least two
    councils, or None), `chosen`, `share` (the query string that reproduces it), `start`, `group`.
    `for_print`: as `comparison`."""

    errors = []
    slugs = parse_slugs(query.getlist("councils"))
    start = query.get("council", "").strip().lower()
    group = query.get("group") or NEIGHBOURS
    if group not in (NEIGHBOURS, REGION):
        errors.append(("Choose to start from the council's statistical neighbours or its region", "group-neighbours"))
        group = NEIGHBOURS
    if start and not slugs:
        slugs = starting_set(start, group)
        if not slugs:
            errors.append(("There is no council at that address: choose one from the list", "council"))
    found, unknown = comparison(slugs=slugs[:MAX_COUNCILS], today=today, for_print=for_print) if slugs else (None, [])
    if unknown:
        errors.append((f"These are not councils we know: {', '.join(unknown)}", "add"))
    if len(slugs) > MAX_COUNCILS:
        errors.append((f"Compare up to {MAX_COUNCILS} councils: the first {MAX_COUNCILS} are shown", "add"))
    if found is not None and len(found.councils) < MIN_COUNCILS and not errors:
        errors.append((f"Choose at least {MIN_COUNCILS} councils to compare", "add"))
    chosen = found.councils if found else []
    share = "?" + urlencode({"councils": ",".join(c.slug for c in chosen)}) if chosen else ""
    context = {
        "found": found if found and len(found.councils) >= MIN_COUNCILS else None,
        "chosen": chosen,
        "errors": errors,
        "share": share,
        "start": start,
        "group": group,
    }
    return context, errors


def comparison_sheet(found, *, link_for):
    """The comparison as one table: a row per council, theme and inspection, oldest first."""
    from .exports import Sheet

    headers = ["council_urn", "council", "theme", "event_id", "framework", "start_date", "published_date", "grade"]
    headers += ["tracker_link", "latest_grade_in_theme", "rank_among_chosen"]
    rows = []
    for theme in found.themes:
        for row in theme.rows:
            for event, grade in row.grades:
                framework = event.framework.key if event.framework_id else ""
                rows.append(
                    [
                        row.council.urn,
                        row.council.name,
                        theme.label,
                        event.pk,
                        framework,
                        event.start_date,
                        event.published_date,
                        grade.key,
                        link_for(event),
                        row.latest_label,
                        row.rank,
                    ]
                )
    names = ", ".join(c.name for c in found.councils)
    return Sheet(f"Comparison of {names}", headers, rows)
