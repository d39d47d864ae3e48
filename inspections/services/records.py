"""Bringing back deleted records (councils, events, judgements, recommendations, status updates)
from their last history row, with what was deleted along with them."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..audit import CASCADE_WINDOW, DELETED, KINDS, RESTORED_REASON
from ..models import Event
from .events import event_version_bump


def record_restore(*, kind, object_id, user=None):
    """Bring back a deleted record from its last history row, with what was deleted along with it
    (an event's judgements and recommendations, a recommendation's updates).

    `kind`: a key of KINDS ("council", "event", "judgement", "recommendation", "update").
    Returns the list of restored instances, the requested one first. Raises ValidationError (and
    restores nothing) when the record is not deleted, the record it belongs to is itself deleted,
    or a record entered since would clash with it.
    """
    if kind not in KINDS:
        raise ValidationError("There is no such kind of record to restore.")
    restored = []
    with transaction.atomic():
        _restore(KINDS[kind], object_id, user, restored)
        # A form loaded before the restore must not save over it (event_lock).
        for event_id in {_restored_event_id(instance) for instance in restored} - {None}:
            event_version_bump(event_id=event_id)
    return restored


def _restored_event_id(instance):
    """The event a restored record belongs to (None for a council)."""
    if isinstance(instance, Event):
        return instance.pk
    if hasattr(instance, "event_id"):
        return instance.event_id
    recommendation = getattr(instance, "recommendation", None)
    return recommendation.event_id if recommendation is not None else None


def _restore(kind, object_id, user, restored):
    model = kind.model
    if model.objects.filter(pk=object_id).exists():
        raise ValidationError(f"This {kind.label} has not been deleted: it may have been restored already.")
    last = model.history.filter(id=object_id).order_by("-history_date", "-history_id").first()
    if last is None or last.history_type != DELETED:
        raise ValidationError(f"There is no deleted {kind.label} with that number to restore.")
    instance = last.instance
    if kind.parent_field:
        parent = KINDS[kind.parent_kind]
        parent_id = getattr(instance, f"{kind.parent_field}_id")
        if not parent.model.objects.filter(pk=parent_id).exists():
            raise ValidationError(f"The {parent.label} this {kind.label} belonged to is deleted: restore it first.")
    if kind.key == "update" and instance.created_by_id is not None:
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(pk=instance.created_by_id).exists():
            instance.created_by = None
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationError(f"This {kind.label} cannot be restored: {' '.join(exc.messages)}") from exc
    instance._change_reason = RESTORED_REASON
    if user is not None:
        instance._history_user = user
    instance.save(force_insert=True)
    # Saving stamps `created_at` with now; the record was created when it was first created.
    if any(f.name == "created_at" for f in model._meta.concrete_fields):
        model.objects.filter(pk=object_id).update(created_at=last.created_at)
    restored.append(instance)

    for child_key in kind.children:
        child = KINDS[child_key]
        rows = child.model.history.filter(**{f"{child.parent_field}_id": object_id}).order_by(
            "id", "history_date", "history_id"
        )
        latest = {}
        for row in rows:
            latest[row.id] = row
        for row in latest.values():
            deleted_with_it = (
                row.history_type == DELETED
                and last.history_date - CASCADE_WINDOW <= row.history_date <= last.history_date
            )
            if deleted_with_it and not child.model.objects.filter(pk=row.id).exists():
                _restore(child, row.id, user, restored)
