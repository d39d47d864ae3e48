"""The region and England briefings: standings now and a year earlier, grade mixes, map, changes, concerns."""

from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from inspections import charts, selectors, states

from .council import headline_judgement
from .document import Briefing, long_date, one_year_before, printable

RECENT_LIMIT = 25  # publications listed in an area briefing; the count says how many there were


@dataclass
class Change:
    """A council whose latest graded inspection changed over the period, and which way it went."""

    council: object
    before: object  # CouncilStanding on the period's first day
    after: object  # CouncilStanding at its end
    direction: object  # selectors.Direction: the one direction-of-travel rule, as on the web pages
    note: int | None = None  # the number of the note, under the table, that says why it is not like for like


def area_briefing(*, region=None, options):
    """The briefing for England (`region` None) or one Region. 6 queries, plus 4 for an uncached map."""
    record = selectors.area_record(region=region)
    as_at = options.as_at
    since = options.date_from or one_year_before(as_at)
    where = region.name if region is not None else "England"
    grades = record.grades
    styles = states.grade_styles(grades)

    now = selectors.standings_as_at(record=record, as_at=as_at)
    before = selectors.standings_as_at(record=record, as_at=since)
    buckets = [(g.key, g.label) for g in grades] + [
        (states.NOT_JUDGED.key, states.NOT_JUDGED.label),
        (states.NO_INSPECTION.key, states.NO_INSPECTION.label),
    ]
    counts_now, counts_before = Counter(s.bucket for s in now), Counter(s.bucket for s in before)
    headline_rows = [
        (
            label,
            counts_before.get(key, 0),
            counts_now.get(key, 0),
            _signed(counts_now.get(key, 0) - counts_before.get(key, 0)),
        )
        for key, label in buckets
        if counts_now.get(key) or counts_before.get(key)
    ]
    total = len(now)

    mix_theme = _theme_mix(now, styles, where)
    mix_region = None
    if region is None:
        by_region = {}
        for standing in now:
            by_region.setdefault(standing.council.region.name, Counter())[_chart_key(standing)] += 1
        mix_region = charts.grade_mix_by_group(
            sorted((name, dict(c)) for name, c in by_region.items()),
            styles,
            title=f"Latest overall effectiveness by region, {long_date(as_at)}",
            legend=False,
            for_print=True,
        )

    by_year = Counter()
    recent = []  # (event, headline judgement) published in the period the changes cover, as the heading says
    interventions = {}
    for council in record.councils:
        for event in record.events[council.pk]:
            if event.is_in_force(as_at):
                interventions.setdefault(council.pk, []).append(event)
            published = event.published_date
            if not published or published > as_at or (options.date_from and published < options.date_from):
                continue
            headline = headline_judgement(event) if event.is_graded else None
            if headline:
                by_year[(published.year, headline.grade.key)] += 1
            if published >= since:
                recent.append((event, headline))
    years = {}
    for (year, key), n in sorted(by_year.items()):
        years.setdefault(year, {})[key] = n
    yearly = (
        charts.grade_mix_over_time(
            sorted(years.items()),
            styles,
            title=f"Overall effectiveness judgements published each year, {where}",
            value_label="Number of inspections",
            legend=False,
            for_print=True,
        )
        if years
        else None
    )
    recent.sort(key=lambda pair: (pair[0].published_date, pair[0].pk), reverse=True)

    changes = []
    for b, a in zip(before, now):
        if a.latest is not None and a.latest is not b.latest:
            changes.append(Change(a.council, b, a, selectors.direction_of_travel(a.latest, b.latest)))
    changes.sort(
        key=lambda c: (c.after.latest.published_date or c.after.latest.start_date, c.council.name), reverse=True
    )
    change_notes = _number_notes(changes)

    concerns = [
        (s, interventions.get(s.council.pk, [])) for s in now if s.inadequate_areas or s.council.pk in interventions
    ]
    map_chart = None
    if "map" in options.sections:
        from maps.drawing import england_map_chart

        map_chart = england_map_chart(as_at=min(as_at, timezone.localdate()), region=region)

    slug = region.slug if region is not None else "england"
    context = {
        "slug": slug,
        "region": region,
        "where": where,
        "total": total,
        "since": since,
        "headline_rows": headline_rows,
        "mix_key": _shared_key(styles, mix_theme, mix_region, yearly),
        "mix_theme": printable(mix_theme),
        "mix_region": printable(mix_region),
        "yearly": printable(yearly),
        "map": printable(map_chart),
        "changes": changes,
        "change_counts": Counter(c.direction.key for c in changes),
        "change_notes": change_notes,
        "concerns": concerns,
        "recent": recent[:RECENT_LIMIT],
        "recent_total": len(recent),
        "standings": sorted(now, key=lambda s: s.council.region.name),  # by name within each region
    }
    return Briefing(
        kind="region" if region is not None else "national",
        title=f"{where}: Ofsted judgements of councils' children's services",
        subject=f"Latest Ofsted judgements, changes, concerns and recent publications for {where}",
        options=options,
        template="briefings/area_body.html",
        context=context,
        keywords=(where, "Ofsted", "children's services", "ILACS"),
    )


def _signed(n):
    """+3, -2 or 0."""
    return f"{n:+d}" if n else "0"


def _chart_key(standing):
    """A standing's headline grade key for the charts; None draws as "not judged"."""
    return standing.headline.key if standing.headline else None


def _theme_mix(standings, styles, where):
    """Grade mix of each judgement theme across the latest inspections, one bar per theme."""
    themes = {}
    for standing in standings:
        if standing.latest is None:
            continue
        for judgement in standing.latest.judgements.all():
            area = judgement.area
            themes.setdefault((area.theme_order, area.theme_label), Counter())[judgement.grade.key] += 1
    if not themes:
        return None
    groups = [(label, dict(counts)) for (_order, label), counts in sorted(themes.items())]
    return charts.grade_mix_by_group(
        groups,
        styles,
        title=f"Grades in each judgement of the latest inspections, {where}",
        group_label="Judgement",
        legend=False,
        for_print=True,
    )


def _shared_key(styles, *charts_drawn):
    """{"key": [(grade key, label)]} of every grade the charts draw, in grade order (what
    _chart_key.html reads from a chart): one key for a section whose
    charts share their fills (three keys of the same grades cost a region briefing about a twentieth
    of its print time and tell the reader nothing new)."""
    drawn = {style.key for chart in charts_drawn if chart is not None for style in chart.keys}
    return {"key": [(style.key, style.label) for style in styles if style.key in drawn]}


def _number_notes(changes):
    """Number each different reason a change is not like for like, in order of first use; set each change's
    `note` and return the reasons, so a table of thirty changes says "no overall judgement" once, not ten times."""
    notes = {}
    for change in changes:
        if not change.direction.is_like_for_like:
            change.note = notes.setdefault(change.direction.basis, len(notes) + 1)
    return list(notes)
