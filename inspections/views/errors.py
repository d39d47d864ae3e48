"""Friendly error pages in the service's style: 403, 404, 500, and 503 while the database is down.

The 500 and 503 pages are drawn without context processors (they would ask the database who is
signed in), so they render even when the database is what failed.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

# Errors that mean "the database cannot be reached right now", not a bug in a query.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc):
    return isinstance(exc, UNAVAILABLE_ERRORS)


def _standalone(request, template, status):
    context = {"service_name": settings.SERVICE_NAME, "csp_nonce": get_nonce(request) if request else None}
    return HttpResponse(render_to_string(template, context), status=status)


def unavailable(request):
    """503 "service unavailable", for the load balancer and the user, with a Retry-After hint."""
    response = _standalone(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: a database outage anywhere (even in middleware) is a 503, anything else a 500."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    return _standalone(request, template_name, 500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a forged, expired or replayed-from-elsewhere form changes nothing."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)


def too_large(request):
    """413 for a request body over the upload limit; nothing in it was read or saved."""
    limit_mb = settings.REPORT_UPLOAD_MAX_BYTES / (1024 * 1024)
    context = {"service_name": settings.SERVICE_NAME, "csp_nonce": get_nonce(request), "limit_mb": f"{limit_mb:g}"}
    return HttpResponse(render_to_string("413.html", context), status=413)
