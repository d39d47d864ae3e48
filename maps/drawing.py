"""The map drawn: a council's grade in a theme as an SVG map (and a London inset), cached per choice."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from inspections import charts, states
from inspections.cache import cached
from inspections.models import Grade

from .selectors import DEFAULT_THEME, map_entries, map_themes

LONDON = "london"  # the region slug whose councils the England map repeats, larger, in an inset


@dataclass(frozen=True)
class LegendItem:
    """One line of the map's legend: the grade's key (its swatch comes from the grade CSS), words and count."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class MapChart(charts.Chart):
    """A map ``Chart`` whose table rows also link to council pages, with its legend and London inset."""

    hrefs: tuple = ()
    heading: str = ""
    as_at: date | None = None
    area_name: str = ""
    graded_count: int = 0  # councils shown with a grade
    council_count: int = 0
    legend: tuple = ()  # LegendItem, best grade first, then the states
    london: charts.Chart | None = None  # the London boroughs, larger and labelled (England map only)
    theme: str = ""
    print_svg: str = ""  # the same map for a PDF: no links, one path per grade (cheaper to print)

    @property
    def dom_id(self):
        """A stable id for this map's elements on a page (two maps may share one)."""
        return "map-" + hashlib.sha1(self.heading.encode()).hexdigest()[:8]

    def table_rows(self):
        """[(href, cells)] for the table alternative."""
        return list(zip(self.hrefs, self.table.rows, strict=False))


def _long(d):
    return format_date(d, "j F Y")


def _inspection_words(event):
    """ "the SIF inspection published 20 September 2016" (or "started …" when not published)."""
    name = f"{event.framework.short_name} inspection" if event.framework_id else "inspection"
    if event.published_date:
        return f"{name} published {_long(event.published_date)}"
    return f"{name} started {event.when}"


def _describe(entry, theme, styles, as_at):
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
        why = f"{words} made no “{theme.label.lower()}” judgement"
        return f"{council.name} — {label} ({why})", label, _sentence(why)
    detail = words
    if entry.judgement.area.name != theme.label:
        detail = f"{words}, judging “{entry.judgement.area.name}”"
    return f"{council.name} — {label} ({detail})", label, _sentence(detail)


def _sentence(text):
    return text[:1].upper() + text[1:]


def _styles(entries):
    """Grade styles (from the grades shown, best first), then every non-grade state."""
    grades = {e.judgement.grade.key: e.judgement.grade for e in entries if e.judgement is not None}
    return states.grade_styles(sorted(grades.values(), key=lambda g: (g.rank, g.key)))


def map_title(theme, as_at, region=None, *, today=None):
    """ "Overall effectiveness: latest grade of each council, England, 31 December 2016"."""
    where = region.name if region is not None else "England"
    when = "today" if as_at == (today or timezone.localdate()) else f"at {_long(as_at)}"
    return f"{theme.label}: latest grade of each council, {where}, {when}"


def build_map_chart(*, theme_key=DEFAULT_THEME, as_at, region=None, themes=None):
    """Draw the map (uncached): five queries and the SVG. Raises ValueError for an unknown theme."""
    themes = themes if themes is not None else map_themes()
    theme = next((t for t in themes if t.key == theme_key), None)
    if theme is None:
        raise ValueError(f"There is no map of “{theme_key}”.")
    entries = map_entries(theme=theme, as_at=as_at, region=region)
    style_list = _styles(entries)
    styles = {s.key: s for s in style_list}
    by_urn, rows, hrefs, counts = {}, [], [], {}
    for entry in entries:
        council = entry.council
        href = reverse("inspections:council_detail", args=[council.slug])
        tip, label, inspection = _describe(entry, theme, styles, as_at)
        by_urn[council.urn] = charts.MapDistrict(entry.grade_key, council.name, href, tip)
        rows.append([council.name, label, inspection])
        hrefs.append(href)
        counts[entry.grade_key] = counts.get(entry.grade_key, 0) + 1
    title = map_title(theme, as_at, region)
    values = charts.expand_council_values(by_urn)
    # The legend is HTML beside the map (readable at any width), so the SVG draws none.
    chart = charts.england_map(
        values, style_list, title=title, region_gss=region.code if region is not None else None, legend=False
    )
    # For PDFs: the same picture, one path per grade, no neighbouring context (a third of the cost).
    printed = charts.england_map(
        values,
        style_list,
        title=title,
        region_gss=region.code if region is not None else None,
        context=False,
        legend=False,
        for_print=True,
    )
    london = None
    if region is None:
        code = next(code for code, name in charts.map_regions().items() if name.lower() == LONDON)
        london = charts.england_map(
            values,
            style_list,
            title=f"London boroughs, larger: {title}",
            region_gss=code,
            context=False,
            legend=False,
            labels=True,
        )
    legend = tuple(LegendItem(s.key, s.label, counts[s.key]) for s in style_list if counts.get(s.key))
    return MapChart(
        chart.svg,
        charts.Table(title, ["Council", "Grade", "Inspection"], rows),
        hrefs=tuple(hrefs),
        heading=title,
        as_at=as_at,
        area_name=theme.label,
        graded_count=sum(1 for e in entries if e.judgement is not None),
        council_count=len(entries),
        legend=legend,
        london=london,
        theme=theme.key,
        print_svg=printed.svg,
    )


def england_map_chart(*, theme=DEFAULT_THEME, as_at=None, region=None, themes=None):
    """The England (or `region`'s) map of each council's latest grade in `theme` as at `as_at`.

    `theme`: a MapTheme key (default overall effectiveness); `as_at`: a date, default today;
    `region`: a Region to zoom to, or None; `themes`: map_themes() if the caller has them (saves a
    query when drawing). Returns a ``MapChart`` (a ``charts.Chart`` whose table rows carry links).
    Cached per theme, date and region until any data changes.
    Raises ValueError for an unknown theme or a date in the future.
    """
    today = timezone.localdate()
    as_at = as_at or today
    if as_at > today:
        raise ValueError("The date must be today or in the past.")
    region_code = region.code if region is not None else "england"
    return cached(
        "map",
        lambda: build_map_chart(theme_key=theme, as_at=as_at, region=region, themes=themes),
        theme,
        as_at.isoformat(),
        region_code,
        notes=False,
    )


def _grade_css():
    return charts.grade_css(states.grade_styles(Grade.objects.order_by("rank", "key")))


def grade_css_text():
    """The grade tags' colours as CSS, from the Grade rows (one query, then cached until the data changes).

    Served at /grades.css for the pages and put into each PDF briefing, so a grade's colour is
    set in one place: its row.
    """
    return cached("grade-css", _grade_css, notes=False)
