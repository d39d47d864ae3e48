"""Friendly error pages in the service's style: 403, 404, 500, and 503 while the database is down.

The 500 and 503 pages are drawn without context processors (they would ask the database who is
signed in), so they render even when the database is what failed.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.csp import CSP, build_policy, generate_nonce
from django.views.decorators.csrf import requires_csrf_token

# Errors that mean "the database cannot be reached right now", not a bug in a query.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc):
    return isinstance(exc, UNAVAILABLE_ERRORS)


def _nonce(request):
    """The request's CSP nonce, or a new one when the CSP middleware has not run (an early answer)."""
    nonce = getattr(request, "_csp_nonce", None) if request is not None else None
    if nonce is None:
        nonce = generate_nonce()
        if request is not None:
            request._csp_nonce = nonce
    return str(nonce)


def with_security_headers(response, request):
    """The CSP and framing headers, for answers given before (outside) the middleware that adds
    them: the 503 while the database is down, the API's 401, the 429s."""
    if str(CSP.HEADER_ENFORCE) not in response:
        response[str(CSP.HEADER_ENFORCE)] = build_policy(settings.SECURE_CSP, _nonce(request))
    response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    response.setdefault("X-Content-Type-Options", "nosniff")
    return response


def _standalone(request, template, status, **extra):
    context = {"service_name": settings.SERVICE_NAME, "csp_nonce": _nonce(request), **extra}
    return with_security_headers(HttpResponse(render_to_string(template, context), status=status), request)


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
    return _standalone(request, "413.html", 413, limit_mb=f"{limit_mb:g}")


def too_many_requests(request, *, retry_after, reason):
    """429 "slow down": `reason` is "sign_in" (too many sign-in attempts from one place, or the
    server is busy checking passwords) or "renders" (too many pages drawn afresh in a minute)."""
    response = _standalone(request, "429.html", 429, reason=reason, retry_after=retry_after)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
