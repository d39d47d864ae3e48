"""App configuration for the maps app (the England map; it owns no tables)."""

from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "maps"
    verbose_name = "Maps"

    def ready(self):
        from inspections import cache

        from .forms import MapForm

        cache.keep_whole_page("maps:map", scopes=[cache.NATIONAL], parameters=MapForm.base_fields)
