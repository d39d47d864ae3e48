"""The downloads as JSON, a page at a time, and the API's OpenAPI description.

Sign-in is the API's (inspections/api_auth.py: a session, a personal token or HTTP Basic); any
signed-in role may read. Wrong parameters answer 400 with a sentence naming each one, never a 500
and never silently ignored.
"""

from django.core.paginator import EmptyPage
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from analysis.columns import link_for_request, values
from analysis.exports import SOURCE

from .forms import ListingQueryForm
from .listings import LISTINGS


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _bad_request(errors):
    """400 with {"error": one sentence naming every wrong parameter, "errors": {parameter: sentence}}."""
    return _json({"error": " ".join(f"{name}: {message}." for name, message in errors.items()), "errors": errors}, 400)


def _parameter_errors(request, listing):
    """{parameter: sentence} for parameters this list does not take or that were given twice."""
    errors = {}
    for name in request.GET:
        if name not in listing.parameters:
            errors[name] = f"this list takes no such parameter; it takes {', '.join(listing.parameters)}"
        elif len(request.GET.getlist(name)) > 1:
            errors[name] = "give it once"
    return errors


def _page_link(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@require_GET
def listing(request, name):
    """GET /api/<name>/: one page of a download's rows as objects keyed by its column names, with
    the count, links to the next and previous pages, the "as at" date and the source. A fixed
    number of queries whatever the data size."""
    found = LISTINGS[name]
    errors = _parameter_errors(request, found)
    form = ListingQueryForm(request.GET)
    if not form.is_valid():
        for field, messages in form.errors.items():
            errors.setdefault(field, " ".join(messages))  # "no such parameter" says more
    if errors:
        return _bad_request(errors)
    data = form.cleaned_data
    filters = {key: data.get(key) for key in ("region", "framework", "since", "council") if key in found.parameters}
    paginator = found.paginator(filters, data["page_size"])
    try:
        page = paginator.page(data["page"])
    except EmptyPage:
        return _bad_request({"page": f"there are {paginator.num_pages} pages of results"})
    columns, items_for = found.prepare()
    link_for = link_for_request(request)
    results = [
        {
            column.name: _json_value(value)
            for column, value in zip(columns, values(columns, item, link_for), strict=True)
        }
        for item in items_for(list(page.object_list))
    ]
    return _json(
        {
            "count": paginator.count,
            "next": _page_link(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_link(request, page.previous_page_number()) if page.has_previous() else None,
            "as_at": timezone.localdate().isoformat(),
            "source": SOURCE,
            "results": results,
        }
    )


@require_GET
def schema(request):
    """GET /api/schema/: the OpenAPI 3.1 description of every endpoint, built from the same column
    and parameter definitions the endpoints use."""
    from .schema import openapi

    return _json(openapi(server=request.build_absolute_uri("/")))
