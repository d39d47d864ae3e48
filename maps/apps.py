"""App configuration for the maps app (the England map; it owns no tables)."""

from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "maps"
    verbose_name = "Maps"
