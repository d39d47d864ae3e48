"""Every URL pattern, as nobody and as each role, by GET and by POST: who may read, export, edit
and manage users is decided in the views, and a refused request changes nothing.

URLs come from the resolver, so a new page is tried automatically; a page missing from ACCESS
below fails `test_every_url_has_a_declared_access_level` until its access level is declared.
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from inspections.models import Council, Event, Judgement, Recommendation, RecommendationUpdate, Region

pytestmark = pytest.mark.django_db

PUBLIC, READ, EXPORT, EDIT, ADMIN = "public", "read", "export", "edit", "admin"
LEVELS = [READ, EXPORT, EDIT, ADMIN]
ROLE_LEVEL = {None: -1, "viewer": 0, "analyst": 1, "editor": 2, "admin": 3}

ACCESS = {
    "login": PUBLIC,
    "inspections:healthz": PUBLIC,
    "maps:grade_css": PUBLIC,
    "logout": READ,
    "admin_login": PUBLIC,
    "accounts:account": READ,
    "accounts:api_token_revoke": READ,
    "accounts:feed_addresses_reset": READ,
    # Pages everyone signed in reads
    "inspections:home": READ,
    "inspections:council_list": READ,
    "inspections:council_detail": READ,
    "inspections:council_feed": READ,
    "inspections:feed_latest": READ,
    "inspections:region_detail": READ,
    "inspections:event_detail": READ,
    "inspections:event_report_file": READ,
    "maps:map": READ,
    "api:council_list": READ,
    "api:council_detail": READ,
    "api:inspections": READ,
    "api:visits": READ,
    "api:recommendations": READ,
    "api:schema": READ,
    # Analysts and up: exports and briefings
    "briefings:builder": EXPORT,
    "briefings:national_pdf": EXPORT,
    "briefings:council_pdf": EXPORT,
    "briefings:region_pdf": EXPORT,
    "briefings:comparison_pdf": EXPORT,
    "inspections:chart_csv": EXPORT,
    "inspections:region_chart_csv": EXPORT,
    "inspections:council_chart_csv": EXPORT,
    "analysis:changes": READ,
    "analysis:changes_feed": READ,
    "analysis:timing": READ,
    "analysis:compare": READ,
    "analysis:index": READ,
    "analysis:visit_themes": READ,
    "analysis:downloads": EXPORT,
    "analysis:changes_csv": EXPORT,
    **{
        f"analysis:download_{n}_{f}": EXPORT
        for n in ("inspections", "visits", "recommendations")
        for f in ("csv", "xlsx")
    },
    # Editors and up: entering and correcting results, recommendation updates, history
    "intake:report_upload": EDIT,
    "intake:report_confirm": EDIT,
    "intake:review_list": EDIT,
    "intake:review_check": EDIT,
    "intake:review_file": EDIT,
    "intake:review_confirm": EDIT,
    "intake:review_reject": EDIT,
    "inspections:event_new": EDIT,
    "inspections:event_new_details": EDIT,
    "inspections:event_edit": EDIT,
    "inspections:council_history": EDIT,
    "inspections:event_history": EDIT,
    "inspections:recommendation_update": EDIT,
    # Admins: restoring deleted records (and users, in the Django admin below)
    "inspections:deleted_records": ADMIN,
    "inspections:record_restore": ADMIN,
    "intake:sync_runs": ADMIN,
}

# The Django admin has hundreds of patterns; these stand for it (staff only: the admin role).
ADMIN_SITE_URLS = [
    "/admin/",
    "/admin/auth/user/",
    "/admin/auth/user/add/",
    "/admin/inspections/event/",
    "/admin/axes/accessattempt/",
]


def url_patterns(resolver=None, namespace=""):
    """(qualified name, RoutePattern) of every named route of the project, outside the Django admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


def sample_urls():
    """Every named URL of the project filled with real demo records: [(name, url)]."""
    wirral = Council.objects.get(urn=80581)
    event = wirral.events.filter(recommendations__isnull=False).order_by("-start_date").first()
    samples = {
        "slug": lambda name: Region.objects.order_by("name").first().slug if "region" in name else wirral.slug,
        "pk": lambda name: event.recommendations.first().pk if "recommendation" in name else event.pk,
        "urn": lambda name: wirral.urn,
        "kind": lambda name: "event",
        "token": lambda name: uuid.uuid4(),
        "chart": lambda name: "trajectory" if "council" in name else "by-region",
    }
    urls = []
    for name, pattern in url_patterns():
        params = list(pattern.converters) if isinstance(pattern, RoutePattern) else []
        if name.endswith("serve") or "path" in params:
            continue  # media files in DEBUG only
        urls.append((name, reverse(name, kwargs={p: samples[p](name) for p in params})))
    return urls


def audit_counts():
    """How many history rows each audited model has: any write adds one."""
    return tuple(m.history.count() for m in (Council, Event, Judgement, Recommendation, RecommendationUpdate))


def test_every_url_has_a_declared_access_level():
    undeclared = [name for name, _ in url_patterns() if name not in ACCESS and not name.endswith("serve")]
    assert not undeclared, f"Declare who may use these URLs in ACCESS: {undeclared}"


def is_login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def check(name, url, method, role, response):
    """None if the response is right for this role, else a sentence saying what is wrong."""
    level = ACCESS[name]
    status = response.status_code
    if status >= 500:
        return f"{method} {url} as {role}: server error {status}"
    if name in ("logout", "admin_login"):  # both lead to the sign-in page; nothing to protect
        return None
    if level == PUBLIC:
        return None if not is_login_redirect(response) and status != 403 else f"{method} {url} as {role}: {status}"
    if role is None:
        refused = is_login_redirect(response) or (name.startswith("api:") and status == 401)
        return None if refused else f"{method} {url} as nobody: {status}, not sent to sign in"
    allowed = ROLE_LEVEL[role] >= LEVELS.index(level)
    if allowed and (status == 403 or is_login_redirect(response)):
        return f"{method} {url} as {role}: refused ({status}) but {role}s may use it"
    if not allowed and status != 403:
        return f"{method} {url} as {role}: {status}, expected 403"
    return None


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("role", [None, "viewer", "analyst", "editor", "admin"])
def test_every_url_as_each_role(role, method, make_user, settings):
    from django.test import Client

    settings.AXES_ENABLED = False  # posting an empty sign-in form must not count as an attack
    client = Client(raise_request_exception=False)
    user = make_user(role, username=f"matrix-{role}") if role is not None else None
    if user is not None:
        client.force_login(user)
    before = audit_counts()
    problems = []
    for name, url in sample_urls():
        response = client.get(url) if method == "GET" else client.post(url, {})
        problem = check(name, url, method, role, response)
        if problem:
            problems.append(problem)
        if name == "logout" and role is not None:
            client.force_login(user)  # posting to sign-out signed the client out
    assert not problems, "\n".join(problems)
    if ROLE_LEVEL[role] < LEVELS.index(EDIT):
        assert audit_counts() == before, "a request from someone who may not edit changed the data"


@pytest.mark.parametrize("role", [None, "viewer", "analyst", "editor", "admin"])
def test_only_the_admin_role_reaches_the_django_admin(role, make_user):
    from django.test import Client

    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(make_user(role, username=f"admin-site-{role}"))
    for url in ADMIN_SITE_URLS:
        response = client.get(url)
        if role == "admin":
            assert response.status_code == 200, url
        else:
            signin = ("/admin/login/", "/accounts/login/") if role is None else ("/admin/login/",)
            assert response.status_code == 302, (url, role)
            assert response["Location"].startswith(signin), (url, role, response["Location"])


def test_a_user_without_a_role_reads_nothing_and_is_told_why(make_user):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(make_user(None, username="no-role"))
    for name, url in sample_urls():
        if ACCESS[name] in (PUBLIC,) or name == "logout":
            continue
        response = client.get(url)
        assert response.status_code == 403, (url, response.status_code)
    page = client.get("/")
    assert "has not been given a role yet, so it cannot see anything" in page.content.decode()
    assert client.get(reverse("api:council_list")).json()["error"].startswith("Your account has no role")
    assert client.post(reverse("logout")).status_code == 302
