"""The map's address."""

from django.urls import path

from . import views

app_name = "maps"

urlpatterns = [
    path("map/", views.england_map, name="map"),
]
