"""PDF briefings for a council, a region and England: data from selectors, HTML from templates, PDF by WeasyPrint.

A briefing is built in three steps that each test on their own:

1. ``council_briefing`` / ``area_briefing`` read the data (selectors only, a fixed number of
   queries) and shape it into a ``Briefing``: a title, a date, and the context its template needs;
2. ``render_html`` turns it into HTML, either a whole document for WeasyPrint or the body alone
   for the preview page;
3. ``render_pdf`` prints that HTML on A4 with ``static/css/briefing.css``: a running header
   with the title and date, page numbers, repeated table headers, tagged PDF, embedded fonts.

``council_briefing_pdf`` / ``area_briefing_pdf`` cache the finished bytes until any data changes
(``inspections.cache``). WeasyPrint never touches the network: ``LocalFetcher`` serves files from
``static/`` and the system font directories and refuses every other address.
"""

import base64
import functools
import hashlib
import html
import mimetypes
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as format_date

from . import charts, selectors
from .cache import cached
from .models import DatePrecision, EventKind, RecommendationStatus

# Sections, in the order a briefing prints them: {key: label}. The builder offers them as
# checkboxes; the PDF addresses take them as repeated `sections=` parameters.
COUNCIL_SECTIONS = {
    "headline": "Latest judgements",
    "journey": "Improvement journey",
    "grid": "Judgements across inspections",
    "trajectory": "Overall effectiveness over time",
    "recommendations": "Recommendations",
    "comparison": "Statistical neighbours and region",
    "sources": "Sources",
}
AREA_SECTIONS = {
    "headline": "Latest overall effectiveness",
    "mix": "Grade mix by judgement and region",
    "map": "Map",
    "changes": "Changes over the period",
    "concerns": "Councils judged inadequate or in intervention",
    "recent": "Recent publications",
    "councils": "Every council's latest judgements",
}
KINDS = {"council": COUNCIL_SECTIONS, "region": AREA_SECTIONS, "national": AREA_SECTIONS}

RECENT_LIMIT = 25  # publications listed in an area briefing; the count says how many there were
AUTHOR = "Ofsted judgement tracker"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
CSS_PATH = STATIC_DIR / "css" / "briefing.css"
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]


def long_date(value):
    """GOV.UK style: 20 September 2016."""
    return format_date(value, "j F Y") if value else ""


@dataclass(frozen=True)
class BriefingOptions:
    """What to include: section keys (in print order) and the period (either end may be open)."""

    sections: tuple
    date_from: date | None = None
    date_to: date | None = None

    @property
    def as_at(self):
        """The date the briefing describes: the end of the period, or today."""
        return self.date_to or timezone.localdate()

    def key(self):
        """A short stable string for cache keys and file names."""
        text = f"{','.join(self.sections)}|{self.date_from}|{self.date_to}|{self.as_at}"
        return hashlib.sha1(text.encode()).hexdigest()[:16]

    def includes(self, start, end=None):
        """Whether an event dated `start` (to `end`) falls in the period."""
        end = end or start
        if start is None:
            return False
        if self.date_from and end < self.date_from:
            return False
        return not (self.date_to and start > self.date_to)

    def period_words(self):
        """ "1 April 2016 to 31 March 2024", "up to 31 March 2024", "since 1 April 2016" or ""."""
        if self.date_from and self.date_to:
            return f"{long_date(self.date_from)} to {long_date(self.date_to)}"
        if self.date_to:
            return f"up to {long_date(self.date_to)}"
        if self.date_from:
            return f"since {long_date(self.date_from)}"
        return ""


def one_year_before(value):
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return value.replace(year=value.year - 1)
    except ValueError:
        return value.replace(year=value.year - 1, day=28)


def default_options(kind):
    """Every section of a `kind` ("council", "region", "national"), whole history, as at today."""
    return BriefingOptions(sections=tuple(KINDS[kind]))


@dataclass
class Briefing:
    """A briefing ready to render: which template, its words for the PDF metadata, and its data."""

    kind: str
    title: str
    subject: str
    options: BriefingOptions
    template: str
    context: dict
    produced: date = field(default_factory=timezone.localdate)
    keywords: tuple = ()

    @property
    def as_at(self):
        return self.options.as_at

    @property
    def filename(self):
        slug = self.context.get("slug") or "england"
        return f"briefing-{slug}-{self.as_at.isoformat()}.pdf"

    def has(self, section):
        return section in self.options.sections


# --------------------------------------------------------------------------- shaping helpers


class PrintChart:
    """A charts.Chart (or maps.MapChart) that can also go into a PDF as an image: `data_uri`, `alt`."""

    def __init__(self, chart):
        self.chart = chart

    def __getattr__(self, name):
        return getattr(self.chart, name)

    def __html__(self):
        return self.chart.svg

    @functools.cached_property
    def data_uri(self):
        return "data:image/svg+xml;base64," + base64.b64encode(self.chart.svg.encode()).decode()

    @property
    def alt(self):
        match = re.search(r"<title[^>]*>(.*?)</title>", self.chart.svg, flags=re.S)
        return html.unescape(match.group(1)) if match else self.chart.table.caption


def printable(chart):
    return PrintChart(chart) if chart is not None else None


def grade_styles(grades):
    """Chart styles from Grade rows (best first), then "not judged"."""
    styles = [charts.GradeStyle(g.key, g.short_label, g.colour, g.pattern) for g in grades]
    return [*styles, charts.DEFAULT_GRADE_STYLES[-1]]


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


def is_graded(event):
    return event.kind == EventKind.INSPECTION and bool(event.judgements.all())


def in_force(event, as_at):
    """Whether an intervention was in force on `as_at`."""
    return (
        event.kind == EventKind.INTERVENTION
        and event.start_date is not None
        and event.start_date <= as_at
        and (event.end_date is None or event.end_date >= as_at)
    )


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


# --------------------------------------------------------------------------- council briefing


def council_briefing(*, slug, options):
    """The briefing for the council with `slug`. Ten queries. Raises Council.DoesNotExist."""
    page = selectors.council_page(slug=slug)
    council, timeline = page.council, page.timeline
    styles, levels = selectors.grade_vocabulary()
    styles = [*styles, charts.DEFAULT_GRADE_STYLES[-1]]  # "not judged"
    as_at = options.as_at

    known = [e for e in timeline if selectors.public_on(e, as_at) or e.kind != EventKind.INSPECTION]
    period = [e for e in known if options.includes(e.start_date or e.published_date, e.end_date)]
    graded_known = [e for e in known if is_graded(e)]
    latest = graded_known[-1] if graded_known else None

    journey = [
        JourneyRow(e, event_when(e), headline_judgement(e) if is_graded(e) else None, in_force(e, as_at))
        for e in period
    ]
    graded_period = [e for e in period if is_graded(e)]
    points = []
    for event in graded_period:
        headline = headline_judgement(event)
        label = f"{event.framework.short_name} inspection" if event.framework_id else event.display_title
        points.append((event.published_date or event.start_date, headline.grade.key if headline else None, label))
    trajectory = (
        charts.trajectory(
            points,
            styles,
            title=f"{council.name}: overall effectiveness at each graded inspection",
            scale_keys=levels,
        )
        if points
        else None
    )

    recommendations = []
    for event in graded_known:
        items = list(event.recommendations.all())
        if event is not latest:
            items = [r for r in items if r.status in (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)]
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
        groups, styles, title="Latest overall effectiveness: neighbours and region", group_label="Group"
    )

    sources = [e for e in period if e.source_name or e.source_url or e.published_date]
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
        "interventions_now": [e for e in timeline if in_force(e, as_at)],
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


# --------------------------------------------------------------------------- region and national briefings


NO_OVERALL_CHANGE = "no overall"  # one of the two inspections makes no overall judgement


@dataclass
class Change:
    council: object
    before: object  # CouncilStanding on the period's first day
    after: object  # CouncilStanding at its end
    direction: str  # "improved", "declined", "same", "first" or NO_OVERALL_CHANGE


def _direction(before, after):
    if before.latest is None:
        return "first"
    if before.headline is None or after.headline is None:
        return NO_OVERALL_CHANGE
    if after.headline.rank < before.headline.rank:
        return "improved"
    if after.headline.rank > before.headline.rank:
        return "declined"
    return "same"


def area_briefing(*, region=None, options):
    """The briefing for England (`region` None) or one Region. 4 queries, plus 4 for an uncached map."""
    record = selectors.area_record(region=region)
    as_at = options.as_at
    since = options.date_from or one_year_before(as_at)
    where = region.name if region is not None else "England"
    grades = record.grades
    styles = grade_styles(grades)

    now = selectors.standings_as_at(record=record, as_at=as_at)
    before = selectors.standings_as_at(record=record, as_at=since)
    buckets = [(g.key, g.label) for g in grades] + [
        (selectors.NO_OVERALL, "No overall judgement (framework makes none)"),
        (selectors.NOT_INSPECTED, "No graded inspection"),
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
        )

    by_year = Counter()
    publications = []
    interventions = {}
    for council in record.councils:
        for event in record.events[council.pk]:
            if in_force(event, as_at):
                interventions.setdefault(council.pk, []).append(event)
            published = event.published_date
            if not published or published > as_at or (options.date_from and published < options.date_from):
                continue
            publications.append(event)
            headline = headline_judgement(event) if is_graded(event) else None
            if headline:
                by_year[(published.year, headline.grade.key)] += 1
    years = {}
    for (year, key), n in sorted(by_year.items()):
        years.setdefault(year, {})[key] = n
    yearly = (
        charts.grade_mix_over_time(
            sorted(years.items()),
            styles,
            title=f"Overall effectiveness judgements published each year, {where}",
            value_label="Number of inspections",
        )
        if years
        else None
    )
    publications.sort(key=lambda e: (e.published_date, e.pk), reverse=True)

    changes = []
    for b, a in zip(before, now):
        if a.latest is not None and a.latest is not b.latest:
            changes.append(Change(a.council, b, a, _direction(b, a)))
    changes.sort(
        key=lambda c: (c.after.latest.published_date or c.after.latest.start_date, c.council.name), reverse=True
    )

    concerns = [
        (s, interventions.get(s.council.pk, [])) for s in now if s.inadequate_areas or s.council.pk in interventions
    ]
    map_chart = None
    if "map" in options.sections:
        from . import maps

        map_chart = maps.england_map_chart(as_at=min(as_at, timezone.localdate()), region=region)

    slug = region.slug if region is not None else "england"
    context = {
        "slug": slug,
        "region": region,
        "where": where,
        "total": total,
        "since": since,
        "headline_rows": headline_rows,
        "mix_theme": printable(mix_theme),
        "mix_region": printable(mix_region),
        "yearly": printable(yearly),
        "map": printable(map_chart),
        "changes": changes,
        "change_counts": Counter(c.direction for c in changes),
        "no_overall_changes": sum(1 for c in changes if c.direction == NO_OVERALL_CHANGE),
        "concerns": concerns,
        "recent": publications[:RECENT_LIMIT],
        "recent_total": len(publications),
        "standings": now,
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
        groups, styles, title=f"Grades in each judgement of the latest inspections, {where}", group_label="Judgement"
    )


# --------------------------------------------------------------------------- rendering


def render_html(briefing, *, document=True):
    """The briefing as a whole HTML document for print (`document`), or just its body for a web page."""
    context = {
        **briefing.context,
        "briefing": briefing,
        "as_at": briefing.as_at,
        "produced": briefing.produced,
        "period": briefing.options.period_words(),
        "show": set(briefing.options.sections),
        "body_template": briefing.template,
        "print": document,
        # One h1 per page: the PDF's title is its h1; in the builder's preview it sits under "Preview".
        "h1": 1 if document else 3,
        "h2": 2 if document else 4,
    }
    return render_to_string("briefings/document.html" if document else briefing.template, context)


def _local_fetcher(roots):
    """WeasyPrint's url_fetcher: files under `roots` only; any other address (http, ftp…) is refused."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return _read_local(url, roots, URLFetcherResponse)

    return LocalFetcher(allowed_protocols=["file", "data"])


def _read_local(url, roots, response_class):
    """Read a file: URL under one of `roots`; raise ValueError for anything else."""
    if url.startswith("data:"):  # the charts, inlined by _chart.html; decoded here, nothing fetched
        header, _comma, payload = url[5:].partition(",")
        body = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
        return response_class(url, body, {"Content-Type": header.split(";")[0] or "text/plain"})
    parsed = urlparse(url)
    if parsed.scheme != "file":
        raise ValueError(f"Briefings only read local files, not {url[:80]}")
    path = Path(unquote(parsed.path)).resolve()
    if not any(path.is_relative_to(Path(root).resolve()) for root in roots) or not path.is_file():
        raise ValueError(f"Briefings may not read {path}")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return response_class(url, path.read_bytes(), {"Content-Type": content_type})


@functools.cache
def _print_resources():
    """The stylesheet, font configuration and fetcher, loaded once per process (fonts are the slow part)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _local_fetcher([STATIC_DIR, *FONT_DIRS])
    font_config = FontConfiguration()
    css = CSS(filename=str(CSS_PATH), font_config=font_config, url_fetcher=fetcher)
    return css, font_config, fetcher


def render_pdf(briefing):
    """Print the briefing to PDF bytes (A4, tagged as PDF/UA-1, fonts embedded)."""
    return html_to_pdf(render_html(briefing), identifier=f"{briefing.kind}:{briefing.context.get('slug')}")


def html_to_pdf(html, *, identifier="briefing"):
    """Any HTML string to PDF bytes with the briefing stylesheet; local files only."""
    from weasyprint import HTML

    css, font_config, fetcher = _print_resources()
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[css],
        font_config=font_config,
        pdf_variant="pdf/ua-1",  # tagged PDF with PDF/UA identification; costs nothing measurable
        pdf_identifier=hashlib.md5(identifier.encode()).hexdigest().encode(),
    )


def council_briefing_pdf(*, slug, options):
    """(Briefing title, file name, PDF bytes) for a council, cached until any data changes.

    Raises Council.DoesNotExist for an unknown slug.
    """

    def build():
        briefing = council_briefing(slug=slug, options=options)
        return briefing.title, briefing.filename, render_pdf(briefing)

    return cached("briefing-pdf", build, "council", slug, options.key())


def area_briefing_pdf(*, region=None, options):
    """(title, file name, PDF bytes) for England or a region, cached until any data changes."""

    def build():
        briefing = area_briefing(region=region, options=options)
        return briefing.title, briefing.filename, render_pdf(briefing)

    return cached("briefing-pdf", build, "area", region.slug if region else "england", options.key(), notes=False)


# --------------------------------------------------------------------------- bulk


def write_briefings_zip(*, region=None, out, options=None, progress=None):
    """Write the area briefing and every active council's briefing (of `region`, or England) to a zip at `out`.

    `progress(done, total, name, seconds)` is called after each PDF. The zip is written to a
    temporary file and moved into place at the end, so a failure leaves no half-made file.
    Returns the number of PDFs written.
    """
    import os
    import tempfile
    import time
    import zipfile

    area_options = options or default_options("region" if region is not None else "national")
    council_options = BriefingOptions(
        sections=tuple(COUNCIL_SECTIONS), date_from=area_options.date_from, date_to=area_options.date_to
    )
    councils = selectors.area_record(region=region).councils
    total = len(councils) + 1
    out = Path(out)
    handle, temp = tempfile.mkstemp(dir=out.parent, suffix=".part")
    os.close(handle)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_STORED) as archive:
            jobs = [(region.name if region else "England", lambda: area_briefing(region=region, options=area_options))]
            jobs += [
                (c.name, functools.partial(council_briefing, slug=c.slug, options=council_options)) for c in councils
            ]
            for done, (name, build) in enumerate(jobs, 1):
                start = time.perf_counter()
                briefing = build()
                archive.writestr(briefing.filename, render_pdf(briefing))
                if progress:
                    progress(done, total, name, time.perf_counter() - start)
        os.replace(temp, out)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(out, 0o666 & ~umask)  # mkstemp made it private; give it the usual permissions
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return total
