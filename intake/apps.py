"""The intake of reports: uploads, the report import command and the daily sync with Ofsted's site."""

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake of reports"
