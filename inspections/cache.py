"""Caching, all of it: what is kept in the shared cache, under which key, and what makes it stale.

The scheme, in four parts (Redis with REDIS_URL, else local memory):

1. **Data versions.** Cached output is keyed by the version of the data it was drawn from, so
   nothing stale is ever shown and nothing needs deleting. There are two scopes:
   - NATIONAL: councils, neighbours, events, judgements, frameworks and grades, which is
     everything the dashboard, the councils table, the map, region pages and area briefings show;
   - NOTES: recommendations and their status updates, shown only on council and event pages,
     council briefings and the API.
   A saved change bumps its own scope (inspections/signals.py), so a recommendation note redraws
   council pages but leaves the national pages warm. Output that shows both is keyed by both.
2. **Fragments** (`cached()`): the data-heavy body of a page, a chart, a map, a PDF, per data
   version and the parts that select it. Drawing one afresh costs the signed-in user from a
   per-minute budget (RENDER_BUDGET_PER_MINUTE; a PDF costs more), so nobody can keep the server
   busy by asking for ever-new dates or filters: past the budget they get a 429 page.
3. **Users** (`CachedModelBackend`): the signed-in user is kept for USER_SECONDS only, so a
   deactivation made anywhere (the admin, a script's `update()`) ends their access within seconds;
   their permissions are keyed by a version of that user (bumped when the user, their groups or
   permissions change, but not by a sign-in's `last_login`) and a version of all groups.
4. **Whole pages** (`SessionPageCacheMiddleware`): a repeat visit to one of the busiest pages
   (each app names its own with `keep_whole_page()` in AppConfig.ready, so this module imports
   no feature app) is answered before the rest of the middleware, keyed by the data versions the page shows, the
   user's versions, the session and its CSRF cookie, the page and its *known* query parameters
   (unknown ones never make a new entry). It is the only way to the warm throughput `make bench`
   prints (~10× a render from fragments). A hit needs the session alive, the user active with
   the same password, and the page is stored with a placeholder for the CSP nonce, so every
   response gets a fresh nonce and its own policy.

Every cache error (refused, timed out, out of memory, a damaged entry) is a miss: see
ResilientRedisCache. Redis should run with `maxmemory` and `allkeys-lru` (README, Production).
"""

import contextvars
import hashlib
import logging
import time
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.crypto import constant_time_compare
from django.utils.csp import CSP, build_policy, generate_nonce
from django_redis.cache import RedisCache

logger = logging.getLogger("inspections.cache")

NATIONAL = "inspections:data-version"
NOTES = "inspections:notes-version"
GROUPS_VERSION_KEY = "auth:groups-version"
USER_SECONDS = 5
PAGE_SECONDS = 60 * 5
FRAGMENT_SECONDS = 60 * 60
RENDER_BUDGET_PER_MINUTE = int(getattr(settings, "RENDER_BUDGET_PER_MINUTE", 60))
# What drawing a fragment afresh costs from the budget; names not listed cost nothing.
RENDER_COSTS = {"page:": 1, "map": 1, "briefing-pdf": 10}


# 1. Data versions --------------------------------------------------------------------------------


def data_version(*scopes):
    """The current version of the given scopes (default both), one string, in one cache round trip.
    A version missing (never set, or evicted) is created new: never one used before."""
    scopes = scopes or (NATIONAL, NOTES)
    found = cache.get_many(scopes)
    for scope in scopes:
        if scope not in found:
            cache.add(scope, str(time.time_ns()), timeout=None)
            found[scope] = cache.get(scope) or str(time.time_ns())
    return ".".join(str(found[scope]) for scope in scopes)


def bump(scope):
    """Mark output of `scope` stale, now and again at commit, so nobody caches pre-commit data."""

    def do():
        cache.set(scope, str(time.time_ns()), timeout=None)

    do()
    transaction.on_commit(do)


def bump_data_version():
    """Mark every cached page, chart and PDF stale (a change to what every page shows)."""
    bump(NATIONAL)


# 2. Fragments and the render budget --------------------------------------------------------------

_current_request = contextvars.ContextVar("inspections_cache_request", default=None)


class RenderLimitExceeded(Exception):
    """A user asked for more fresh renders in a minute than RENDER_BUDGET_PER_MINUTE allows."""

    retry_after = 60


def cached(name, builder, *parts, timeout=FRAGMENT_SECONDS, notes=True):
    """`builder()` cached under `name` and `parts` for the current data version.

    `notes=False` for output that shows no recommendation (it then survives a status update).
    Raises RenderLimitExceeded when the value must be drawn and the user's budget is spent.
    """
    scopes = (NATIONAL, NOTES) if notes else (NATIONAL,)
    key = ":".join(["inspections", name, data_version(*scopes), *[str(p) for p in parts]])
    value = cache.get(key)
    if value is None:
        _spend_render_budget(name)
        value = builder()
        cache.set(key, value, timeout=timeout)
    return value


def _spend_render_budget(name):
    cost = next((c for prefix, c in RENDER_COSTS.items() if name.startswith(prefix)), 0)
    request = _current_request.get()
    if not cost or request is None or RENDER_BUDGET_PER_MINUTE <= 0:
        return
    user = getattr(request, "user", None)
    who = f"user:{user.pk}" if user is not None and user.is_authenticated else f"ip:{request.META.get('REMOTE_ADDR')}"
    key = f"render-budget:{who}:{int(time.time() // 60)}"
    if cache.add(key, cost, timeout=90):
        return
    try:
        spent = cache.incr(key, cost)
    except ValueError:  # expired between the two calls, or the cache is away: do not limit
        return
    if spent > RENDER_BUDGET_PER_MINUTE:
        raise RenderLimitExceeded(name)


# 3. A Redis cache whose failures are misses ------------------------------------------------------

_skip_until = [0.0]  # per process: while in the future, Redis is not asked at all
SKIP_SECONDS = 5.0


def _tolerant(name, fallback):
    def method(self, *args, **kwargs):
        if time.monotonic() < _skip_until[0]:
            return fallback(args, kwargs)
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except ValueError:  # Django's "no such key" for incr/decr: not a failure of the cache
            raise
        except Exception as exc:  # noqa: BLE001 (any failure of the cache is a miss, never a 500)
            _skip_until[0] = time.monotonic() + SKIP_SECONDS
            logger.warning("Cache %s failed (%s); skipping the cache for %.0f s", name, exc, SKIP_SECONDS)
            return fallback(args, kwargs)

    method.__name__ = name
    return method


def _default_of_get(args, kwargs):
    return args[1] if len(args) > 1 else kwargs.get("default")


def _missing(args, kwargs):
    raise ValueError("The cache is not answering.")


class ResilientRedisCache(RedisCache):
    """django-redis where any error is a miss (not only refused connections, as with its
    IGNORE_EXCEPTIONS: also timeouts, out-of-memory refusals and damaged entries), and after one
    the cache is left alone for SKIP_SECONDS in this process, so a stopped Redis costs one
    request one socket timeout (REDIS_TIMEOUT) every few seconds, not every request every call."""

    get = _tolerant("get", _default_of_get)
    get_many = _tolerant("get_many", lambda a, k: {})
    set = _tolerant("set", lambda a, k: None)
    set_many = _tolerant("set_many", lambda a, k: [])
    add = _tolerant("add", lambda a, k: False)
    delete = _tolerant("delete", lambda a, k: False)
    delete_many = _tolerant("delete_many", lambda a, k: None)
    has_key = _tolerant("has_key", lambda a, k: False)
    touch = _tolerant("touch", lambda a, k: False)
    incr = _tolerant("incr", _missing)
    decr = _tolerant("decr", _missing)
    clear = _tolerant("clear", lambda a, k: None)


# 4. Users and permissions ------------------------------------------------------------------------


def _user_key(pk):
    return f"auth:user:{pk}"


def _user_version_key(pk):
    return f"auth:user-version:{pk}"


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, with get_user and the permission sets read through the shared cache."""

    def get_user(self, user_id):
        user = cache.get(_user_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            cache.set(_user_key(user_id), user, USER_SECONDS)
        return user if self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        perm_cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, perm_cache_name):
            if not hasattr(user_obj, "_perm_versions"):  # one round trip for both kinds of permission
                user_obj._perm_versions = data_version(GROUPS_VERSION_KEY, _user_version_key(user_obj.pk))
            key = f"auth:perms:{user_obj._perm_versions}:{from_name}:{user_obj.pk}"
            perms = cache.get(key)
            if perms is None:
                perms = super()._get_permissions(user_obj, obj, from_name)
                cache.set(key, perms, PAGE_SECONDS * 2)
            setattr(user_obj, perm_cache_name, perms)
        return getattr(user_obj, perm_cache_name)


def forget_user(pk):
    """Drop what is cached about one user (their entry, permissions and cached pages)."""
    cache.set(_user_version_key(pk), str(time.time_ns()), timeout=None)
    cache.delete(_user_key(pk))


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in: nothing anyone may see or do has changed
    forget_user(instance.pk)


def _user_deleted(sender, instance, **kwargs):
    forget_user(instance.pk)


def _groups_changed(**kwargs):
    cache.set(GROUPS_VERSION_KEY, str(time.time_ns()), timeout=None)


def _user_links_changed(sender, instance, reverse, pk_set, **kwargs):
    """user.groups / user.user_permissions changed: from the user's side one user, else each."""
    if kwargs.get("action", "").startswith("pre_"):
        return
    if not reverse:
        forget_user(instance.pk)
    elif pk_set:
        for pk in pk_set:
            forget_user(pk)
    else:
        _groups_changed()


def connect_signals():
    """Called once from AppConfig.ready (the models are not loaded when the cache backend is)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user = get_user_model()
    post_save.connect(_user_saved, sender=user, dispatch_uid="auth-cache-user-save")
    post_delete.connect(_user_deleted, sender=user, dispatch_uid="auth-cache-user-delete")
    for sender in (Group, Permission):
        post_save.connect(_groups_changed, sender=sender, dispatch_uid=f"auth-cache-save-{sender.__name__}")
        post_delete.connect(_groups_changed, sender=sender, dispatch_uid=f"auth-cache-delete-{sender.__name__}")
    for through in (user.groups.through, user.user_permissions.through):
        m2m_changed.connect(_user_links_changed, sender=through, dispatch_uid=f"auth-cache-m2m-{through.__name__}")
    m2m_changed.connect(_groups_changed, sender=Group.permissions.through, dispatch_uid="auth-cache-m2m-group-perms")


# 5. Whole pages per session ----------------------------------------------------------------------

# The pages kept whole: view name -> (the data scopes it shows, the query parameters it reads). Each
# app registers its own pages in AppConfig.ready, so this module imports no feature app.
_WHOLE_PAGES = {}
NONCE_PLACEHOLDER = b"\x00csp-nonce\x00"


def keep_whole_page(view_name, *, scopes, parameters=()):
    """Answer repeat visits to `view_name` whole, per session, until one of `scopes` changes.

    `scopes`: NATIONAL and/or NOTES, what the page shows; `parameters`: the query parameters it
    reads (any other never reaches a cache key). Call from AppConfig.ready.
    """
    _WHOLE_PAGES[view_name] = (tuple(scopes), frozenset(parameters))


def _session_cache_key(session_key):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key).cache_key


def known_parameters(view_name):
    """The query parameters a page kept whole reads (empty for any other page)."""
    return _WHOLE_PAGES.get(view_name, ((), frozenset()))[1]


def query_key(request, view_name):
    """The request's known (registered), non-blank query parameters, sorted: one key per distinct question."""
    known = known_parameters(view_name)
    return urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values if k in known and v))


class SessionPageCacheMiddleware:
    """Goes straight after SecurityMiddleware, WhiteNoise and DatabaseGateMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
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
                cache.set(key, (response["Content-Type"], body), PAGE_SECONDS)
            return response
        finally:
            _current_request.reset(token)

    @staticmethod
    def _key(request):
        """The cache key for this request, or None when it must not be answered from the cache."""
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if request.method != "GET" or not session_key or "_export" in request.GET or "messages" in request.COOKIES:
            return None
        try:
            request.get_host()
            view_name = resolve(request.path_info).view_name
        except (DisallowedHost, Resolver404):
            return None
        if view_name not in _WHOLE_PAGES:
            return None
        scopes = _WHOLE_PAGES[view_name][0]
        # Three round trips: the session with the data versions, the user with theirs, the page.
        session_cache_key = _session_cache_key(session_key)
        wanted = [*scopes, GROUPS_VERSION_KEY]
        found = cache.get_many([session_cache_key, *wanted])
        session = found.get(session_cache_key)
        if session is None or not session.get("_auth_user_id"):
            return None  # no live session in the shared cache (signed out, expired)
        user_id = session["_auth_user_id"]
        mine = cache.get_many([_user_key(user_id), _user_version_key(user_id)])
        user = mine.get(_user_key(user_id)) or CachedModelBackend().get_user(user_id)
        if (
            user is None
            or not user.is_active
            or not constant_time_compare(session.get("_auth_user_hash", ""), user.get_session_auth_hash())
        ):
            return None  # deactivated, deleted, or the password changed since this session began
        versions = [found[k] if k in found else data_version(k) for k in wanted]
        parts = [
            *map(str, versions),
            mine.get(_user_version_key(user_id)) or data_version(_user_version_key(user_id)),
            session_key,
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
            request.path,
            query_key(request, view_name),
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
            and match.view_name in _WHOLE_PAGES
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
