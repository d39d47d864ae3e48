"""URLs of the inspections app, gathered from one module per part of the service."""

from . import briefings, editing, health, maps, pages, reports

app_name = "inspections"

urlpatterns = [
    *health.urlpatterns,
    *editing.urlpatterns,
    *reports.urlpatterns,
    *briefings.urlpatterns,
    *maps.urlpatterns,
    *pages.urlpatterns,
]
