"""Visits by year, theme and region (monitoring visits, focused visits by their focus, joint
targeted area inspections), with the councils and links: what SESLIP's visit analysis counts by hand."""

from collections import Counter
from dataclasses import dataclass

from inspections.models import Event, EventKind, Region
from reportreader.result import FOCUS_KEYS

from .selectors import VISIT_KINDS


def theme_choices():
    """[(key, label)] of every visit theme: monitoring visits, focused visits by focus (the reader's
    vocabulary), focused visits whose focus is not recorded, joint targeted area inspections."""
    focused = [(key, f"Focused visit: {key.replace('_', ' ')}") for key in FOCUS_KEYS]
    return [
        (EventKind.MONITORING_VISIT.value, EventKind.MONITORING_VISIT.label),
        *focused,
        (EventKind.FOCUSED_VISIT.value, "Focused visit: focus not recorded"),
        *[
            (k.value, k.label)
            for k in EventKind
            if k.value in VISIT_KINDS and k.value not in ("monitoring_visit", "focused_visit")
        ],
    ]


def _theme(event):
    if event.kind == EventKind.FOCUSED_VISIT and event.focus_key in FOCUS_KEYS:
        return event.focus_key
    return event.kind


@dataclass
class VisitThemes:
    kinds: list  # [(theme key, label)]: a kind of visit, or a focused visit's focus
    years: list  # [(year, [count per kind], total)], newest first
    regions: list  # [(Region, [count per kind], total)]
    visits: list  # the visits matching the filters, newest first
    totals: list  # [count per kind] over every year shown


def _year(event):
    return (event.published_date or event.start_date).year


def visit_themes(*, region=None, kind=None, year=None):
    """Counts of visits by year and theme (in `region` if given) and by region and theme (in `year`
    if given), and the visits matching all the filters (`kind`: a theme key). Two queries."""
    kinds = theme_choices()
    events = list(
        Event.objects.filter(kind__in=VISIT_KINDS)
        .select_related("council__region")
        .with_sort_date()
        .order_by("-sort_date", "council__name")
    )
    in_region = [e for e in events if region is None or e.council.region_id == region.pk]
    by_year = Counter((_year(e), _theme(e)) for e in in_region)
    years = sorted({y for y, _k in by_year}, reverse=True)
    in_year = [e for e in events if year is None or _year(e) == year]
    by_region = Counter((e.council.region_id, _theme(e)) for e in in_year)
    return VisitThemes(
        kinds=kinds,
        years=[(y, [by_year[(y, k)] for k, _l in kinds], sum(by_year[(y, k)] for k, _l in kinds)) for y in years],
        regions=[
            (r, [by_region[(r.pk, k)] for k, _l in kinds], sum(by_region[(r.pk, k)] for k, _l in kinds))
            for r in Region.objects.order_by("name")
        ],
        visits=[e for e in in_region if (kind is None or _theme(e) == kind) and (year is None or _year(e) == year)],
        totals=[sum(by_year[(y, k)] for y in years) for k, _l in kinds],
    )
