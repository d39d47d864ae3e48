"""The JSON API for scripts: councils, the downloads as JSON, and its OpenAPI description.

Its own app because it reads two: the councils' endpoints come from `inspections`, the downloads'
rows and columns from `analysis`; `inspections` must not depend on `analysis`.
"""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"
