"""The full-size map of England: read the choice of theme, place and date; draw; render."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from inspections.cache import data_version
from inspections.models import Region

from .drawing import england_map_chart, grade_css_text
from .forms import MapForm
from .selectors import map_themes


@dataclass
class MapPage:
    """What /map/ shows: the form and one map, or two side by side (a date beside today)."""

    form: MapForm
    maps: list  # [MapChart]
    region: Region | None = None


def map_page(params):
    """Validate the /map/ query (`params`: request.GET) and draw its maps; 2 + 3 per uncached map.

    Returns MapPage; on bad input `form.errors` is set and `maps` is empty (nothing is drawn).
    """
    themes = map_themes()
    regions = list(Region.objects.order_by("name"))
    form = MapForm(params, themes=themes, regions=regions)
    if not form.is_valid():
        return MapPage(form=form, maps=[])
    data = form.cleaned_data
    today = timezone.localdate()
    as_at = data["as_at"] or today
    region = data["region"]
    maps = [england_map_chart(theme=data["theme"], as_at=as_at, region=region, themes=themes)]
    if data["compare"] and as_at != today:
        maps.append(england_map_chart(theme=data["theme"], as_at=today, region=region, themes=themes))
    return MapPage(form=form, maps=maps, region=region)


def england_map(request):
    """/map/: the map for the chosen theme, region and date (and today's beside it).

    Bad input (an unknown theme or region, a date that is not real or is in the future) gets an
    error summary, the form as typed and status 400; nothing is drawn.
    """
    page = map_page(request.GET)
    status = 400 if page.form.errors else 200
    return render(request, "maps/map.html", {"page": page, "form": page.form}, status=status)


@login_not_required  # colours, not data: the sign-in page shares the layout that links it
def grade_stylesheet(request):
    """/grades.css: each grade tag's colour from its Grade row, so the data is the only place it is set.

    Linked with ``?v=<data version>`` (``{% grade_stylesheet %}``), so a browser may keep that
    address for a year: a changed colour changes the version and so the address.
    """
    response = HttpResponse(grade_css_text(), content_type="text/css; charset=utf-8")
    if request.GET.get("v") == data_version():
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response
