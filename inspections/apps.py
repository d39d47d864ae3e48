"""App configuration for the inspections app."""

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Inspections"

    def ready(self):
        from . import cache, signals  # noqa: F401  (connect cache invalidation for data)

        cache.connect_signals()  # and for users, groups and permissions
