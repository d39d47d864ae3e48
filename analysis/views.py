"""Analysts' pages: downloads of the whole record, what changed since a date."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from inspections.feeds import personal_feed_url
from inspections.models import Grade
from inspections.roles import EXPORT, permission_required
from inspections.states import NO_INSPECTION

from . import exports, selectors
from .columns import link_for_request as _link_for
from .forms import SinceForm

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}
PER_PAGE = 50  # rows per page of each list on the changes page
FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel"}


def _file_response(sheet, *, name, fmt):
    content_type, render_file = FORMATS[fmt]
    as_at = timezone.localdate()
    response = HttpResponse(render_file(sheet, as_at=as_at), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-as-at-{as_at:%Y-%m-%d}.{fmt}"'
    return response


@require_GET
def index(request):
    """The analysts' tools, one line each (downloads only for those who may export)."""
    return render(request, "analysis/index.html")


@permission_required(EXPORT)
@require_GET
def downloads(request):
    """The list of downloads, each as CSV and Excel."""
    items = [
        {
            "name": name,
            "title": title,
            "description": description,
            "links": [(label, reverse(f"analysis:download_{name}_{fmt}")) for fmt, label in FORMAT_LABELS.items()],
        }
        for name, (title, description, _build) in selectors.DOWNLOADS.items()
    ]
    return render(request, "analysis/downloads.html", {"items": items, "as_at": timezone.localdate()})


@permission_required(EXPORT)
@require_GET
def download(request, name, fmt):
    """One download as a file: every row, stating its "as at" date and source."""
    if name not in selectors.DOWNLOADS or fmt not in FORMATS:
        raise Http404("No such download.")
    _title, _description, build = selectors.DOWNLOADS[name]
    return _file_response(build(link_for=_link_for(request)), name=name, fmt=fmt)


def _since(request):
    form = SinceForm(request.GET or None)
    since = form.since_or_default() if form.is_bound else SinceForm.default()
    errors = list(form.errors.get("since", [])) if form.is_bound else []
    return form, since, errors


@require_GET
def changes(request):
    """What changed since a date (default a month ago); a wrong date is shown as an error and the
    page lists the last month instead."""
    form, since, errors = _since(request)
    until = timezone.localdate()
    found = selectors.changes_since(since=since, until=until)
    context = {
        "changes": found,
        "pages": {
            key: Paginator(items, PER_PAGE).get_page(request.GET.get(f"{key}_page"))
            for key, items in [
                ("published", found.publications),
                ("grades", found.grade_changes),
                ("recommendations", found.status_changes),
            ]
        },
        "page_base": urlencode({"since": since.isoformat()}),
        "since_value": request.GET.get("since", since.isoformat()),
        "errors": errors,
        "error_links": [(error, "since") for error in errors],
        "intervention_sections": [
            ("Entered government intervention", found.entered_intervention, "start"),
            ("Left government intervention", found.left_intervention, "end"),
        ],
        "csv_query": urlencode({"since": since.isoformat()}),
        "feed_url": personal_feed_url(request, reverse("analysis:changes_feed")),
    }
    return render(request, "analysis/changes.html", context, status=400 if errors else 200)


@permission_required(EXPORT)
@require_GET
def changes_csv(request):
    """The same changes as CSV (analysts and above)."""
    _form, since, errors = _since(request)
    if errors:
        return HttpResponseBadRequest(errors[0])
    found = selectors.changes_since(since=since, until=timezone.localdate())
    return _file_response(selectors.changes_sheet(found, link_for=_link_for(request)), name="changes", fmt="csv")


# Columns of the timing table: (sort key, header, how a row sorts). Rows without a value sort last.
TIMING_COLUMNS = [
    ("council", "Council", lambda t: t.council.name),
    ("region", "Region", lambda t: t.council.region.name),
    ("last", "Last inspection", lambda t: t.inspected_on),
    ("days", "Days since", lambda t: t.days_since),
    ("publish", "Days to publish", lambda t: t.days_to_publish),
    ("grade", "Grade that decides", lambda t: t.grade.rank if t.grade else None),
    ("due", "Next inspection due", lambda t: t.window_opens),
]


def _sorted_timings(timings, sort):
    key = sort.lstrip("-")
    column = next((c for c in TIMING_COLUMNS if c[0] == key), TIMING_COLUMNS[-1])
    value = column[2]
    present = [t for t in timings if value(t) is not None]
    missing = [t for t in timings if value(t) is None]
    return sorted(present, key=value, reverse=sort.startswith("-")) + missing, column[0]


@require_GET
def timing(request):
    """Every active council: days since its last inspection, days its report took, and the window in
    which the next ILACS inspection is due; sortable by any column, filterable to those due soon."""
    from .timing import HORIZONS, council_timings, due_counts, intervals

    today = timezone.localdate()
    labels = dict(Grade.objects.values_list("key", "label"))
    timings = council_timings(today=today)
    due = request.GET.get("due", "")
    horizon = int(due) if due.isdigit() and int(due) in HORIZONS else None
    shown = [t for t in timings if t.due_within(horizon)] if horizon else timings
    sort = request.GET.get("sort", "due")
    shown, sorted_by = _sorted_timings(shown, sort)
    descending = sort.startswith("-") and sort.lstrip("-") == sorted_by
    headers = [
        {
            "label": label,
            "sorted": key == sorted_by,
            "descending": key == sorted_by and descending,
            "href": "?"
            + urlencode(
                {
                    **({"due": horizon} if horizon else {}),
                    "sort": f"-{key}" if key == sorted_by and not descending else key,
                }
            ),
        }
        for key, label, _value in TIMING_COLUMNS
    ]
    context = {
        "timings": shown,
        "headers": headers,
        "counts": due_counts(timings),
        "past": sum(1 for t in timings if t.status == "past"),
        "horizon": horizon,
        "today": today,
        "intervals": [(labels.get(i.grade, i.grade), i) for i in intervals().values()],
        "no_inspection": NO_INSPECTION.label,
        "sort": sort,
    }
    return render(request, "analysis/timing.html", context)


@require_GET
def visit_themes(request):
    """Visits by year and theme (kind, or a focused visit's focus), nationally or in a region, and by region;
    the matching visits listed
    with their focus and links. Unknown filter values are named in an error and ignored."""
    from inspections.models import Region

    from .visits import theme_choices
    from .visits import visit_themes as build

    errors = []
    region = None
    if request.GET.get("region"):
        region = Region.objects.filter(slug=request.GET["region"]).first()
        if region is None:
            errors.append(("There is no such region: choose one from the list", "region"))
    kind = request.GET.get("kind") or None
    if kind and kind not in dict(theme_choices()):
        errors.append(("Choose a kind or focus of visit from the list", "kind"))
        kind = None
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    if year_text and year is None:
        errors.append(("Enter the year as four digits, for example 2024", "year"))
    found = build(region=region, kind=kind, year=year)
    filters = {
        k: v for k, v in (("region", region.slug if region else ""), ("kind", kind or ""), ("year", year or "")) if v
    }
    context = {
        "found": found,
        "region": region,
        "kind": kind,
        "kind_label": dict(found.kinds).get(kind, ""),
        "year": year,
        "year_text": year_text,
        "regions": [r for r, _counts, _total in found.regions],
        "errors": errors,
        "page": Paginator(found.visits, PER_PAGE).get_page(request.GET.get("page")),
        "page_base": urlencode(filters),
        "base_without_region": urlencode({k: v for k, v in filters.items() if k != "region"}),
    }
    return render(request, "analysis/visit_themes.html", context, status=400 if errors else 200)


@require_GET
def compare(request):
    """2 to 10 councils side by side, theme by theme, over time, with ranks and England's and the
    region's grades each year. `?council=<slug>` starts from that council and its statistical
    neighbours (or, with `group=region`, its region); `?councils=a,b,c` is the shareable link."""
    from inspections.models import Council

    from .compare import RANK_RULE, comparison_from_query, comparison_sheet

    context, errors = comparison_from_query(request.GET, today=timezone.localdate())
    if request.GET.get("format") == "csv":
        if not request.user.has_perm(EXPORT):
            raise PermissionDenied("Exports are for analysts, editors and admins.")
        if errors or context["found"] is None:
            return HttpResponseBadRequest(errors[0][0] if errors else "Choose at least two councils to compare.")
        sheet = comparison_sheet(context["found"], link_for=_link_for(request))
        return _file_response(sheet, name="comparison", fmt="csv")
    context["all_councils"] = Council.objects.active().only("slug", "name").order_by("name")
    context["rank_rule"] = RANK_RULE
    return render(request, "analysis/compare.html", context, status=400 if errors else 200)
