"""The load balancer's health check, and what users see while the database is down: a friendly
503 on every page, nothing half-saved, and recovery by itself when the database returns."""

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.utils import load_backend
from django.test import Client
from django.urls import reverse

from inspections import probes
from inspections.models import Recommendation, RecommendationUpdate

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unreachable_connection():
    """A real connection, of the same backend as the tests use, to a database that is not there."""
    settings = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        settings.update(HOST="127.0.0.1", PORT=str(closed_port()), CONN_MAX_AGE=0)
        settings.setdefault("OPTIONS", {})["connect_timeout"] = 2
    else:
        settings.update(NAME="/nonexistent-directory/for-health-tests/db.sqlite3", CONN_MAX_AGE=0)
    return load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias="unreachable")


@pytest.fixture(autouse=True)
def _fresh_probes():
    """Each test sees the database probed afresh (the gate remembers its answer for a second)."""
    for probe in (probes.DATABASE, probes.CACHE):
        probe.answer = probe.current = None
    yield
    for probe in (probes.DATABASE, probes.CACHE):
        probe.answer = probe.current = None


def test_healthz_answers_200_without_login_and_is_never_cached():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_raises(monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(probes.DATABASE, "check", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"


def test_healthz_answers_503_for_a_database_that_is_really_unreachable(monkeypatch):
    def check():
        down = unreachable_connection()
        try:
            with down.cursor() as cursor:
                cursor.execute("SELECT 1")
        finally:
            down.close()

    monkeypatch.setattr(probes.DATABASE, "check", check)
    assert Client().get("/healthz").status_code == 503
    monkeypatch.undo()
    probes.DATABASE.answer = None
    assert Client().get("/healthz").status_code == 200


@pytest.mark.parametrize("hung", ["database", "cache"])
def test_healthz_answers_503_within_two_seconds_whatever_hangs(monkeypatch, hung):
    release = threading.Event()
    monkeypatch.setattr(getattr(probes, hung.upper()), "check", lambda: release.wait(30))
    try:
        started = time.monotonic()
        response = Client().get("/healthz")
        assert time.monotonic() - started < 2
        assert response.status_code == 503
        assert json.loads(response.content)[hung] == "timed out"
        # Asked again while the first probe is still stuck: at once, and no second probe is started.
        started = time.monotonic()
        assert Client().get("/healthz").status_code == 503
        assert time.monotonic() - started < 0.5
    finally:
        release.set()


def test_every_page_answers_503_at_once_while_the_database_hangs(wirral, viewer_client, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(probes.DATABASE, "check", lambda: release.wait(30))
    try:
        started = time.monotonic()
        response = viewer_client.get(wirral.get_absolute_url())
        assert response.status_code == 503
        assert "Sorry, the service is unavailable" in response.content.decode()
        assert time.monotonic() - started < 2
    finally:
        release.set()


def test_the_503_page_carries_the_content_security_policy_and_forbids_framing(viewer_client, monkeypatch):
    monkeypatch.setattr(probes.DATABASE, "check", lambda: (_ for _ in ()).throw(OperationalError("down")))
    response = viewer_client.get("/")
    assert response.status_code == 503
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"


def test_a_page_whose_database_query_fails_answers_a_friendly_503(wirral, viewer_client, monkeypatch):
    def outage(**kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("inspections.selectors.councils.council_timeline", outage)
    response = viewer_client.get(wirral.get_absolute_url())
    assert response.status_code == 503
    body = response.content.decode()
    assert "Sorry, the service is unavailable" in body
    assert "Ofsted judgement tracker" in body
    assert "Connection refused" not in body
    assert response["Retry-After"]
    assert "Content-Security-Policy" in response


def test_a_database_outage_before_the_view_also_answers_503(make_user, monkeypatch):
    """Loading the session is the first thing a request asks the database: not a 500 either."""
    client = Client(raise_request_exception=False)
    client.force_login(make_user("viewer", username="outage-viewer"))

    def outage(self, *args, **kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr("django.contrib.sessions.backends.cached_db.SessionStore.load", outage)
    response = client.get("/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_other_errors_answer_the_friendly_500_page(viewer_client, wirral, monkeypatch):
    def bug(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("inspections.selectors.councils.council_timeline", bug)
    client = Client(raise_request_exception=False)
    client.cookies = viewer_client.cookies
    response = client.get(wirral.get_absolute_url())
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "a bug" not in response.content.decode()


def test_missing_pages_answer_a_friendly_404(viewer_client):
    response = viewer_client.get("/councils/no-such-council/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "Signed in as" in body


def test_a_save_interrupted_by_the_database_leaves_nothing_half_saved(wirral, editor_client, monkeypatch):
    rec = Recommendation.objects.filter(event__council=wirral).first()
    url = reverse("inspections:recommendation_update", args=[rec.pk])
    page = editor_client.get(url)
    data = {
        "seen": page.context["form"]["seen"].value(),
        "status": "met",
        "date_day": "1",
        "date_month": "2",
        "date_year": "2025",
        "note": "Half-saved?",
    }
    # The update row is written, then the connection drops before the recommendation is saved.
    real_save = Recommendation.save

    def dropped(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Recommendation, "save", dropped)
    response = editor_client.post(url, data)
    assert response.status_code == 503
    monkeypatch.setattr(Recommendation, "save", real_save)
    assert not RecommendationUpdate.objects.filter(note="Half-saved?").exists()
    rec.refresh_from_db()
    assert rec.status == "open"


RECOVERY_SCRIPT = textwrap.dedent(
    """
    import io, os, sys
    import django
    from wsgiref.util import setup_testing_defaults

    django.setup()
    import psycopg2
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    app = WSGIHandler()

    def get(path, cookie=""):
        environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_COOKIE": cookie, "wsgi.input": io.BytesIO()}
        setup_testing_defaults(environ)
        status = []
        body = b"".join(app(environ, lambda s, h, *a: status.append(s)))
        return int(status[0].split()[0]), body.decode()

    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("recovery-probe", password="pw-for-tests-1")
    user.groups.add(Group.objects.get(name="viewer"))  # no role, no access
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "inspections.auth.CachedModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    results = []
    try:
        results.append(("healthz", get("/healthz")[0]))
        results.append(("page", get("/", cookie)[0]))
        results.append(("page_cached", get("/", cookie)[0]))
        # Another connection kills ours mid-use, as a database restart would.
        pid = connection.connection.get_backend_pid()
        p = connection.settings_dict
        killer = psycopg2.connect(dbname=p["NAME"], user=p["USER"], host=p["HOST"], port=p["PORT"], password=p["PASSWORD"])
        killer.autocommit = True
        killer.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
        killer.close()
        after_kill = [get("/", cookie)[0], get("/", cookie)[0]]
        results.append(("after_kill", after_kill))
        # The database stops: every page answers the friendly 503, then recovers when it returns.
        real_port = p["PORT"]
        connection.close()
        p["PORT"] = sys.argv[1]
        down_page = get("/", cookie)
        results.append(("down_healthz", get("/healthz")[0]))
        results.append(("down_page", down_page[0], "Sorry, the service is unavailable" in down_page[1]))
        p["PORT"] = real_port
        results.append(("back", get("/healthz")[0], get("/", cookie)[0]))
    finally:
        connection.close()
        session.delete()
        user.delete()
    import json
    print(json.dumps(results))
    """
)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL to stop and restart a connection")
def test_a_real_postgresql_connection_killed_or_stopped_answers_503_and_recovers():
    from django.conf import settings

    test_db = dict(connection.settings_dict)
    url = (
        f"postgres://{test_db['USER']}:{test_db.get('PASSWORD') or ''}@{test_db['HOST'] or '127.0.0.1'}:"
        f"{test_db['PORT'] or 5432}/{test_db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "TRACKER_ALLOW_DEV_KEY": "1",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1",
        "AXES_ENABLED": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "CRITICAL",
    }
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    done = subprocess.run(
        [sys.executable, "-c", RECOVERY_SCRIPT, str(closed_port())],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = {r[0]: r[1:] for r in json.loads(done.stdout.strip().splitlines()[-1])}
    assert results["healthz"] == [200] and results["page"] == [200]
    # At most the request that found the connection dead fails (as a 503); the next one is served.
    assert results["after_kill"][0][-1] == 200 and results["after_kill"][0][0] in (200, 503)
    assert results["down_healthz"] == [503]
    assert results["down_page"] == [503, True]
    assert results["back"] == [200, 200]
