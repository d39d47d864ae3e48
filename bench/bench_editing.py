"""Benchmark the editing part: history pages, a recommendation status update, deleting and
restoring an event, and the 503 answer while the database is unreachable.

Run: .venv/bin/python bench/bench_editing.py [--runs 20]

A temporary SQLite database (or, with DATABASE_URL, a new `bench_editing_<pid>` database on that
PostgreSQL server) is migrated and loaded with the demo data, then dropped. Prints server time
p50/p95 and the queries of each page, through Django's test client signed in as an admin.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_database():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg2

        base, _, _name = url.rpartition("/")
        name = f"bench_editing_{os.getpid()}"
        admin = psycopg2.connect(f"{base}/postgres")
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        admin.close()
        os.environ["DATABASE_URL"] = f"{base}/{name}"

        def drop():
            admin = psycopg2.connect(f"{base}/postgres")
            admin.autocommit = True
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

        return drop
    handle = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115
    os.environ["DATABASE_URL"] = f"sqlite:///{handle.name}"
    return lambda: os.unlink(handle.name)


def timed(client, method, url, runs, data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, status = [], 0, None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url) if method == "GET" else client.post(url, data or {})
            times.append((time.perf_counter() - started) * 1000)
        queries, status = len(ctx), response.status_code
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, queries, status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    drop = setup_database()
    os.environ.setdefault("TRACKER_ALLOW_DEV_KEY", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ["AXES_ENABLED"] = "0"
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["STATIC_MANIFEST"] = "0"
    try:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from django.db.models import Count
        from django.test import Client

        from inspections import audit, services
        from inspections.models import Council, Event, Recommendation

        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        user = get_user_model().objects.create_user("bench-admin", password=None, is_staff=True)
        user.groups.add(Group.objects.get(name="admin"))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)

        wirral = Council.objects.get(urn=80581)
        busiest = Council.objects.annotate(n=Count("events")).order_by("-n").first()
        event = wirral.events.annotate(n=Count("recommendations")).order_by("-n").first()
        rec = Recommendation.objects.filter(event=event).first()
        print(f"{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} status")
        rows = [
            ("council history (Wirral)", "GET", f"/councils/{wirral.slug}/history/"),
            (f"council history ({busiest.name}, most events)", "GET", f"/councils/{busiest.slug}/history/"),
            ("event history (Wirral, most recommendations)", "GET", f"/events/{event.pk}/history/"),
            ("recommendation update form", "GET", f"/recommendations/{rec.pk}/update/"),
            ("deleted records", "GET", "/history/deleted/"),
        ]
        for label, method, url in rows:
            p50, p95, queries, status = timed(client, method, url, args.runs)
            print(f"{label:<44} {p50:8.1f} {p95:8.1f} {queries:8d} {status}")

        # One status update (the form's event version makes each a fresh, deliberate post).
        times = []
        for day in range(1, min(args.runs, 28) + 1):
            rec.refresh_from_db()
            data = {
                "seen": type(rec.event).objects.values_list("version", flat=True).get(pk=rec.event_id),
                "status": "in_progress" if day % 2 else "met",
                "date_day": str(day),
                "date_month": "3",
                "date_year": "2025",
                "note": "Bench update.",
            }
            started = time.perf_counter()
            assert client.post(f"/recommendations/{rec.pk}/update/", data).status_code == 302
            times.append((time.perf_counter() - started) * 1000)
        print(f"{'recommendation status update (POST)':<44} {statistics.median(times):8.1f}")

        children = event.judgements.count() + event.recommendations.count()
        started = time.perf_counter()
        pk = event.pk
        Event.objects.get(pk=pk).delete()
        deleted_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        restored = services.record_restore(kind="event", object_id=pk, user=user)
        restored_ms = (time.perf_counter() - started) * 1000
        print(
            f"delete an event with {children} judgements/recommendations: {deleted_ms:.0f} ms; "
            f"restore it ({len(restored)} records back): {restored_ms:.0f} ms"
        )
        history_rows = sum(
            m.history.count() for m in (Council, Event, Recommendation, audit.Judgement, audit.RecommendationUpdate)
        )
        print(f"history rows in the database: {history_rows}")
    finally:
        from django.db import connections

        connections.close_all()
        drop()


if __name__ == "__main__":
    main()
