"""Read-only JSON API for analysts and scripts; any signed-in role may read it."""

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from . import selectors
from .cache import cached
from .models import Council


def _iso(value):
    return value.isoformat() if value else None


def _latest(event):
    if event is None:
        return None
    return {
        "start_date": _iso(event.start_date),
        "published_date": _iso(event.published_date),
        "framework": event.framework.key if event.framework_id else None,
        "inspection_type": event.inspection_type or None,
        "judgements": selectors.judgements_by_area(event),
    }


def _council(council, latest):
    return {
        "urn": council.urn,
        "name": council.name,
        "slug": council.slug,
        "region": council.region.name,
        "la_code": council.la_code,
        "gss_code": council.gss_code,
        "council_type": council.council_type or None,
        "is_active": council.is_active,
        "latest": _latest(latest),
    }


def _event(event):
    return {
        "id": event.pk,
        "kind": event.kind,
        "title": event.display_title,
        "framework": event.framework.key if event.framework_id else None,
        "inspection_type": event.inspection_type or None,
        "intervention_type": event.intervention_type or None,
        "milestone_type": event.milestone_type or None,
        "start_date": _iso(event.start_date),
        "end_date": _iso(event.end_date),
        "published_date": _iso(event.published_date),
        "date_precision": event.date_precision,
        "lead_inspector": event.lead_inspector or None,
        "inspectors": list(event.inspectors or []),
        "focus_key": event.focus_key or None,
        "focus": event.focus or None,
        "summary": event.summary or None,
        "judgements": selectors.judgements_by_area(event),
        "recommendations": [
            {
                "number": rec.number,
                "text": rec.text,
                "addressed_to": rec.addressed_to,
                "priority": rec.priority,
                "status": rec.standing,
                "status_recorded": rec.status,
                "updates": [
                    {"date": _iso(u.date), "status": u.status, "note": u.note, "evidence_url": u.evidence_url or None}
                    for u in rec.updates.all()
                ],
            }
            for rec in event.recommendations.all()
        ],
        "source_url": event.source_url or None,
    }


@require_GET
def council_list(request):
    """GET /api/councils/: every council with its latest graded inspection."""
    councils = Council.objects.with_region().order_by("name")
    latest = selectors.latest_graded_inspections(councils=Council.objects.all())
    data = [_council(c, latest.get(c.pk)) for c in councils]
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})


@require_GET
def council_detail(request, urn):
    """GET /api/councils/<urn>/: one council, its neighbours and every event in date order.
    The JSON is kept per data version (scripts ask for the same council again and again)."""

    def build():
        council = selectors.council_with_relations(urn=urn)
        timeline = selectors.council_timeline(council=council)
        latest = next((e for e in reversed(timeline) if e.kind == "inspection" and e.judgements.all()), None)
        data = _council(council, latest)
        data["statistical_neighbours"] = [link.neighbour.urn for link in council.neighbour_links.all()]
        data["predecessors"] = [c.urn for c in council.predecessors.all()]
        data["successors"] = [c.urn for c in council.successors.all()]
        data["events"] = [_event(e) for e in timeline]
        return json.dumps(data, ensure_ascii=False).encode()

    try:
        body = cached("api:council", build, urn)
    except Council.DoesNotExist:
        raise Http404(f"No council has URN {urn}.") from None
    return HttpResponse(body, content_type="application/json")
