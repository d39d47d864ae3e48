"""Benchmark PDF briefings: a council briefing made for the first time, beside WeasyPrint's floor.

Run: .venv/bin/python bench/bench_briefings.py [--councils 12] [--floor-runs 8]

The floor is the time WeasyPrint takes to print a one-page document with one paragraph. A
council briefing is timed the first time it is made for each of several different councils (no
cached PDF: the data is read, the HTML rendered and the PDF printed, as printing.build_and_print
does for the web and the zip command, with the garbage collector held off), after one warm-up briefing
so the process has loaded its fonts, as a web worker would have. The targets: a council p50 within 5×
the floor, a region within 15× and England within 40× (each printed with its ratio); a cached
council briefing is timed too. Each ratio is also given in CPU time of this process ("CPU"): on a
shared machine a busy neighbour slows the wall clock unevenly, the CPU time much less.

Each briefing is timed between two floors, and its ratio is to the mean of those two: a shared
machine's speed drifts by a quarter over minutes, which a floor measured once, or at another time,
would put into the ratio. The ratio printed is the median of these paired ratios.

Uses the database in DATABASE_URL (SQLite by default); when it holds no councils, a throwaway
test database is created and loaded with the demo data first, then dropped. Nothing is saved.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def report(label, times, extra=""):
    print(f"{label:<52} p50 {statistics.median(times) * 1000:7.0f} ms  p95 {p(times, 0.95) * 1000:7.0f} ms  {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=12, help="how many different councils to time")
    parser.add_argument("--floor-runs", type=int, default=8, help="floors besides those either side of a briefing")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("TRACKER_ALLOW_DEV_KEY", "1")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    import django

    django.setup()
    import weasyprint
    from _demo_db import close_demo_database, open_demo_database
    from django.core.cache import cache

    from briefings import document, printing
    from briefings.council import council_briefing
    from inspections.models import Council, Region

    old_name = open_demo_database()
    try:
        start = time.perf_counter()
        weasyprint.HTML(string="<p>Warm-up.</p>").write_pdf()
        print(f"{'WeasyPrint first document in this process':<52} {(time.perf_counter() - start) * 1000:7.0f} ms")

        options = document.default_options("council")
        councils = list(Council.objects.active().order_by("urn").values_list("slug", flat=True))
        step = max(1, len(councils) // args.councils)
        chosen = ["wirral"] + [slug for slug in councils[::step] if slug != "wirral"][: args.councils - 1]

        start = time.perf_counter()
        printing.render_pdf(council_briefing(slug="hartlepool", options=options))
        print(
            f"{'first briefing in this process (fonts, stylesheet)':<52} {(time.perf_counter() - start) * 1000:7.0f} ms"
        )

        floor, floor_cpu = [], []  # every floor measured, for its p50

        def floor_once():
            start, start_cpu = time.perf_counter(), time.process_time()
            weasyprint.HTML(string="<p>One paragraph of text on one page.</p>").write_pdf()
            floor_cpu.append(time.process_time() - start_cpu)
            floor.append(time.perf_counter() - start)
            return floor[-1]

        def paired(measure):
            """(wall, CPU, wall ratio, CPU ratio) of `measure()`, each ratio to the floors either side of it."""
            before, before_cpu = floor_once(), floor_cpu[-1]
            wall, cpu = measure()
            after, after_cpu = floor_once(), floor_cpu[-1]
            return wall, cpu, wall / ((before + after) / 2), cpu / ((before_cpu + after_cpu) / 2)

        totals, totals_cpu, ratios, cpu_ratios, data, html = [], [], [], [], [], []

        def council_once(slug):
            cache.clear()
            t0, cpu0 = time.perf_counter(), time.process_time()
            with printing.collector_paused():  # as printing.build_and_print, here phase by phase
                briefing = council_briefing(slug=slug, options=options)
                t1 = time.perf_counter()
                markup = printing.render_html(briefing)
                t2 = time.perf_counter()
                printing.html_to_pdf(markup)
            # timed to after the young-generation collection that ends the pause
            data.append(t1 - t0)
            html.append(t2 - t1)
            return time.perf_counter() - t0, time.process_time() - cpu0

        for slug in chosen:
            wall, cpu, ratio, cpu_ratio = paired(lambda slug=slug: council_once(slug))
            totals.append(wall)
            totals_cpu.append(cpu)
            ratios.append(ratio)
            cpu_ratios.append(cpu_ratio)
        for _ in range(args.floor_runs):
            floor_once()
        floor_cpu_p50 = statistics.median(floor_cpu) * 1000
        report("floor: one page, one paragraph (WeasyPrint)", floor, f"CPU p50 {floor_cpu_p50:.0f} ms")
        report(
            f"council briefing, first time ({len(chosen)} councils)",
            totals,
            f"= {statistics.median(ratios):.1f}x floor (target 5x); CPU {statistics.median(cpu_ratios):.1f}x",
        )
        pdf = [t - d - h for t, d, h in zip(totals, data, html, strict=True)]
        report("  of which data (selectors)", data)
        report("  of which HTML (templates)", html)
        report("  of which PDF (WeasyPrint)", pdf)

        cache.clear()
        printing.council_briefing_pdf(slug="wirral", options=options)
        cached = []
        for _ in range(50):
            start = time.perf_counter()
            printing.council_briefing_pdf(slug="wirral", options=options)
            cached.append(time.perf_counter() - start)
        report("council briefing, cached (Wirral)", cached)

        north_west = Region.objects.get(slug="north-west")
        for label, kwargs, kind, target in [
            ("region briefing, first time (North West)", {"region": north_west}, "region", 15),
            ("national briefing, first time (England)", {"region": None}, "national", 40),
        ]:

            def area_once(kwargs=kwargs, kind=kind):
                cache.clear()
                start, start_cpu = time.perf_counter(), time.process_time()
                printing.area_briefing_pdf(options=document.default_options(kind), **kwargs)
                return time.perf_counter() - start, time.process_time() - start_cpu

            runs = [paired(area_once) for _ in range(5)]
            report(
                label,
                [wall for wall, _cpu, _r, _c in runs],
                f"= {statistics.median(r for _w, _c, r, _x in runs):.1f}x floor (target {target}x); "
                f"CPU {statistics.median(c for _w, _x, _r, c in runs):.1f}x",
            )
    finally:
        close_demo_database(old_name)


if __name__ == "__main__":
    main()
