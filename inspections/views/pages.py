"""The pages everyone reads: national picture, councils table, council, region and event pages.

Each view reads the request, calls selectors and renders. The data-heavy part of each page is
rendered once per data version and kept in the shared cache (inspections.cache): any saved change
bumps the version, so a page never shows stale data; role-dependent links stay outside the cache.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_tables2 import RequestConfig

from analysis.timing import timing_from_timeline, with_last_inspection
from maps.drawing import england_map_chart

from .. import charts, exports, selectors, states
from ..cache import cached, query_key
from ..feeds import personal_feed_url
from ..filters import CouncilFilter
from ..forms import error_summary
from ..models import Council, Event, Region
from ..roles import EXPORT, capabilities, permission_required
from ..tables import CouncilsTable

EXPORT_FORMATS = ("csv", "xlsx")


def _fragment(name, template, build, request, *parts, notes=False):
    """(HTML, title) of `template` rendered with `build()` (a dict; its "title" is the page title).

    Cached per data version, `parts` and the user's capabilities (so role-dependent links may sit
    inside); the page template wraps it in the parts that vary per request (CSRF, CSP nonce).
    """
    can = capabilities(request.user)
    flags = "".join(k[0] for k, v in sorted(can.items()) if v) or "-"

    def render_fragment():
        context = {**build(), "can": can, "request": request}
        return render_to_string(template, context), context.get("title", "")

    return cached(f"page:{name}", render_fragment, flags, *parts, notes=notes)


def _chart_styles(grades):
    """Chart styles for grades (best first) plus the two buckets that are not grades."""
    return states.grade_styles(grades, states=(states.NOT_JUDGED, states.NO_INSPECTION))


def _headline_summary(picture):
    """[(key, label, grade or None, count, percent)] for the headline counts, best grade first."""
    total = len(picture.standings) or 1
    rows = []
    for grade in picture.grades:
        n = picture.headline_counts.get(grade.key, 0)
        if n or grade.key != "adequate":
            rows.append((grade.key, grade.label, grade, n, round(100 * n / total)))
    for state in (states.NOT_JUDGED, states.NO_INSPECTION):
        n = picture.headline_counts.get(state.key, 0)
        rows.append((state.key, state.label, None, n, round(100 * n / total)))
    return rows


def _theme_table(picture):
    """Grade counts per judgement area: ([grades shown], [(theme label, [counts], not judged)])."""
    shown = [g for g in picture.grades if any(counts.get(g.key) for _label, counts in picture.theme_counts)]
    rows = [
        (label, [counts.get(g.key, 0) for g in shown], counts.get("not_judged", 0))
        for label, counts in picture.theme_counts
    ]
    return shown, rows


def _picture_charts(picture, *, place):
    styles = _chart_styles(picture.grades)
    by_region = [(region.name, counts) for region, counts in picture.by_region]
    if len(by_region) > 1:
        by_region.append((place, picture.headline_counts))
    region_chart = charts.grade_mix_by_group(
        by_region,
        styles,
        title=f"Latest overall effectiveness by region, {place}"
        if len(by_region) > 1
        else f"Latest overall effectiveness, {place}",
    )
    year_chart = charts.grade_mix_over_time(
        picture.by_year,
        styles,
        title=f"Overall effectiveness judgements by year of publication, {place}",
        value_label="Inspections",
    )
    return region_chart, year_chart


def _home_context():
    picture = selectors.national_picture()
    region_chart, year_chart = _picture_charts(picture, place="England")
    theme_grades, theme_rows = _theme_table(picture)
    concerns = {s.council.pk: s for s in picture.concerns}
    intervened = {}
    for event in picture.interventions:
        intervened.setdefault(event.council_id, []).append(event)
    watch = [
        (s, intervened.get(s.council.pk, []))
        for s in picture.standings
        if s.council.pk in concerns or s.council.pk in intervened
    ]
    return {
        "picture": picture,
        "as_at": timezone.localdate(),
        "council_count": len(picture.standings),
        "headline": _headline_summary(picture),
        "theme_grades": theme_grades,
        "theme_rows": theme_rows,
        "region_chart": region_chart,
        "year_chart": year_chart,
        "map_chart": england_map_chart(),
        "watch": watch,
        "recent": _with_headlines(picture.recent),
    }


def _with_headlines(events):
    return [(event, selectors.headline_judgement(event)) for event in events]


def home(request):
    """The national dashboard."""
    body, _title = _fragment("home", "inspections/_home_body.html", _home_context, request)
    feed_url = personal_feed_url(request, reverse("inspections:feed_latest"))
    return render(request, "inspections/home.html", {"body": body, "feed_url": feed_url})


def _table_key(request):
    """The councils table's cache key part: its known query parameters, normalised."""
    return query_key(request, "inspections:council_list")


def _export_name(filterset):
    """The export's file name says what was filtered: councils-north-west-inadequate."""
    parts = ["councils", *(slugify(str(shown)) for _label, shown in filterset.active_filters)]
    return "-".join(p for p in parts if p)[:120]


def council_list(request):
    """Every active council in one sortable, filterable table; CSV/Excel export for analysts and above.

    The filters, their errors and the table depend only on the query string (and the data), so the
    whole body is cached per query string; bad filter values are shown as errors and ignored.
    """
    export_format = request.GET.get("_export")
    today = timezone.localdate()  # days since the last inspection and the next window change daily

    def filter_and_table():
        vocabulary = cached("filter-vocabulary", selectors.filter_vocabulary, notes=False)
        councils = with_last_inspection(Council.objects.active())
        filterset = CouncilFilter(request.GET or None, queryset=councils, vocabulary=vocabulary)
        found = selectors.council_table(councils=filterset.qs)
        table = CouncilsTable(
            found.rows, themes=found.themes, caption="Councils and their latest judgements", today=today
        )
        per_page = request.GET.get("per_page", "")
        paginate = {"per_page": int(per_page)} if per_page.isdigit() and int(per_page) > 0 else False
        RequestConfig(request, paginate=paginate).configure(table)
        return filterset, table

    if export_format is not None:
        if not request.user.has_perm(EXPORT):
            raise PermissionDenied("Exports are for analysts, editors and admins.")
        if export_format not in EXPORT_FORMATS:
            return HttpResponseBadRequest("Choose an export format: csv or xlsx.")
        filterset, table = filter_and_table()
        filename = f"{_export_name(filterset)}-{timezone.localdate():%Y-%m-%d}.{export_format}"
        return exports.table_response(table, export_format, filename=filename, title="Councils")

    def build():
        filterset, table = filter_and_table()
        errors = error_summary(filterset.form) if filterset.is_bound else []
        return {
            "filter": filterset,
            "errors": errors,
            "table": table,
            "row_count": len(table.rows),
            "export_query": _table_key(request),
            "title": "Error: Councils" if errors else "Councils",
        }

    body, title = _fragment(
        "councils", "inspections/_council_list_body.html", build, request, _table_key(request), today
    )
    return render(request, "inspections/council_list.html", {"body": body, "title": title})


def council_detail(request, slug):
    """A council's whole journey: timeline, trajectory, judgements grid, recommendations, comparison."""

    today = timezone.localdate()  # the timing (days since the last inspection) changes daily

    def build():
        page = selectors.council_page(slug=slug)
        return {
            "page": page,
            "council": page.council,
            "trajectory": _trajectory(page),
            "timing": timing_from_timeline(page.council, page.timeline, today=today),
            "title": page.council.name,
        }

    try:
        body, title = _fragment("council", "inspections/_council_body.html", build, request, slug, today, notes=True)
    except Council.DoesNotExist:
        raise Http404("No council has that address.") from None
    feed_url = personal_feed_url(request, reverse("inspections:council_feed", args=[slug]))
    context = {"body": body, "title": title, "slug": slug, "feed_url": feed_url}
    return render(request, "inspections/council_detail.html", context)


def _trajectory(page):
    styles, scale = cached("grade-vocabulary", selectors.grade_vocabulary, notes=False)
    # Dated by publication, as Ofsted lists reports; the start date only where none is recorded.
    points = [
        (
            e.chart_date,
            _headline_key(e),
            e.display_title if e.published_date else f"{e.display_title} (inspection start: publication not recorded)",
        )
        for e in page.graded
    ]
    return charts.trajectory(
        points,
        [*styles, states.NOT_JUDGED.style],
        f"Overall effectiveness at each graded inspection, by date of publication, {page.council.name}",
        scale,
        date_label="Published",
    )


def _headline_key(event):
    headline = selectors.headline_judgement(event)
    return headline.grade.key if headline else None


def region_detail(request, slug):
    """A region's councils, their grade mix and its trend."""
    region = get_object_or_404(Region, slug=slug)

    def build():
        picture = selectors.national_picture(region=region)
        region_chart, year_chart = _picture_charts(picture, place=region.name)
        theme_grades, theme_rows = _theme_table(picture)
        return {
            "region": region,
            "picture": picture,
            "headline": _headline_summary(picture),
            "theme_grades": theme_grades,
            "theme_rows": theme_rows,
            "region_chart": region_chart,
            "year_chart": year_chart,
            "map_chart": england_map_chart(region=region),
            "recent": _with_headlines(picture.recent),
        }

    body, _title = _fragment("region", "inspections/_region_body.html", build, request, slug)
    return render(request, "inspections/region_detail.html", {"region": region, "body": body})


def event_detail(request, pk):
    event = get_object_or_404(Event.objects.with_details(), pk=pk)
    return render(request, "inspections/event_detail.html", {"event": event, "council": event.council})


def event_report_file(request, pk):
    """The report attached to an event, to signed-in users only (media is not served publicly)."""
    event = get_object_or_404(Event, pk=pk)
    if not event.report_file:
        raise Http404("No report file is attached to this event.")
    try:
        handle = event.report_file.open("rb")
    except FileNotFoundError:
        raise Http404("The report file is missing from storage.") from None
    return FileResponse(handle, content_type="application/pdf", filename=event.report_file.name.rsplit("/", 1)[-1])


# ---------------------------------------------------------------- the data behind each chart, as CSV

PICTURE_CHARTS = ("by-region", "by-year")


def _chart_csv(chart, filename):
    """A chart's table (charts.Table) as a CSV download, the same figures the page's table shows."""
    # Council names come from the database: cells are neutralised as in every export.
    response = HttpResponse(
        exports.write_csv([chart.table.headers, *chart.table.rows]), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def _picture_chart(chart, *, region=None):
    if chart not in PICTURE_CHARTS:
        raise Http404("There is no such chart.")
    picture = selectors.national_picture(region=region)
    region_chart, year_chart = _picture_charts(picture, place=region.name if region else "England")
    return region_chart if chart == "by-region" else year_chart


@permission_required(EXPORT)
def chart_csv(request, chart):
    """The data of a chart on the national picture, as CSV (analysts and up, like other exports)."""
    return _chart_csv(_picture_chart(chart), f"england-{chart}")


@permission_required(EXPORT)
def region_chart_csv(request, slug, chart):
    region = get_object_or_404(Region, slug=slug)
    return _chart_csv(_picture_chart(chart, region=region), f"{region.slug}-{chart}")


@permission_required(EXPORT)
def council_chart_csv(request, slug, chart):
    if chart != "trajectory":
        raise Http404("There is no such chart.")
    try:
        page = selectors.council_page(slug=slug)
    except Council.DoesNotExist:
        raise Http404("No council has that address.") from None
    return _chart_csv(_trajectory(page), f"{slug}-overall-effectiveness")
