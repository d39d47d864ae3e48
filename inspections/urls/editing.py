"""Editors' and admins' pages: history, restoring deletes, recommendation status updates."""

from django.urls import path

from ..views import editing

urlpatterns = [
    path("councils/<slug:slug>/history/", editing.council_history, name="council_history"),
    path("events/<int:pk>/history/", editing.event_history, name="event_history"),
    path("history/deleted/", editing.deleted_records, name="deleted_records"),
    path("history/restore/<slug:kind>/<int:pk>/", editing.record_restore, name="record_restore"),
    path("recommendations/<int:pk>/update/", editing.recommendation_update, name="recommendation_update"),
]
