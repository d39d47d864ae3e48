"""Benchmark the England map: SVG size and render time, national and one region.

Run: .venv/bin/python bench/bench_map.py [--runs 200]
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

charts = importlib.import_module("inspections.charts")

GRADES = ["outstanding", "good", "requires_improvement", "inadequate", None]


def sample_values() -> dict[str, charts.MapDistrict]:
    """Every council with a grade picked from its URN, linked to a council page."""
    by_council = {
        urn: charts.MapDistrict(GRADES[int(urn) % len(GRADES)], f"Council {urn}", f"/councils/{urn}/")
        for urn in charts.council_districts()
    }
    return charts.expand_council_values(by_council)


def measure(label: str, runs: int, **kwargs) -> None:
    """Print SVG bytes and p50/p95 render time in milliseconds."""
    values = sample_values()
    charts.england_map(values, **kwargs)  # warm the geometry cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        chart = charts.england_map(values, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{label:<28} {len(chart.svg.encode()):>9,} bytes  p50 {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    start = time.perf_counter()
    charts._map_data()
    print(f"{'load geometry (first call)':<28} {(time.perf_counter() - start) * 1000:.1f} ms")
    measure("England", args.runs)
    measure("North West (E12000002)", args.runs, region_gss="E12000002", highlight="80581")
    measure("London (E12000007)", args.runs, region_gss="E12000007")


if __name__ == "__main__":
    main()
