"""URLs of the read-only JSON API (sign-in: inspections/api_auth.py)."""

from django.urls import path

from inspections import api as councils

from . import views

app_name = "api"

urlpatterns = [
    path("councils/", councils.council_list, name="council_list"),
    path("councils/<int:urn>/", councils.council_detail, name="council_detail"),
    *[path(f"{name}/", views.listing, {"name": name}, name=name) for name in views.LISTINGS],
    path("schema/", views.schema, name="schema"),
]
