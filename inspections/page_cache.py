"""Whole-page cache per signed-in session, shared by every worker and dropped on any data change.

The busiest pages (national picture, councils table, council and region pages, the map) are the
same for a session until the data changes, so a repeat visit is answered from the shared cache
before the rest of the middleware runs. The key holds the data version and the auth version (an
edit, a new role, a password change or a deactivation is seen at once), the session and its CSRF
cookie (the page carries that session's CSRF token) and the full path; a hit needs the session to
be alive in the shared session cache (signing out ends it). The CSP nonce is never reused: pages
are stored with a placeholder and every response gets a fresh nonce and its own policy header.
"""

import hashlib
import time
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.csp import CSP, build_policy, generate_nonce

from . import auth
from .cache import VERSION_KEY
from .views.errors import unavailable

CACHEABLE_VIEWS = {
    "inspections:home",
    "inspections:council_list",
    "inspections:council_detail",
    "inspections:region_detail",
    "inspections:event_detail",
    "maps:map",
}
NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"
TIMEOUT = 60 * 5
CHECK_EVERY = 0.5  # seconds between database health checks per worker thread
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


class SessionPageCacheMiddleware:
    """Goes straight after SecurityMiddleware and WhiteNoise. Also answers the 503 page for every
    request while the database is unreachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _database_answers():
            return unavailable(request)
        key = self._key(request)
        if key is not None:
            hit = cache.get(key)
            if hit is not None:
                return self._from_cache(*hit)
        response = self.get_response(request)
        if key is not None and self._storable(request, response):
            body = response.content
            nonce = getattr(request, "_csp_nonce", None)
            if nonce:  # evaluated, so it appears in the page
                body = body.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
            cache.set(key, (response["Content-Type"], body), TIMEOUT)
        return response

    @staticmethod
    def _key(request):
        """The cache key for this request, or None when it must not be answered from the cache."""
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if request.method != "GET" or not session_key or "_export" in request.GET or "messages" in request.COOKIES:
            return None
        try:
            request.get_host()
        except DisallowedHost:
            return None
        session_cache_key = SessionStore(session_key).cache_key
        found = cache.get_many([VERSION_KEY, auth.VERSION_KEY, session_cache_key])
        if len(found) < 3:
            return None  # no live session in the shared cache (signed out, expired) or versions unset
        parts = [
            str(found[VERSION_KEY]),
            str(found[auth.VERSION_KEY]),
            session_key,
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
            request.get_full_path(),
        ]
        return "pagecache:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @staticmethod
    def _from_cache(content_type, body):
        nonce = generate_nonce()
        response = HttpResponse(body.replace(NONCE_PLACEHOLDER, nonce.encode()), content_type=content_type)
        # str(): the header name is an enum member, and wsgiref (runserver) refuses any name whose
        # type is not exactly str.
        response[str(CSP.HEADER_ENFORCE)] = build_policy(settings.SECURE_CSP, nonce)
        response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        response["Vary"] = "Cookie"
        return response

    @staticmethod
    def _storable(request, response):
        match = request.resolver_match
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and _only_renews_csrf_cookie(request, response)
            and match is not None
            and match.view_name in CACHEABLE_VIEWS
            and request.user.is_authenticated
            and session is not None
            and session.session_key == request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and not session.get("_messages")
            and b"govuk-notification-banner" not in response.content
        )


def _only_renews_csrf_cookie(request, response):
    """True when the response sets no cookie but the CSRF cookie the request already had (Django
    re-sends it on every page with a form, to renew its expiry); a new cookie means a new key."""
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    return all(name == settings.CSRF_COOKIE_NAME and morsel.value == csrf for name, morsel in response.cookies.items())


def _database_answers():
    """Whether the database answers: Django's own per-request connection health check, made here
    because a page from the cache (or a view drawing from cached parts, with the session and user
    cached too) might otherwise never ask it. A dead connection is replaced; a stopped database
    means the 503 page, so nobody edits or trusts a page the database can no longer back. At most
    one check per worker thread every CHECK_EVERY seconds, so busy pages pay for it rarely."""
    from django.db import DatabaseError, connection

    now = time.monotonic()
    if connection.connection is not None and now - getattr(connection, "_tracker_checked_at", 0) < CHECK_EVERY:
        return True  # this worker thread saw the database answer a moment ago
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError:
        return False
    connection._tracker_checked_at = now
    return True
