"""App configuration for the inspections app."""

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Inspections"

    def ready(self):
        from . import auth, signals  # noqa: F401  (connect cache invalidation for data and for auth)
