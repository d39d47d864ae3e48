"""Visits by year, kind and region (monitoring visits, focused visits, joint targeted area
inspections), with the councils and links: what SESLIP's visit analysis counts by hand."""

from collections import Counter
from dataclasses import dataclass

from inspections.models import Event, EventKind, Region

from .selectors import VISIT_KINDS


@dataclass
class VisitThemes:
    kinds: list  # [(key, label)]
    years: list  # [(year, [count per kind], total)], newest first
    regions: list  # [(Region, [count per kind], total)]
    visits: list  # the visits matching the filters, newest first
    totals: list  # [count per kind] over every year shown


def _year(event):
    return (event.published_date or event.start_date).year


def visit_themes(*, region=None, kind=None, year=None):
    """Counts of visits by year and kind (in `region` if given) and by region and kind (in `year` if
    given), and the visits matching all the filters. Two queries."""
    kinds = [(k.value, k.label) for k in EventKind if k.value in VISIT_KINDS]
    events = list(
        Event.objects.filter(kind__in=VISIT_KINDS)
        .select_related("council__region")
        .with_sort_date()
        .order_by("-sort_date", "council__name")
    )
    in_region = [e for e in events if region is None or e.council.region_id == region.pk]
    by_year = Counter((_year(e), e.kind) for e in in_region)
    years = sorted({y for y, _k in by_year}, reverse=True)
    in_year = [e for e in events if year is None or _year(e) == year]
    by_region = Counter((e.council.region_id, e.kind) for e in in_year)
    return VisitThemes(
        kinds=kinds,
        years=[(y, [by_year[(y, k)] for k, _l in kinds], sum(by_year[(y, k)] for k, _l in kinds)) for y in years],
        regions=[
            (r, [by_region[(r.pk, k)] for k, _l in kinds], sum(by_region[(r.pk, k)] for k, _l in kinds))
            for r in Region.objects.order_by("name")
        ],
        visits=[e for e in in_region if (kind is None or e.kind == kind) and (year is None or _year(e) == year)],
        totals=[sum(by_year[(y, k)] for y in years) for k, _l in kinds],
    )
