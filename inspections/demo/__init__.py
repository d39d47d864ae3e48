"""Demo data: the councils, the third-party history and the whole Wirral story, from real sources."""

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from inspections.models import Council, Framework
from inspections.record import held_from_record
from inspections.selectors.matching import find_matching_event
from inspections.services import ImportFailed, RowError, event_save, run_import

STORIES = sorted(Path(__file__).parent.glob("*.json"))


def load_story(*, path, dry_run=False):
    """Save every event of a story file (see wirral.json) for its council. Raises ImportFailed."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    council = Council.objects.filter(urn=data["council_urn"]).first()
    if council is None:
        raise ImportFailed(
            Path(path).name, [RowError(0, f"URN {data['council_urn']} is not loaded; load councils first.")]
        )
    frameworks = {f.key: f for f in Framework.objects.all()}

    def apply(summary):
        summary.rows = len(data["events"])
        for number, item in enumerate(data["events"], start=1):
            values = {
                "title": item.get("title") or "",
                "framework": frameworks.get(item.get("framework")) if item.get("framework") else None,
                "inspection_type": item.get("inspection_type") or "",
                "intervention_type": item.get("intervention_type") or "",
                "milestone_type": item.get("milestone_type") or "",
                "start_date": _date(item.get("start_date")),
                "end_date": _date(item.get("end_date")),
                "published_date": _date(item.get("published_date")),
                "date_precision": item.get("date_precision") or "day",
                "lead_inspector": item.get("lead_inspector") or "",
                "focus": item.get("focus") or "",
                "summary": item.get("summary") or "",
                "source_url": item.get("source_url") or "",
                "source_name": item.get("source") or "",
            }
            event = _existing_milestone(council, item, values) or find_matching_event(
                council=council,
                kind=item["kind"],
                start_date=values["start_date"],
                published_date=values["published_date"],
                source_url=values["source_url"],
                date_precision=values["date_precision"],
            )
            # An event read from its report in the shipped record keeps the report's values; the story
            # only adds what the report does not say (a title, a summary, a list the reader missed).
            from_report = held_from_record(event)
            judgements = item.get("judgements") or {}
            recommendations = item.get("recommendations") or []
            if from_report and event.judgements.exists():
                judgements = None
            if from_report and event.recommendations.exists():
                recommendations = None
            try:
                _event, status = event_save(
                    council=council,
                    kind=item["kind"],
                    values=values,
                    judgements=judgements,
                    recommendations=recommendations,
                    fill_only=from_report,
                    event=event,
                    merge=True,
                )
            except ValidationError as exc:
                raise ImportFailed(Path(path).name, [RowError(number, " ".join(exc.messages))]) from exc
            summary.add(status)

    return run_import(source=Path(path).name, dry_run=dry_run, apply=apply)


def _existing_milestone(council, item, values):
    """Milestones and interventions are matched by kind, type and start date (several may share a date)."""
    if item["kind"] not in ("milestone", "intervention"):
        return None
    return council.events.filter(
        kind=item["kind"],
        start_date=values["start_date"],
        milestone_type=values["milestone_type"],
        intervention_type=values["intervention_type"],
    ).first()


def _date(text):
    return date.fromisoformat(text) if text else None


def load_stories(*, dry_run=False):
    """Load every story shipped in this folder, all in one transaction."""
    with transaction.atomic():
        return [load_story(path=path, dry_run=dry_run) for path in STORIES]
