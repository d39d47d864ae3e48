"""Briefing addresses: the builder and the council, region and national PDFs."""

from django.urls import path

from . import comparison, views

app_name = "briefings"

urlpatterns = [
    path("briefings/", views.builder, name="builder"),
    path("briefing.pdf", views.national_pdf, name="national_pdf"),
    path("councils/<slug:slug>/briefing.pdf", views.council_pdf, name="council_pdf"),
    path("regions/<slug:slug>/briefing.pdf", views.region_pdf, name="region_pdf"),
    path("compare/briefing.pdf", comparison.comparison_pdf, name="comparison_pdf"),
]
