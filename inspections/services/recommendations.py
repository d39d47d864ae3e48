"""Writes to a recommendation's status: a dated update with a note and an evidence link."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Recommendation, RecommendationStatus, RecommendationUpdate
from .events import event_lock, event_version_bump


def recommendation_status_change(
    *, recommendation, status, date, expected_version, note="", evidence_url="", user=None
):
    """Record a dated status change of a recommendation, with a note and optional evidence link.

    `expected_version`: the version of the recommendation's event the editor's form showed (see
    event_lock); required, as for every form that changes an event or what belongs to it.
    Raises ValidationError for an unknown status, a date before the inspection, or (code
    "conflict"/"stale_form") a form overtaken by another change, or one without a version; nothing
    is saved then. Bumps the event's version. Returns the RecommendationUpdate.
    """
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": "Choose open, in progress, met or superseded."})
    if status == recommendation.status and not note.strip() and not evidence_url.strip():
        raise ValidationError({"status": "Choose a new status or add a note"})
    event = recommendation.event
    if event.date and date < event.date:
        raise ValidationError({"date": "The update cannot be dated before the inspection."})
    with transaction.atomic():
        event_lock(event_id=recommendation.event_id, expected_version=expected_version, what="recommendation")
        recommendation = Recommendation.objects.select_related("event").get(pk=recommendation.pk)
        update = RecommendationUpdate(
            recommendation=recommendation,
            date=date,
            status=status,
            note=note.strip(),
            evidence_url=evidence_url.strip(),
            created_by=user,
        )
        update.full_clean()
        update.save()
        latest = recommendation.updates.order_by("-date", "-created_at").first()
        if recommendation.status != latest.status:
            recommendation.status = latest.status
            recommendation.full_clean()
            recommendation.save()
        event_version_bump(event_id=recommendation.event_id)
    return update
