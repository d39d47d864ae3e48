"""Analysts' pages: downloads of the whole record, what changed since a date."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from inspections.roles import EXPORT, permission_required

from . import exports, selectors

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}
FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel"}


def _link_for(request):
    return lambda event: request.build_absolute_uri(event.get_absolute_url())


def _file_response(sheet, *, name, fmt):
    content_type, render_file = FORMATS[fmt]
    as_at = timezone.localdate()
    response = HttpResponse(render_file(sheet, as_at=as_at), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-as-at-{as_at:%Y-%m-%d}.{fmt}"'
    return response


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
