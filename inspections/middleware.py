"""Answer a friendly 503 (not a 500, not a hang) when the database is unreachable or stopped."""

import logging

from . import probes
from .cache import RenderLimitExceeded
from .views.errors import database_unavailable, too_many_requests, unavailable

logger = logging.getLogger("inspections.database")


class DatabaseGateMiddleware:
    """Goes before anything that may read the database or a cached page: while the database does
    not answer (probes.database_answers: a probe with a deadline, at most one per second per
    process), every request gets the 503 page at once instead of waiting on a stopped server, and
    nobody is shown a cached page the database can no longer back. /healthz answers for itself."""

    EXEMPT = ("/healthz",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in self.EXEMPT and not probes.database_answers():
            return unavailable(request)
        return self.get_response(request)


class RoleRequiredMiddleware:
    """A signed-in account with no role reads nothing: every page answers 403, saying why (an
    account someone created but nobody gave a role must not see the service). Signing out, the
    sign-in page and the health check stay open. Goes after LoginRequiredMiddleware."""

    OPEN_URL_NAMES = {"login", "logout", "inspections:healthz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .roles import role_of

        user = request.user
        if not user.is_authenticated or role_of(user) is not None:
            return None
        match = request.resolver_match
        if match is None or match.view_name in self.OPEN_URL_NAMES or match.app_name == "admin":
            return None  # the Django admin sends anyone not staff to its own sign-in
        if match.app_name == "api":
            from django.http import JsonResponse

            return JsonResponse({"error": "Your account has no role yet: ask an administrator for one."}, status=403)
        from django.shortcuts import render

        return render(request, "403.html", {"no_role": True}, status=403)


class DatabaseUnavailableMiddleware:
    """Turns OperationalError/InterfaceError raised by a view into the 503 page (and a spent render
    budget, inspections.cache.RenderLimitExceeded, into the 429 page).

    Nothing is half-saved: writes run in transactions, which the database rolls back when the
    connection drops. Django drops the broken connection at the end of the request and the next
    request reconnects (CONN_HEALTH_CHECKS), so the service recovers by itself. Errors raised
    before the view (e.g. loading the session) reach handler500, which answers the same 503.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RenderLimitExceeded):
            return too_many_requests(request, retry_after=exception.retry_after, reason="renders")
        if database_unavailable(exception):
            logger.error("Database unavailable during %s %s: %s", request.method, request.path, exception)
            return unavailable(request)
        return None


class UploadSizeLimitMiddleware:
    """Refuse (413) any request whose body is larger than a report upload may be, before Django
    reads it: an oversized upload never reaches the disk. Forms still check each file's own size."""

    # Room for the form's other fields and the multipart boundaries around the file.
    OVERHEAD_BYTES = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REPORT_UPLOAD_MAX_BYTES + self.OVERHEAD_BYTES:
            from .views.errors import too_large

            return too_large(request)
        return self.get_response(request)
