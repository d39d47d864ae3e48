"""Benchmark the England map: SVG size and render time, then the whole Django page, cached and not.

Run: .venv/bin/python bench/bench_map.py [--runs 200] [--page-runs 20]

Part 1 times the pure SVG drawing (``charts.england_map``) with made-up grades. Part 2 times the
real thing against the database in DATABASE_URL (SQLite by default): ``maps.drawing.build_map_chart``
(the four queries and the drawing), ``maps.drawing.england_map_chart`` from the cache, and a signed-in
GET of /map/ with a cold and a warm cache. When that database holds no councils, a throwaway
test database is created and loaded with the demo data first, then dropped. Nothing is saved.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

charts = importlib.import_module("inspections.charts")

GRADES = ["outstanding", "good", "requires_improvement", "inadequate", None]
# Made-up styles for the made-up grades (the real ones come from the Grade rows), and "not judged".
STYLES = [
    *(
        charts.GradeStyle(key, key, colour, pattern)
        for key, colour, pattern in zip(
            GRADES[:-1],
            ["#00703c", "#1d70b8", "#f47738", "#d4351c"],
            ["solid", "hatch", "dots", "crosshatch"],
            strict=True,
        )
    ),
    charts.GradeStyle(charts.NOT_JUDGED, "Not judged", "#b1b4b6", "horizontal"),
]


def sample_values() -> dict[str, charts.MapDistrict]:
    """Every council with a grade picked from its URN, linked to a council page."""
    by_council = {
        urn: charts.MapDistrict(GRADES[int(urn) % len(GRADES)], f"Council {urn}", f"/councils/{urn}/")
        for urn in charts.council_districts()
    }
    return charts.expand_council_values(by_council)


def timed(runs: int, action) -> tuple[float, float, object]:
    """(p50 ms, p95 ms, last result) of calling `action` `runs` times."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], result


def report(label: str, p50: float, p95: float, extra: str = "") -> None:
    print(f"{label:<44} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  {extra}")


def measure(label: str, runs: int, **kwargs) -> None:
    """Print SVG bytes and p50/p95 render time in milliseconds."""
    values = sample_values()
    charts.england_map(values, STYLES, **kwargs)  # warm the geometry cache
    p50, p95, chart = timed(runs, lambda: charts.england_map(values, STYLES, **kwargs))
    report(f"svg only: {label}", p50, p95, f"{len(chart.svg.encode()):>9,} bytes")


def bench_django(page_runs: int) -> None:
    """Time the map with its database queries, from the cache, and as a whole /map/ page."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("TRACKER_ALLOW_DEV_KEY", "1")
    os.environ.setdefault("STATIC_MANIFEST", "0")  # plain static files: no collectstatic needed
    import django

    django.setup()
    from _demo_db import close_demo_database, open_demo_database
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client

    class QueryCount:
        """Count queries around any code, page requests included (connection.queries resets per request)."""

        def __init__(self):
            self.n = 0

        def __call__(self, execute, sql, params, many, context):
            self.n += 1
            return execute(sql, params, many, context)

        def __enter__(self):
            self._cm = connection.execute_wrapper(self)
            self._cm.__enter__()
            return self

        def __exit__(self, *exc):
            return self._cm.__exit__(*exc)

    from inspections.models import Region
    from maps import drawing as maps

    old_name = open_demo_database()
    try:
        today = datetime.date.today()
        north_west = Region.objects.get(code="E12000002")
        cases = [
            ("England, overall, today", {"as_at": today}),
            ("England, overall, 31 December 2016", {"as_at": datetime.date(2016, 12, 31)}),
            ("England, leaders, today", {"as_at": today, "theme_key": "leadership"}),
            ("North West, overall, today", {"as_at": today, "region": north_west}),
        ]
        for label, kwargs in cases:
            with QueryCount() as queries:
                maps.build_map_chart(**kwargs)
            p50, p95, chart = timed(page_runs, lambda kw=kwargs: maps.build_map_chart(**kw))
            report(
                f"uncached (db + svg): {label}",
                p50,
                p95,
                f"{len(chart.svg.encode()):>9,} bytes, {queries.n} queries",
            )
        cache.clear()
        maps.england_map_chart()
        p50, p95, _ = timed(page_runs * 10, maps.england_map_chart)
        report("cached: England, overall, today", p50, p95)

        with transaction.atomic():
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.create_user(username="bench-map-user", password=None)
            client = Client()
            client.force_login(user)

            def page(params=None):
                response = client.get("/map/", params or {}, secure=True, HTTP_HOST="localhost")
                assert response.status_code == 200, response.status_code
                return response

            for label, params in [
                ("/map/", None),
                ("/map/?as_at=2016-12-31&compare=1", {"as_at": "2016-12-31", "compare": "1"}),
            ]:

                def cold(p=params):
                    cache.clear()
                    return page(p)

                page(params)
                with QueryCount() as queries:
                    cold()
                p50, p95, response = timed(page_runs, cold)
                report(
                    f"page, cache cold: {label}",
                    p50,
                    p95,
                    f"{len(response.content):>9,} bytes, {queries.n} queries",
                )
                page(params)
                with QueryCount() as queries:
                    page(params)
                p50, p95, _ = timed(page_runs, lambda p=params: page(p))
                report(f"page, cache warm: {label}", p50, p95, f"{queries.n} queries")
            transaction.set_rollback(True)
    finally:
        close_demo_database(old_name)


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--page-runs", type=int, default=20)
    parser.add_argument("--svg-only", action="store_true", help="Skip the database and page timings.")
    args = parser.parse_args()
    start = time.perf_counter()
    charts.england._map_data()
    print(f"{'load geometry (first call)':<44} {(time.perf_counter() - start) * 1000:.1f} ms")
    measure("England", args.runs)
    measure("North West (E12000002)", args.runs, region_gss="E12000002", highlight="80581")
    measure("London (E12000007)", args.runs, region_gss="E12000007")
    if not args.svg_only:
        bench_django(args.page_runs)


if __name__ == "__main__":
    main()
