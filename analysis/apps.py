"""The analysts' tools: downloads of the whole record, what changed, timing and themes of visits."""

from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analysis"
    verbose_name = "Analysis"
