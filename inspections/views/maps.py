"""The full-size map of England: read the choice of judgement, place and date; draw; render."""

from django.shortcuts import render

from .. import maps


def england_map(request):
    """/map/: the map for the chosen judgement, region and date (and today's beside it).

    Bad input (an unknown judgement or region, a date that is not real or is in the future) gets
    an error summary, the form as typed and status 400; nothing is drawn.
    """
    page = maps.map_page(request.GET)
    status = 400 if page.form.errors else 200
    return render(request, "inspections/map.html", {"page": page, "form": page.form}, status=status)
