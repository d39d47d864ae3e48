"""Top-level URLs: sign-in, admin, the API, the intake of reports, briefings, the map and the inspections app."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import SignInView

urlpatterns = [
    # Every password check goes through the throttled sign-in (accounts/throttle.py), the admin's too.
    path("accounts/login/", SignInView.as_view(), name="login"),
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
        name="admin_login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("intake.urls")),
    path("", include("briefings.urls")),
    path("", include("maps.urls")),
    path("", include("analysis.urls")),
    path("", include("inspections.urls")),
]

# Friendly error pages in the service's style; 500 also answers 503 when the database is down.
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "inspections.views.errors.server_error"

if settings.DEBUG:
    from django.views.static import serve

    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
