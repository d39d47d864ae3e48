"""The council briefing: latest judgements, journey, grid, trajectory, recommendations, comparison, sources."""

from collections import Counter
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateformat import format as format_date

from inspections import charts, selectors, states
from inspections.models import DatePrecision, EventKind, Recommendation

from .document import Briefing, long_date, printable

headline_judgement = selectors.headline_judgement


def event_when(event):
    """When an event happened, as precisely as we know: "4 to 28 July 2016", "March 2011", "2017"."""
    start = event.start_date or event.published_date
    if event.date_precision == DatePrecision.YEAR:
        return str(start.year)
    if event.date_precision == DatePrecision.MONTH:
        return format_date(start, "F Y")
    end = event.end_date if event.start_date else None
    if end and end != start:
        if (end.year, end.month) == (start.year, start.month):
            return f"{start.day} to {long_date(end)}"
        if end.year == start.year:
            return f"{format_date(start, 'j F')} to {long_date(end)}"
        return f"{long_date(start)} to {long_date(end)}"
    return long_date(start)


@dataclass
class JourneyRow:
    event: object
    when: str
    headline: object  # Judgement or None
    in_force: bool = False


@dataclass
class RecommendationGroup:
    event: object
    items: list
    latest: bool


def council_briefing(*, slug, options):
    """The briefing for the council with `slug`. Eleven queries. Raises Council.DoesNotExist."""
    page = selectors.council_page(slug=slug)
    council, timeline = page.council, page.timeline
    styles, levels = selectors.grade_vocabulary()
    styles = [*styles, states.NOT_JUDGED.style]  # "not judged"
    as_at = options.as_at

    known = [e for e in timeline if selectors.public_on(e, as_at) or e.kind != EventKind.INSPECTION]
    period = [e for e in known if options.includes(e.start_date or e.published_date, e.end_date)]
    graded_known = [e for e in known if e.is_graded]
    latest = graded_known[-1] if graded_known else None

    journey = [
        JourneyRow(e, event_when(e), headline_judgement(e) if e.is_graded else None, e.is_in_force(as_at))
        for e in period
    ]
    graded_period = [e for e in period if e.is_graded]
    points = []
    for event in graded_period:
        headline = headline_judgement(event)
        label = f"{event.framework.short_name} inspection" if event.framework_id else event.display_title
        points.append((event.chart_date, headline.grade.key if headline else None, label))
    trajectory = (
        charts.trajectory(
            points,
            styles,
            title=f"{council.name}: overall effectiveness at each graded inspection",
            scale_keys=levels,
            for_print=True,  # the builder's preview shows the PDF's picture
        )
        if points
        else None
    )

    # Which earlier recommendations still stand is the queryset's rule, said once (one query).
    still_open = set(Recommendation.objects.filter(event__council=council).still_open().values_list("pk", flat=True))
    recommendations = []
    for event in graded_known:
        items = list(event.recommendations.all())
        if event is not latest:
            items = [r for r in items if r.pk in still_open]
        items = [(r, (list(r.updates.all()) or [None])[-1]) for r in items]
        if items:
            recommendations.append(RecommendationGroup(event, items, event is latest))
    recommendations.sort(key=lambda group: not group.latest)

    (_self_label, (own,)), (_n_label, neighbour_entries), (_r_label, region_entries) = page.comparison
    neighbours = [(rank, e.council, e.event, e.headline) for rank, e in enumerate(neighbour_entries, 1)]
    groups = [
        (f"{council.name}'s statistical neighbours", _grade_counts(e.headline for e in neighbour_entries)),
        (f"{council.region.name} councils", _grade_counts(e.headline for e in [own, *region_entries])),
    ]
    mix = charts.grade_mix_by_group(
        groups,
        styles,
        title="Latest overall effectiveness: neighbours and region",
        group_label="Group",
        legend=False,
        for_print=True,  # the builder's preview shows the PDF's picture
    )

    sources = [e for e in period if e.is_published_by_ofsted or e.source_url or e.report_file]
    last_change = max((e.updated_at for e in timeline), default=None)
    subject = (
        f"Ofsted judgements of {council.name}'s children's services: "
        "improvement journey, recommendations and comparison"
    )
    context = {
        "slug": council.slug,
        "council": council,
        "latest": latest,
        "latest_headline": headline_judgement(latest) if latest else None,
        "interventions_now": [e for e in timeline if e.is_in_force(as_at)],
        "journey": journey,
        "grid": selectors.judgement_grid(events=period),
        "trajectory": printable(trajectory),
        "recommendations": recommendations,
        "neighbours": neighbours,
        "mix": printable(mix),
        "comparison_latest": own.event,
        "comparison_headline": own.headline,
        "predecessors": page.predecessors,
        "successors": page.successors,
        "sources": sources,
        "last_change": timezone.localtime(last_change).date() if last_change else None,
    }
    return Briefing(
        kind="council",
        title=f"{council.name}: children's services briefing",
        subject=subject,
        options=options,
        template="briefings/council_body.html",
        context=context,
        keywords=(council.name, council.region.name, "Ofsted", "children's services"),
    )


def _grade_counts(grades):
    """{grade key or None: n} of overall grades (None: no overall judgement or not inspected)."""
    return dict(Counter(grade.key if grade else None for grade in grades))
