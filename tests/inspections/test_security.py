"""Hardening: a strict Content Security Policy on every page, production settings that pass
`check --deploy`, login throttling, no user-supplied HTML rendered anywhere, forged posts refused
and upload size limits."""

import datetime
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from inspections.models import EventKind, Recommendation, RecommendationUpdate
from tests.inspections.test_roles import sample_urls

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def html_pages(client):
    """(url, response) for every page of the service that answers HTML to this client."""
    for name, url in sample_urls():
        if name in ("logout",):
            continue
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield url, response


# Content Security Policy and headers ----------------------------------------------------------


def test_every_page_has_a_strict_content_security_policy_and_no_inline_code(client_for):
    pages = list(html_pages(client_for("admin")))
    assert len(pages) >= 12
    for url, response in pages:
        csp = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives["default-src"] == "'self'", url
        assert directives["object-src"] == "'none'", url
        assert directives["frame-ancestors"] == "'none'", url
        assert directives["base-uri"] == "'self'", url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert "*" not in csp, url
        body = response.content.decode()
        assert not re.search(r"\sstyle=", body), f"{url} has an inline style attribute"
        assert not re.search(r"\son[a-z]+=", body), f"{url} has an inline event handler"
        nonce = re.search(r"'nonce-([^']+)'", directives["script-src"])
        for script in re.findall(r"<script\b([^>]*)>", body):
            assert "src=" in script or (nonce and f'nonce="{nonce.group(1)}"' in script), f"{url}: {script}"


def test_responses_forbid_framing_and_sniffing(viewer_client):
    response = viewer_client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only_and_same_site(make_user, settings):
    settings.AXES_ENABLED = False
    make_user("viewer", username="cookie-viewer")
    client = Client()
    client.post(reverse("login"), {"username": "cookie-viewer", "password": "pw-for-tests-1"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


# Production settings --------------------------------------------------------------------------


def production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "TRACKER_ALLOW_DEV_KEY",
            "SECURE_SSL_REDIRECT",
            "SECURE_COOKIES",
            "STATIC_MANIFEST",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tracker.example.org",
        DJANGO_SETTINGS_MODULE="tracker.settings",
        **extra,
    )
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production_settings():
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_production_settings_use_secure_cookies_hsts_and_https():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_HTTPONLY, s.DEBUG)"
    )
    done = manage("shell", "-c", code, env=production_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True True True True True True False"


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    done = manage("check", env=env)
    assert done.returncode != 0
    assert "Set SECRET_KEY" in done.stderr


# Login throttling -----------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_sign_in_even_with_the_right_password(make_user, settings):
    settings.AXES_ENABLED = True
    make_user("viewer", username="target")
    client = Client()
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(reverse("login"), {"username": "target", "password": "guess"})
        # The form again with its error; the failure that reaches the limit locks at once.
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    response = client.post(reverse("login"), {"username": "target", "password": "pw-for-tests-1"})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still signed out


# No user-supplied HTML rendered -------------------------------------------------------------

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
RAW_MARKERS = ["<script>alert(", "<img src=x onerror", "onerror=alert(1)>"]


@pytest.fixture
def poisoned(wirral, make_user):
    """Every free-text field that pages show, holding a script and an HTML attack."""
    user = get_user_model().objects.create_user(username=f"<b>{PAYLOAD}"[:150], password="pw-for-tests-1")
    wirral.name = f"Wirral {PAYLOAD}"
    wirral._history_user = user
    wirral.save()
    event = wirral.events.filter(recommendations__isnull=False).order_by("-start_date").first()
    for field in ("title", "lead_inspector", "focus", "source_name"):
        setattr(event, field, f"{field} {PAYLOAD}")
    event.summary = f"Summary {PAYLOAD}\n\nSecond paragraph {PAYLOAD}"
    event._history_user = user
    event.save()
    milestone = wirral.events.filter(kind=EventKind.MILESTONE).first()
    milestone.title = f"Milestone {PAYLOAD}"
    milestone.summary = f"Milestone summary {PAYLOAD}"
    milestone.save()
    rec = event.recommendations.first()
    rec.text = f"Recommendation {PAYLOAD}"
    rec._history_user = user
    rec.save()
    RecommendationUpdate.objects.create(
        recommendation=rec,
        date=datetime.date(2024, 6, 1),
        status="in_progress",
        note=f"Note {PAYLOAD}",
        created_by=user,
    )
    return event


def test_no_page_renders_user_supplied_html(poisoned, client_for):
    client = client_for("admin")
    seen_escaped = set()
    for url, response in html_pages(client):
        body = response.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in body, f"{url} renders user-supplied HTML unescaped: {marker}"
        if "&lt;script&gt;alert(" in body:
            seen_escaped.add(url)
    # The payload really was shown (escaped) where each field appears.
    rec = poisoned.recommendations.first()
    for must_show in (
        poisoned.council.get_absolute_url(),
        poisoned.get_absolute_url(),
        reverse("inspections:council_history", args=[poisoned.council.slug]),
        reverse("inspections:event_history", args=[poisoned.pk]),
        reverse("inspections:recommendation_update", args=[rec.pk]),
    ):
        assert must_show in seen_escaped, must_show


def test_feeds_and_the_api_escape_user_supplied_text(poisoned, viewer_client):
    for url in (reverse("inspections:feed_latest"), reverse("inspections:council_feed", args=[poisoned.council.slug])):
        response = viewer_client.get(url)
        assert response.status_code == 200
        assert "<script>alert(" not in response.content.decode()
    response = viewer_client.get(reverse("api:council_detail", args=[poisoned.council.urn]))
    assert response["Content-Type"] == "application/json"
    assert response.json()["name"] == f"Wirral {PAYLOAD}"


# Forged and replayed posts ----------------------------------------------------------------------


def test_a_forged_post_without_a_csrf_token_is_refused_and_changes_nothing(wirral, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("admin", username="csrf-admin"))
    rec = Recommendation.objects.filter(event__council=wirral).first()
    response = client.post(
        reverse("inspections:recommendation_update", args=[rec.pk]),
        {"status": "met", "date_day": "1", "date_month": "2", "date_year": "2025"},
    )
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert not rec.updates.exists()

    event = wirral.events.first()
    response = client.post(reverse("inspections:record_restore", args=["event", event.pk]))
    assert response.status_code == 403


def test_a_forged_sign_in_without_a_csrf_token_is_refused(make_user):
    make_user("viewer", username="csrf-viewer")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "csrf-viewer", "password": "pw-for-tests-1"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


# Upload size limits ---------------------------------------------------------------------------


def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(editor_client, settings):
    settings.REPORT_UPLOAD_MAX_BYTES = 10_000
    big = SimpleUploadedFile("huge.pdf", b"%PDF-1.7\n" + b"0" * 200_000, content_type="application/pdf")
    response = editor_client.post(reverse("intake:report_upload"), {"report": big})
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()


def test_a_file_just_over_the_limit_gets_the_forms_error(editor_client, settings):
    settings.REPORT_UPLOAD_MAX_BYTES = 10_000
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 20_000, content_type="application/pdf")
    response = editor_client.post(reverse("intake:report_upload"), {"report": big})
    assert response.status_code == 200
    assert "must be smaller than" in response.content.decode()


def test_an_oversized_form_post_is_refused_and_changes_nothing(wirral, editor_client, settings):
    rec = Recommendation.objects.filter(event__council=wirral).first()
    response = editor_client.post(
        reverse("inspections:recommendation_update", args=[rec.pk]),
        {"status": "met", "date_day": "1", "date_month": "2", "date_year": "2025", "note": "x" * 6_000_000},
    )
    assert response.status_code in (400, 413)
    assert not rec.updates.exists()
