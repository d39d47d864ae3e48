"""URLs of the inspections app, gathered from one module per part of the service."""

from . import editing, health, pages, reports

app_name = "inspections"

urlpatterns = [
    *health.urlpatterns,
    *editing.urlpatterns,
    *reports.urlpatterns,
    *pages.urlpatterns,
]
