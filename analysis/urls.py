"""URLs of the analysts' tools. Each download has its own address (no parameters), e.g.
/downloads/inspections.csv, so a link to it can be bookmarked or fetched by a script."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .feeds import ChangesFeed
from .selectors import DOWNLOADS

app_name = "analysis"

urlpatterns = [
    path("analysis/", views.index, name="index"),
    path("downloads/", views.downloads, name="downloads"),
    path("changes/", views.changes, name="changes"),
    path("changes/changes.csv", views.changes_csv, name="changes_csv"),
    # The feed checks a session or a personal feed address itself (feed readers cannot sign in).
    path("changes/feed/", login_not_required(ChangesFeed()), name="changes_feed"),
    path("timing/", views.timing, name="timing"),
    path("visits/themes/", views.visit_themes, name="visit_themes"),
    path("compare/", views.compare, name="compare"),
    *[
        path(f"downloads/{name}.{fmt}", views.download, {"name": name, "fmt": fmt}, name=f"download_{name}_{fmt}")
        for name in DOWNLOADS
        for fmt in views.FORMATS
    ],
]
