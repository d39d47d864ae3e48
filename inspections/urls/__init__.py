"""URLs of the inspections app, gathered from one module per part of the service."""

from . import briefings, editing, entry, health, maps, pages

app_name = "inspections"

urlpatterns = [
    *health.urlpatterns,
    *editing.urlpatterns,
    *entry.urlpatterns,
    *briefings.urlpatterns,
    *maps.urlpatterns,
    *pages.urlpatterns,
]
