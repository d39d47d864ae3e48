"""The map's address, and the grade colours' stylesheet (what the map and the grade tags draw with)."""

from django.urls import path

from . import views

app_name = "maps"

urlpatterns = [
    path("map/", views.england_map, name="map"),
    path("grades.css", views.grade_stylesheet, name="grade_css"),
]
