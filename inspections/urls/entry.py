"""URLs for entering or correcting results (editors only); uploading reports is the intake app's."""

from django.urls import path

from ..views import entry

urlpatterns = [
    path("inspections/new/", entry.event_new, name="event_new"),
    path("inspections/new/details/", entry.event_new_details, name="event_new_details"),
    path("events/<int:pk>/edit/", entry.event_edit, name="event_edit"),
]
