"""Load the whole shipped record (load_demo) into a fresh SQLite database, twice: wall and CPU seconds.

Target: the first load in 30 s or less on SQLite; the second changes nothing ("No changes").
Also prints what the record holds: events by kind, and the issue's data targets.
"""

import datetime
import os
import resource
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")
DB = Path(tempfile.mkdtemp()) / "bench_record.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for run in ("first", "second"):
        out = StringIO()
        wall, used = time.perf_counter(), cpu()
        call_command("load_demo", stdout=out)
        wall, used = time.perf_counter() - wall, cpu() - used
        lines = [line for line in out.getvalue().splitlines() if not line.startswith("Warning")]
        print(f"load_demo, {run} run: {wall:.1f} s wall, {used:.1f} s CPU (target 30 s)")
        for line in lines:
            print(f"  {line}")

    from collections import Counter

    from inspections.models import Event, EventKind
    from maps.selectors import map_entries, map_themes

    kinds = Counter(Event.objects.values_list("kind", flat=True))
    print("events by kind:", ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    era = Event.objects.inspections().with_sort_date().filter(sort_date__year__range=(2014, 2018))
    graded = era.filter(judgements__area__key="overall_effectiveness").distinct().count()
    print(f"2014-18 inspections with an overall grade: {graded} of {era.count()} ({100 * graded / era.count():.1f}%)")
    theme = next(t for t in map_themes() if t.key == "overall")
    entries = map_entries(theme=theme, as_at=datetime.date(2016, 12, 31))
    with_grade = sum(1 for e in entries if e.judgement is not None)
    with_inspection = sum(1 for e in entries if e.event is not None)
    print(
        f"map as at 31 December 2016: {with_grade} of {len(entries)} councils with an overall grade, "
        f"{with_inspection} with a graded inspection (the rest of those: not judged overall)"
    )
    visits = set(Event.objects.filter(kind=EventKind.FOCUSED_VISIT).values_list("council_id", flat=True))
    print(f"councils with focused visits on their timeline: {len(visits)}")
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
