"""Benchmark the intake: reports read per second through the sandboxed reader pool on one core,
the whole pipeline (read, match the council, find the duplicate; a dry run, nothing saved), and
what hostile files cost under the limits.

Run: .venv/bin/python bench/bench_intake.py [--rounds 5] [--dir tests/reportreader/reports] [--no-hostile]

The process and its reader children are pinned to one CPU core (os.sched_setaffinity), so the
rate is what one core delivers. Part 2 uses the database in DATABASE_URL (SQLite by default), or
a throwaway demo copy when that holds no councils. Part 3 prints the wall-clock time and peak
memory of the reader child for a deflate bomb, an operator-heavy page and a page-tree loop under
the default limits (READER_* settings).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake.sandbox import MB, Limits, ReaderPool  # noqa: E402
from reportreader import ReportError, read_report  # noqa: E402


def pin_to_one_core():
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU core {core}"
    return "not pinned (no sched_setaffinity here)"


def files_in(folder):
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.pdf"))]


def cpu_seconds():
    """CPU time of this process and its children that have exited (RUSAGE_CHILDREN counts only
    those, so a pool is closed before this is read)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rate(label, count, seconds, cpu=None):
    per_cpu = f", {count / cpu:5.1f} per CPU-second" if cpu else ""
    print(f"{label:<52} {count / seconds:6.1f} reports/s wall{per_cpu}  ({count} in {seconds:.2f} s)")


def bench_reader(files, rounds):
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in range(rounds):
        for name, data in files:
            with contextlib.suppress(ReportError):
                read_report(data, filename=name)
    rate("reader in process (no limits)", len(files) * rounds, time.perf_counter() - started, cpu_seconds() - cpu)

    pool = ReaderPool(size=1, limits=Limits())
    started = time.perf_counter()
    pool.read(files[0][1], files[0][0])
    print(f"{'first read (starts the reader child)':<58} {(time.perf_counter() - started) * 1000:6.0f} ms")
    pool.close()
    pool = ReaderPool(size=1, limits=Limits())
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in range(rounds):
        for name, data in files:
            with contextlib.suppress(ReportError):
                pool.read(data, name)
    seconds = time.perf_counter() - started
    pool.close()  # the child's CPU time is counted once it has exited
    rate("sandboxed pool, 1 child, default limits", len(files) * rounds, seconds, cpu_seconds() - cpu)


def bench_pipeline(files, rounds):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("TRACKER_ALLOW_DEV_KEY", "1")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    import django

    django.setup()
    sys.path.insert(0, str(ROOT / "bench"))
    from _demo_db import close_demo_database, open_demo_database

    from inspections.models import Framework
    from intake.models import Source
    from intake.pipeline import DRY_RUN, intake_file
    from intake.reports import council_index

    old = open_demo_database()
    try:
        index = council_index()
        frameworks = {f.key: f for f in Framework.objects.all()}
        intake_file(data=files[0][1], filename=files[0][0], source=Source.COMMAND, mode=DRY_RUN, index=index)
        from intake import sandbox

        for pool in sandbox._pools.values():  # a fresh child, so its CPU time is this loop's alone
            pool.close()
        started, cpu = time.perf_counter(), cpu_seconds()
        for _ in range(rounds):
            for name, data in files:
                intake_file(
                    data=data, filename=name, source=Source.COMMAND, mode=DRY_RUN, index=index, frameworks=frameworks
                )
        seconds = time.perf_counter() - started
        for pool in sandbox._pools.values():
            pool.close()
        rate("whole pipeline (sandbox + match + duplicate)", len(files) * rounds, seconds, cpu_seconds() - cpu)
    finally:
        close_demo_database(old)


def child_peak_mb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench_hostile():
    sys.path.insert(0, str(ROOT))
    from tests.intake import hostile

    limits = Limits()
    print(
        f"limits: wall-clock {limits.wall_seconds:g} s, CPU {limits.cpu_seconds:g} s, "
        f"memory {limits.memory_bytes // MB} MB per reader child"
    )
    for label, make in (
        ("deflate bomb (2 MB inflating to 2 GB)", lambda: hostile.deflate_bomb(2048)),
        ("operator-heavy page (3 million text runs)", lambda: hostile.operator_heavy(3_000_000)),
        ("operator-heavy page (1.5 million text runs)", lambda: hostile.operator_heavy(1_500_000)),
        ("page-tree loop", hostile.page_tree_loop),
    ):
        data = make()
        pool = ReaderPool(size=1, limits=limits)
        pool.read(files_in(ROOT / "tests" / "reportreader" / "reports")[0][1])  # start the child first
        started = time.perf_counter()
        try:
            pool.read(data, "hostile.pdf")
            outcome = "read (!)"
        except ReportError as error:
            outcome = error.reason
        seconds = time.perf_counter() - started
        pool.close()
        print(f"{label:<44} {len(data) / 1024:8.0f} KB  {seconds:5.2f} s  -> {outcome}")
    print(f"peak memory of any reader child: {child_peak_mb():.0f} MB (the limit is on address space)")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=ROOT / "tests" / "reportreader" / "reports")
    parser.add_argument("--no-hostile", action="store_true")
    args = parser.parse_args(argv)
    print(pin_to_one_core())
    files = files_in(args.dir)
    if not files:
        print(f"no .pdf files in {args.dir}")
        return 1
    bench_reader(files, args.rounds)
    bench_pipeline(files, args.rounds)
    if not args.no_hostile:
        bench_hostile()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
