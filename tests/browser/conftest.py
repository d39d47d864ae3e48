"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

The live server needs a transactional database, which Django flushes after every test. So before
each browser test the demo data is restored from a snapshot (serialized rollback): the snapshot is
taken once, after load_demo, without the audit-history tables the pages never read, which keeps the
restore to a couple of seconds. After the last browser test the data is restored once more, so
tests that run later still find the demo data.

Fixtures: `browser` (session), `page` (a fresh context per test, failing on any CSP violation or
script error), `sign_in(page, role)`, `axe_violations(page)`, `urls` (the pages to walk).
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "browser-test-pass-1"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


def _snapshot(connection):
    """The database as JSON for serialized rollback, without audit-history, session and lockout rows."""
    data = json.loads(connection.creation.serialize_db_to_string())
    skip = ("sessions.", "axes.", "admin.logentry")
    kept = [
        obj
        for obj in data
        if not obj["model"].startswith(skip) and not obj["model"].split(".")[1].startswith("historical")
    ]
    return json.dumps(kept)


def _fast_restore(connection):
    """The snapshot back into the database a model at a time (bulk inserts), instead of Django's
    object-by-object restore: the whole record is tens of thousands of rows, which took ~10 s
    before every browser test. Same rows, same keys; foreign keys checked once at the end."""
    import itertools

    from django.core import serializers
    from django.db import transaction

    def restore(data):
        objects = serializers.deserialize("json", data, using=connection.alias, ignorenonexistent=True)
        with transaction.atomic(using=connection.alias), connection.constraint_checks_disabled():
            for model, run in itertools.groupby(objects, key=lambda item: type(item.object)):
                run = list(run)
                manager = model._base_manager.using(connection.alias)
                if manager.exists():  # rows the flush's post-migrate signal made again (permissions, types)
                    for item in run:
                        item.save(using=connection.alias)
                    continue
                manager.bulk_create([item.object for item in run], batch_size=1000)
                for item in run:
                    for name, values in (item.m2m_data or {}).items():
                        getattr(item.object, name).set(values)
            connection.check_constraints()

    return restore


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker):
    from django.core.management import call_command
    from django.db import connection

    from inspections.models import Council, Grade

    with django_db_blocker.unblock():
        if not Grade.objects.exists():  # an earlier transactional test flushed everything
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        if not Council.objects.filter(urn=80581).exists():
            call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        connection._test_serialized_contents = _snapshot(connection)
        connection.creation.deserialize_db_from_string = _fast_restore(connection)
        yield
        if not Council.objects.exists():
            connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, _demo_snapshot):
    """A new browser page on the live server; fails the test on a CSP violation or a script error."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"{m.text} ({m.location.get('url')})") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    context.close()
    assert not problems, f"Browser console errors (CSP or script): {problems}"


@pytest.fixture
def sign_in(make_user):
    """sign_in(page, role): create a user with that role and sign in through the form, as a person would."""

    def do(page, role):
        user = make_user(role, username=f"browser-{role}")
        user.set_password(PASSWORD)
        user.save()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return user

    return do


@pytest.fixture
def axe_violations():
    """axe_violations(page) → the serious and critical WCAG 2.x A/AA violations on the page."""
    source = AXE.read_text()

    def run(page):
        # evaluate() runs outside the page's Content Security Policy, so the page's CSP stays strict.
        page.evaluate(source + "\n;undefined")
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
                resultTypes: ["violations"],
            })"""
        )
        assert len(result["passes"]) > 10, "axe did not run"
        return [
            f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run


@pytest.fixture
def urls():
    """The pages every role can read, from the demo data."""
    from inspections.models import Event

    event = Event.objects.filter(council__urn=80581, judgements__isnull=False).order_by("start_date").last()
    return ["/", "/councils/", "/councils/wirral/", "/regions/north-west/", f"/events/{event.pk}/"]


ROLE_ORDER = ("viewer", "analyst", "editor", "admin")


def pages_by_role():
    """{role: [paths]}: every page a person in that role can open (and the roles below can), demo data."""
    from inspections.models import Event

    latest = Event.objects.filter(council__urn=80581, judgements__isnull=False).order_by("start_date").last()
    sif = Event.objects.get(council__urn=80581, start_date="2016-07-04")
    monitoring = Event.objects.filter(council__urn=80581, kind="monitoring_visit").order_by("start_date").first()
    extra = {
        "viewer": [
            "/",
            "/councils/",
            "/councils/?region=north-west&sort=-published",
            "/councils/wirral/",
            "/councils/northamptonshire/",
            "/regions/north-west/",
            "/regions/london/",
            f"/events/{latest.pk}/",
            f"/events/{sif.pk}/",
            f"/events/{monitoring.pk}/",
            "/map/",
        ],
        "analyst": [
            "/briefings/",
            # The previews hold the briefings' widest tables.
            "/briefings/?scope=region&region=north-west",
            "/briefings/?scope=council&council=wirral",
            "/briefings/?scope=national",
        ],
        "editor": [
            "/reports/upload/",
            "/inspections/new/",
            f"/events/{sif.pk}/edit/",
            "/councils/wirral/history/",
            f"/events/{sif.pk}/history/",
            f"/recommendations/{sif.recommendations.first().pk}/update/",
        ],
        "admin": [
            "/history/deleted/",
            "/admin/",
            "/admin/inspections/event/",
            f"/admin/inspections/event/{sif.pk}/change/",
            "/admin/inspections/council/",
            f"/admin/inspections/council/{sif.council_id}/change/",
            f"/admin/inspections/recommendation/{sif.recommendations.first().pk}/change/",
        ],
    }
    pages, seen = {}, []
    for role in ROLE_ORDER:
        seen = seen + extra[role]
        pages[role] = list(seen)
    return pages


@pytest.fixture
def role_pages(_demo_snapshot):
    return pages_by_role()
