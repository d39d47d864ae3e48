"""Councils side by side: each judgement theme's grades over time for 2 to 10 chosen councils."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from inspections.models import Council, Event, Judgement, StatisticalNeighbour
from inspections.states import NO_INSPECTION, NOT_JUDGED

from .selectors import themes

MIN_COUNCILS, MAX_COUNCILS = 2, 10


@dataclass
class ThemeRow:
    council: Council
    grades: list  # [(Event, Grade)] oldest first
    empty_label: str  # what to say when there are none (states.py's words)


@dataclass
class Comparison:
    councils: list
    themes: list  # [(theme label, [ThemeRow])], themes any chosen council was ever judged on


def parse_slugs(values):
    """Council addresses from repeated and/or comma-separated `councils` values, in order, once each."""
    slugs = []
    for value in values:
        for slug in value.split(","):
            slug = slug.strip().lower()
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


def starting_set(slug):
    """A council and its statistical neighbours in rank order (up to ten in all): the default
    comparison. Two queries; [] if no council has that address."""
    council = Council.objects.filter(slug=slug).first()
    if council is None:
        return []
    neighbours = StatisticalNeighbour.objects.filter(council=council).select_related("neighbour").order_by("rank")
    return [council.slug] + [link.neighbour.slug for link in neighbours][: MAX_COUNCILS - 1]


def comparison(*, slugs):
    """(Comparison, unknown slugs) for the councils at `slugs`. Three queries."""
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
    graded = set()
    for event in events:
        graded.add(event.council_id)
        for judgement in event.judgements.all():
            grades[(event.council_id, judgement.area.theme)].append((event, judgement.grade))
    rows = []
    for theme, label in themes():
        if any((c.pk, theme) in grades for c in councils):
            rows.append(
                (
                    label,
                    [
                        ThemeRow(
                            c,
                            grades.get((c.pk, theme), []),
                            NOT_JUDGED.label if c.pk in graded else NO_INSPECTION.label,
                        )
                        for c in councils
                    ],
                )
            )
    return Comparison(councils=councils, themes=rows), unknown


def comparison_sheet(found, *, link_for):
    """The comparison as one table: a row per council, theme and inspection, oldest first."""
    from .exports import Sheet

    headers = ["council_urn", "council", "theme", "event_id", "framework", "start_date", "published_date", "grade"]
    headers.append("tracker_link")
    rows = []
    for label, theme_rows in found.themes:
        for row in theme_rows:
            for event, grade in row.grades:
                framework = event.framework.key if event.framework_id else ""
                rows.append(
                    [
                        row.council.urn,
                        row.council.name,
                        label,
                        event.pk,
                        framework,
                        event.start_date,
                        event.published_date,
                        grade.key,
                        link_for(event),
                    ]
                )
    names = ", ".join(c.name for c in found.councils)
    return Sheet(f"Comparison of {names}", headers, rows)
