"""App configuration for the inspections app."""

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Inspections"

    def ready(self):
        from . import cache, signals  # noqa: F401  (connect cache invalidation for data)

        cache.connect_signals()  # and for users, groups and permissions
        from .filters import CouncilFilter

        # The busiest pages, answered whole on a repeat visit (see cache.py, part 5).
        for name in ("home", "region_detail"):
            cache.keep_whole_page(f"inspections:{name}", scopes=[cache.NATIONAL])
        cache.keep_whole_page(
            "inspections:council_list",
            scopes=[cache.NATIONAL],
            parameters={*CouncilFilter.base_filters, "sort", "page", "per_page"},
        )
        for name in ("council_detail", "event_detail"):
            cache.keep_whole_page(f"inspections:{name}", scopes=[cache.NATIONAL, cache.NOTES])
