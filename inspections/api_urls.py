"""URLs of the read-only JSON API."""

from django.urls import path

from . import api

app_name = "api"

urlpatterns = [
    path("councils/", api.council_list, name="council_list"),
    path("councils/<int:urn>/", api.council_detail, name="council_detail"),
]
