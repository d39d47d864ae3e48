from django.urls import path

from ..views import maps

urlpatterns = [
    path("map/", maps.england_map, name="map"),
]
