"""Writes to timeline events with their judgements and recommendations, and the one locking
scheme every form that changes an event (or what belongs to it) goes through: `Event.version`,
checked under `select_for_update` by `event_lock` and bumped by `event_version_bump`."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import AddressedTo, Event, EventKind, FrameworkArea, Judgement, Recommendation
from ..selectors import matching as selectors_matching
from .imports import UNCHANGED, UPDATED, save_if_changed


def _resolve_judgements(framework, judgements):
    """Map {area key: grade key} to (area, grade) pairs, checking both against the framework."""
    if not judgements:
        return []
    if framework is None:
        raise ValidationError("Record the inspection's framework before its judgements.")
    areas = {fa.area.key: fa.area for fa in FrameworkArea.objects.filter(framework=framework).select_related("area")}
    grades = {g.key: g for g in framework.scale.grades.all()}
    pairs = []
    for area_key, grade_key in judgements.items():
        if area_key not in areas:
            raise ValidationError(f"{framework.short_name} does not judge “{area_key}”.")
        if grade_key not in grades:
            known = ", ".join(grades)
            raise ValidationError(f"“{grade_key}” is not a grade under {framework.short_name} (use one of {known}).")
        pairs.append((areas[area_key], grades[grade_key]))
    return pairs


def event_save(
    *,
    council,
    kind,
    values,
    judgements=None,
    recommendations=None,
    fill_only=False,
    event=None,
    expected_version=None,
    merge=False,
):
    """Create or update one timeline event with its judgements and recommendations.

    `values`: model field values (framework as a Framework or None, dates, lead_inspector, ...).
    `judgements`: {area key: grade key} or None to leave judgements alone.
    `recommendations`: list of {"text", "addressed_to", "priority"} in order (numbered per list), or None.
    `fill_only`: only fill empty fields and missing judgements (for lower-trust third-party data).
    A form: `event` is the event it edited and `expected_version` (required with it) the version it
    showed; a different stored version is a conflict (code "conflict"), none is "stale_form". With
    no `event`, a new event is created, and one we already hold (same report, or same council,
    kind and dates: `find_matching_event`) is refused (code "already_held").
    A loader (`merge=True`, no version): the data is merged into `event`, or into the event we
    already hold, else created; the loader read what it merges into itself, in this transaction.
    Raises ValidationError. Returns (event, status); any change bumps the event's version.
    """
    if merge and expected_version is not None:
        raise TypeError("event_save: a merge holds no form version; pass merge=True or expected_version, not both.")
    try:
        with transaction.atomic():
            if event is not None and not merge:
                event = event_lock(event_id=event.pk, expected_version=expected_version)
            elif event is not None:
                event = _locked(event)
            else:
                held = selectors_matching.event_matching_values(council=council, kind=kind, values=values)
                if held is not None and not merge:
                    raise ValidationError(_already_held(council, kind, held), code="already_held")
                event = Event(council=council, kind=kind) if held is None else _locked(held)
            return _event_apply(
                event,
                values={"council": council, "kind": kind, **values},
                judgements=judgements,
                recommendations=recommendations,
                fill_only=fill_only,
            )
    except IntegrityError as exc:
        # Someone saved the same report or result a moment ago (a second confirm, a double post).
        if selectors_matching.event_matching_values(council=council, kind=kind, values=values):
            raise ValidationError(_already_held(council, kind), code="already_held") from exc
        raise


def _already_held(council, kind, held=None):
    noun = EventKind(kind).label.lower()
    if held is None:  # saved by a concurrent request, after this one looked
        return (
            f"{council.name} already has this {noun}: it was saved a moment ago. "
            "Open it from the council's page to check or change it."
        )
    when = f", {held.date:%-d %B %Y}" if held.date else ""
    return f"{council.name} already has this {noun} ({held.display_title}{when}): change that one instead"


def _locked(event):
    return Event.objects.select_for_update().get(pk=event.pk)


def _event_apply(event, *, values, judgements, recommendations, fill_only):
    """Apply values, judgements and recommendations to `event` (locked, or new); (event, status)."""
    if fill_only and event.pk:
        values = {k: v for k, v in values.items() if v not in (None, "") and getattr(event, k) in (None, "")}
    status = save_if_changed(event, values)
    if judgements is not None:
        if _set_judgements(event, _resolve_judgements(event.framework, judgements), fill_only=fill_only):
            status = UPDATED if status == UNCHANGED else status
    if recommendations is not None:
        if _set_recommendations(event, recommendations):
            status = UPDATED if status == UNCHANGED else status
    if status == UPDATED:
        event.version = event_version_bump(event_id=event.pk)
    return event, status


# One locking scheme: Event.version --------------------------------------------------------------

CONFLICT_MESSAGE = (
    "Someone else changed this {what} while you were working on it. Your changes have not been saved: "
    "check what they changed below, then make your changes again."
)


def event_lock(*, event_id, expected_version, what="event"):
    """The event, locked for this transaction, if it still has `expected_version` (the version the
    form showed: required, a positive whole number). Every form that changes an event, its
    judgements, recommendations or their status updates holds its version, and every write bumps
    it (event_version_bump), so a stale or replayed form is refused, never silently applied.

    Raises Event.DoesNotExist; ValidationError with code "conflict" (changed since) or "stale_form"
    (no version: a form from before this check, or tampered with).
    """
    if not isinstance(expected_version, int) or isinstance(expected_version, bool) or expected_version < 1:
        raise ValidationError(
            "This page is out of date. Your changes have not been saved: open the page again and make them again.",
            code="stale_form",
        )
    event = Event.objects.select_for_update().get(pk=event_id)
    if event.version != expected_version:
        raise ValidationError(CONFLICT_MESSAGE.format(what=what), code="conflict")
    return event


def event_version_bump(*, event_id):
    """Mark event `event_id` (or what belongs to it) changed: the next save of a form loaded before
    this is refused. Called by every write path: services, the Django admin, restores. Returns the
    new version."""
    Event.objects.filter(pk=event_id).update(version=F("version") + 1)
    return Event.objects.filter(pk=event_id).values_list("version", flat=True).first()


def _set_judgements(event, pairs, *, fill_only):
    """Make the event's judgements equal `pairs` (or, with fill_only, add missing ones). True if changed."""
    current = {j.area_id: j for j in event.judgements.all()}
    wanted = {area.pk: (area, grade) for area, grade in pairs}
    changed = False
    new = []
    for area_id, (area, grade) in wanted.items():
        existing = current.get(area_id)
        if existing is None:
            # Area and grade were checked against the framework by _resolve_judgements; one insert for all.
            new.append(Judgement(event=event, area=area, grade=grade))
        elif existing.grade_id != grade.pk and not fill_only:
            existing.grade = grade
            existing.full_clean()
            existing.save()
            changed = True
    if not fill_only:
        for area_id, judgement in current.items():
            if area_id not in wanted:
                judgement.delete()
                changed = True
    if new:
        _create_with_history(Judgement, new)
        changed = True
    return changed


def _create_with_history(model, objects):
    """Insert new rows whose values the service has already checked, with their history rows, in a
    couple of queries (a report's dozen judgements or recommendations one by one, each validated by
    queries, made loading the shipped record of 743 reports take minutes). The database's own
    constraints still hold. The signed-in user, if any, is recorded as for a single save."""
    from simple_history.models import HistoricalRecords
    from simple_history.utils import bulk_create_with_history

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    user = user if getattr(user, "is_authenticated", False) else None
    bulk_create_with_history(objects, model, default_user=user)


def _set_recommendations(event, items):
    """Make the event's recommendation texts equal `items`, numbered within each list.

    A recommendation keeps its row (so its status and status history) when its text is still in
    the list, even if it moved (one above it was removed), or when its text was edited in place
    (same number). True if changed.
    """
    counters = {}
    wanted = {}
    priorities = {}
    for item in items:
        addressed_to = item.get("addressed_to") or AddressedTo.COUNCIL
        if addressed_to not in AddressedTo.values:
            raise ValidationError(
                f"A recommendation must be addressed to the council or the LSCB, not “{addressed_to}”."
            )
        text = (item.get("text") or "").strip()
        if not text:
            raise ValidationError("A recommendation cannot be empty.")
        counters[addressed_to] = counters.get(addressed_to, 0) + 1
        wanted[(addressed_to, counters[addressed_to])] = text
        priorities[(addressed_to, counters[addressed_to])] = bool(item.get("priority"))
    current = list(event.recommendations.all())
    by_text = {}
    for rec in current:
        by_text.setdefault((rec.addressed_to, rec.text), []).append(rec)
    rows = {}
    for key, text in wanted.items():
        same_text = by_text.get((key[0], text))
        if same_text:
            rows[key] = same_text.pop(0)
    used = {rec.pk for rec in rows.values()}
    by_number = {(rec.addressed_to, rec.number): rec for rec in current if rec.pk not in used}
    for key in wanted:
        if key not in rows and key in by_number:
            rows[key] = by_number.pop(key)
    changed = False
    kept = {rec.pk for rec in rows.values()}
    for rec in current:
        if rec.pk not in kept:
            rec.delete()
            changed = True
    # Rows that move are parked on free numbers first: (event, list, number) is unique.
    moving = [(key, rec) for key, rec in rows.items() if rec.number != key[1]]
    for offset, (_key, rec) in enumerate(moving, start=1):
        rec.number = 1000 + offset
        rec.save(update_fields=["number"])
    new = []
    for key, text in wanted.items():
        rec = rows.get(key)
        if rec is None:
            # List, number and text are checked above; numbers are unique within each list.
            new.append(
                Recommendation(event=event, addressed_to=key[0], number=key[1], text=text, priority=priorities[key])
            )
            continue
        if rec.number == key[1] and rec.text == text and rec.priority == priorities[key]:
            continue
        rec.number, rec.text, rec.priority = key[1], text, priorities[key]
        rec.full_clean()
        rec.save()
        changed = True
    if new:
        _create_with_history(Recommendation, new)
        changed = True
    return changed
