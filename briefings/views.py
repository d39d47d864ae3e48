"""Briefings: the builder page (choose, preview) and the council, region and national PDFs. Analysts and above."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from inspections import selectors
from inspections.models import Council, Region
from inspections.roles import EXPORT, permission_required

from .area import area_briefing
from .council import council_briefing
from .forms import BriefingBuilderForm, BriefingOptionsForm
from .printing import area_briefing_pdf, council_briefing_pdf, render_html


def _pdf_response(title, filename, pdf):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _bad_options(request, form, back):
    """The options in the address are wrong: say which and change nothing (400)."""
    context = {"errors": form.error_text(), "kind": form.kind, "back": back}
    return render(request, "briefings/bad_request.html", context, status=400)


@permission_required(EXPORT)
def council_pdf(request, slug):
    form = BriefingOptionsForm(request.GET, kind="council")
    if not form.is_valid():
        return _bad_options(request, form, reverse("briefings:builder") + f"?scope=council&council={slug}")
    try:
        return _pdf_response(*council_briefing_pdf(slug=slug, options=form.options()))
    except Council.DoesNotExist:
        raise Http404("No council has that address.") from None


@permission_required(EXPORT)
def region_pdf(request, slug):
    region = get_object_or_404(Region, slug=slug)
    form = BriefingOptionsForm(request.GET, kind="region")
    if not form.is_valid():
        return _bad_options(request, form, reverse("briefings:builder") + f"?scope=region&region={slug}")
    return _pdf_response(*area_briefing_pdf(region=region, options=form.options()))


@permission_required(EXPORT)
def national_pdf(request):
    form = BriefingOptionsForm(request.GET, kind="national")
    if not form.is_valid():
        return _bad_options(request, form, reverse("briefings:builder") + "?scope=national")
    return _pdf_response(*area_briefing_pdf(region=None, options=form.options()))


@permission_required(EXPORT)
def builder(request):
    """Choose England, a region or a council, the sections and the period; preview as HTML; download the PDF.

    A link with only the scope and its place (``?scope=region&region=north-west``) means every
    section, as the PDF address does; the form itself says when the user unticked them all.
    """
    councils, regions = selectors.briefing_choices()
    submitted = "scope" in request.GET
    form = BriefingBuilderForm(request.GET if submitted else None, councils=councils, regions=regions)
    context = {"form": form, "preview": None}
    if submitted and form.is_valid():
        target, options = form.target, form.options()
        if form.kind == "council":
            briefing = council_briefing(slug=target.slug, options=options)
            pdf_url = reverse("briefings:council_pdf", args=[target.slug])
        elif form.kind == "region":
            briefing = area_briefing(region=target, options=options)
            pdf_url = reverse("briefings:region_pdf", args=[target.slug])
        else:
            briefing = area_briefing(region=None, options=options)
            pdf_url = reverse("briefings:national_pdf")
        context.update(
            preview=render_html(briefing, document=False),
            briefing=briefing,
            pdf_url=f"{pdf_url}?{form.pdf_query()}",
        )
    return render(request, "briefings/builder.html", context, status=200 if not submitted or form.is_valid() else 400)
