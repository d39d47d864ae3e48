"""App configuration for the inspections app."""

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Inspections"

    def ready(self):
        from . import signals  # noqa: F401  (connects cache invalidation)
