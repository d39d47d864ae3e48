"""Grow the demo data about tenfold, for query-count tests and benchmarks: `make_bigger_dataset()`.

Council codes are three digits, so there can be at most 1,000 councils: we add as many as the free
LA codes allow (about 840, each a copy of a real council's story in the same region, with ten
statistical neighbours) and give every council extra monitoring visits, which brings events to
about ten times the demo and judgements and recommendations to about six times. Bulk inserts:
no history rows and no signals, so callers that cache must clear the cache themselves.

Run on its own: `DATABASE_URL=... .venv/bin/python scripts/make_bigger_dataset.py` (after load_demo).
"""

import datetime
import os
import sys
from pathlib import Path

VISITS_PER_COUNCIL = 6


def make_bigger_dataset(*, max_new_councils=840, visits_per_council=VISITS_PER_COUNCIL):
    """Add generated councils, events, judgements, recommendations and neighbours. Returns counts added.

    Expects the demo data (load_demo) to be loaded. Idempotent only in the sense that it refuses to
    run twice: a second call raises RuntimeError.
    """
    from django.db import transaction

    from inspections.models import (
        Council,
        Event,
        EventKind,
        Judgement,
        Recommendation,
        StatisticalNeighbour,
    )

    if Council.objects.filter(name__startswith="Generated ").exists():
        raise RuntimeError("The bigger dataset is already loaded.")
    sources = list(Council.objects.active().order_by("pk"))
    if not sources:
        raise RuntimeError("Load the demo data first (manage.py load_demo).")
    used_codes = set(Council.objects.values_list("la_code", flat=True))
    free_codes = [f"{n:03d}" for n in range(1000) if f"{n:03d}" not in used_codes][:max_new_councils]

    with transaction.atomic():
        Council.objects.bulk_create(
            Council(
                urn=9_100_000 + i,
                name=f"Generated {source.name} {i}",
                slug=f"generated-{source.slug}-{i}",
                la_code=code,
                gss_code=f"E99{i:06d}",
                region_id=source.region_id,
                council_type=source.council_type,
            )
            for i, (code, source) in enumerate(zip(free_codes, sources * 10))
        )
        new = list(Council.objects.filter(name__startswith="Generated ").order_by("urn"))
        source_of = {c.pk: sources[i % len(sources)] for i, c in enumerate(new)}

        neighbours = []
        for i, council in enumerate(new):
            ring = [new[(i + k) % len(new)] for k in range(1, 11)]
            neighbours += [StatisticalNeighbour(council=council, neighbour=n, rank=r) for r, n in enumerate(ring, 1)]
        StatisticalNeighbour.objects.bulk_create(neighbours)

        # Copy each source council's events, then their judgements and recommendations.
        events = list(Event.objects.filter(council__in=sources).order_by("pk"))
        by_council = {}
        for event in events:
            by_council.setdefault(event.council_id, []).append(event)
        copies, originals = [], []
        for council in new:
            for event in by_council.get(source_of[council.pk].pk, []):
                copy = Event(
                    **{
                        f.attname: getattr(event, f.attname)
                        for f in Event._meta.concrete_fields
                        if f.attname not in ("id", "council_id", "created_at", "updated_at")
                    }
                )
                copy.council_id = council.pk
                copies.append(copy)
                originals.append(event.pk)
        Event.objects.bulk_create(copies, batch_size=500)
        copied = list(
            Event.objects.filter(council__in=new).order_by("pk").values_list("pk", flat=True)
        )  # bulk_create ids are not returned on every backend
        pairs = list(zip(originals, copied, strict=True))
        judgements = {}
        for j in Judgement.objects.filter(event_id__in={o for o, _ in pairs}).values("event_id", "area_id", "grade_id"):
            judgements.setdefault(j["event_id"], []).append(j)
        recommendations = {}
        for r in Recommendation.objects.filter(event_id__in={o for o, _ in pairs}).values(
            "event_id", "addressed_to", "number", "text", "status"
        ):
            recommendations.setdefault(r["event_id"], []).append(r)
        Judgement.objects.bulk_create(
            (
                Judgement(event_id=copy, area_id=j["area_id"], grade_id=j["grade_id"])
                for original, copy in pairs
                for j in judgements.get(original, [])
            ),
            batch_size=1000,
        )
        Recommendation.objects.bulk_create(
            (
                Recommendation(**{**r, "event_id": copy})
                for original, copy in pairs
                for r in recommendations.get(original, [])
            ),
            batch_size=1000,
        )

        # Extra monitoring visits for every council, on dates no demo event uses.
        visits = [
            Event(
                council=council,
                kind=EventKind.MONITORING_VISIT,
                start_date=datetime.date(2004, 1, 5) + datetime.timedelta(days=37 * k),
                published_date=datetime.date(2004, 2, 20) + datetime.timedelta(days=37 * k),
                focus="Generated visit for load testing",
            )
            for council in [*sources, *new]
            for k in range(visits_per_council)
        ]
        Event.objects.bulk_create(visits, batch_size=1000)
    return {
        "councils": len(new),
        "events": len(copies) + len(visits),
        "neighbours": len(neighbours),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("TRACKER_ALLOW_DEV_KEY", "1")
    import django

    django.setup()
    print(make_bigger_dataset())
