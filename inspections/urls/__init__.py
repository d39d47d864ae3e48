"""URLs of the inspections app, gathered from one module per part of the service."""

from . import editing, entry, health, pages

app_name = "inspections"

urlpatterns = [
    *health.urlpatterns,
    *editing.urlpatterns,
    *entry.urlpatterns,
    *pages.urlpatterns,
]
