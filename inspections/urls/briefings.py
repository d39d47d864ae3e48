"""Briefing addresses: the builder and the council, region and national PDFs."""

from django.urls import path

from ..views import briefings

urlpatterns = [
    path("briefings/", briefings.builder, name="briefing_builder"),
    path("briefing.pdf", briefings.national_pdf, name="national_briefing_pdf"),
    path("councils/<slug:slug>/briefing.pdf", briefings.council_pdf, name="council_briefing_pdf"),
    path("regions/<slug:slug>/briefing.pdf", briefings.region_pdf, name="region_briefing_pdf"),
]
