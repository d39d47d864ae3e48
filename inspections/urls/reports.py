"""URLs for uploading reports and entering or correcting results (editors only)."""

from django.urls import path

from ..views import entry, reports

urlpatterns = [
    path("reports/upload/", reports.report_upload, name="report_upload"),
    path("reports/upload/<uuid:token>/", reports.report_confirm, name="report_confirm"),
    path("inspections/new/", entry.event_new, name="event_new"),
    path("inspections/new/details/", entry.event_new_details, name="event_new_details"),
    path("events/<int:pk>/edit/", entry.event_edit, name="event_edit"),
]
