"""Benchmark PDF briefings: a council briefing made for the first time, beside WeasyPrint's floor.

Run: .venv/bin/python bench/bench_briefings.py [--councils 12] [--floor-runs 20]

The floor is the time WeasyPrint takes to print a one-page document with one paragraph. A
council briefing is timed the first time it is made for each of several different councils (no
cached PDF: the data is read, the HTML rendered and the PDF printed, as printing.build_and_print
does for the web and the zip command, with the garbage collector held off), after one warm-up briefing
so the process has loaded its fonts, as a web worker would have. The targets: a council p50 within 5×
the floor, a region within 15× and England within 40× (each printed with its ratio); a cached
council briefing is timed too. Each ratio is also given in CPU time of this process ("CPU"): on a
shared machine a busy neighbour slows the wall clock unevenly, the CPU time much less.

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
    parser.add_argument("--floor-runs", type=int, default=20)
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

        floor_cpu, totals_cpu = [], []

        def floor_once():
            start, start_cpu = time.perf_counter(), time.process_time()
            weasyprint.HTML(string="<p>One paragraph of text on one page.</p>").write_pdf()
            floor_cpu.append(time.process_time() - start_cpu)
            return time.perf_counter() - start

        # Floor and briefings are measured in turn, so a busy machine slows both alike.
        floor, totals, data, html, pdf = [], [], [], [], []
        for slug in chosen:
            floor.append(floor_once())
            cache.clear()
            t0, cpu0 = time.perf_counter(), time.process_time()
            with printing.collector_paused():  # as printing.build_and_print, here phase by phase
                briefing = council_briefing(slug=slug, options=options)
                t1 = time.perf_counter()
                markup = printing.render_html(briefing)
                t2 = time.perf_counter()
                printing.html_to_pdf(markup)
            t3 = time.perf_counter()  # after the young-generation collection that ends the pause
            totals_cpu.append(time.process_time() - cpu0)
            totals.append(t3 - t0)
            data.append(t1 - t0)
            html.append(t2 - t1)
            pdf.append(t3 - t2)
        floor += [floor_once() for _ in range(max(0, args.floor_runs - len(floor)))]
        floor_p50, floor_cpu_p50 = statistics.median(floor), statistics.median(floor_cpu)
        report("floor: one page, one paragraph (WeasyPrint)", floor, f"CPU p50 {floor_cpu_p50 * 1000:.0f} ms")
        ratio = statistics.median(totals) / floor_p50
        cpu_ratio = statistics.median(totals_cpu) / floor_cpu_p50
        report(
            f"council briefing, first time ({len(chosen)} councils)",
            totals,
            f"= {ratio:.1f}x floor (target 5x); CPU {cpu_ratio:.1f}x",
        )
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
            times, cpu = [], []
            for _ in range(3):
                cache.clear()
                start, start_cpu = time.perf_counter(), time.process_time()
                printing.area_briefing_pdf(options=document.default_options(kind), **kwargs)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            report(
                label,
                times,
                f"= {statistics.median(times) / floor_p50:.1f}x floor (target {target}x); "
                f"CPU {statistics.median(cpu) / floor_cpu_p50:.1f}x",
            )
    finally:
        close_demo_database(old_name)


if __name__ == "__main__":
    main()
