"""App configuration for the briefings app (PDF briefings; it owns no tables)."""

from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "briefings"
    verbose_name = "Briefings"
