from django.urls import path

from ..views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("councils/<slug:slug>/", pages.council_detail, name="council_detail"),
    path("regions/<slug:slug>/", pages.region_detail, name="region_detail"),
    path("events/<int:pk>/", pages.event_detail, name="event_detail"),
    path("events/<int:pk>/report/", pages.event_report_file, name="event_report_file"),
]
