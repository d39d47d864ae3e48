from django.contrib.auth.decorators import login_not_required
from django.urls import path

from ..feeds import PublishedResultsFeed
from ..views import pages

# Feeds check a session or a personal feed token themselves (feed readers cannot sign in).
feed = login_not_required(PublishedResultsFeed())

urlpatterns = [
    path("", pages.home, name="home"),
    path("councils/", pages.council_list, name="council_list"),
    path("councils/<slug:slug>/", pages.council_detail, name="council_detail"),
    path("councils/<slug:slug>/feed/", feed, name="council_feed"),
    path("regions/<slug:slug>/", pages.region_detail, name="region_detail"),
    path("events/<int:pk>/", pages.event_detail, name="event_detail"),
    path("events/<int:pk>/report/", pages.event_report_file, name="event_report_file"),
    path("feeds/latest/", feed, name="feed_latest"),
    path("charts/<slug:chart>.csv", pages.chart_csv, name="chart_csv"),
    path("regions/<slug:slug>/charts/<slug:chart>.csv", pages.region_chart_csv, name="region_chart_csv"),
    path("councils/<slug:slug>/charts/<slug:chart>.csv", pages.council_chart_csv, name="council_chart_csv"),
]
