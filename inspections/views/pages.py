"""The pages everyone reads: national picture, councils, regions, events. Read, select, render."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .. import selectors
from ..models import Council, Event, Region


def home(request):
    councils = Council.objects.active().with_region()
    latest = selectors.latest_graded_inspections(councils=Council.objects.active())
    rows = [(council, latest.get(council.pk)) for council in councils]
    return render(request, "inspections/home.html", {"rows": rows})


def council_detail(request, slug):
    try:
        council = selectors.council_with_relations(slug=slug)
    except Council.DoesNotExist:
        raise Http404("No council has that address.") from None
    timeline = selectors.council_timeline(council=council)
    return render(request, "inspections/council_detail.html", {"council": council, "timeline": timeline})


def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    councils = Council.objects.active().filter(region=region).with_region()
    latest = selectors.latest_graded_inspections(councils=councils)
    rows = [(council, latest.get(council.pk)) for council in councils]
    return render(request, "inspections/region_detail.html", {"region": region, "rows": rows})


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
