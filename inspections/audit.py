"""The audit trail: who changed what and when (from django-simple-history), and which deleted
records can be restored (`services.record_restore` brings them back).

Every council, event, judgement, recommendation and recommendation update has a `history` of
"+" (created), "~" (changed) and "-" (deleted) records, each with the user and the full row.
Selectors here turn those rows into readable entries ("Grade: Good → Inadequate") in a fixed
number of queries.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import models
from django.utils import dateformat

from .models import Council, Event, Judgement, Recommendation, RecommendationUpdate

CREATED, CHANGED, DELETED = "+", "~", "-"
RESTORED_REASON = "Restored"
# Fields every save touches or that only the code reads: listing them would hide the real change.
NOISE = {"id", "version", "created_at", "updated_at"}
# A cascade deletes an event's judgements and recommendations in the same transaction, moments
# before the event itself; records deleted this long before it count as deleted with it.
CASCADE_WINDOW = timedelta(seconds=30)


@dataclass(frozen=True)
class Kind:
    """A kind of audited record: its model, how it names itself and the record it belongs to."""

    key: str
    model: type
    label: str
    parent_field: str | None = None  # the foreign key to the record it belongs to
    parent_kind: str | None = None
    related: tuple = ()  # foreign keys fetched with the history rows (no query per row)
    children: tuple = ()


KINDS = {
    "council": Kind("council", Council, "council", related=("region",), children=()),
    "event": Kind(
        "event",
        Event,
        "event",
        parent_field="council",
        parent_kind="council",
        related=("framework",),
        children=("judgement", "recommendation"),
    ),
    "judgement": Kind(
        "judgement", Judgement, "judgement", parent_field="event", parent_kind="event", related=("area", "grade")
    ),
    "recommendation": Kind(
        "recommendation",
        Recommendation,
        "recommendation",
        parent_field="event",
        parent_kind="event",
        children=("update",),
    ),
    "update": Kind(
        "update",
        RecommendationUpdate,
        "recommendation update",
        parent_field="recommendation",
        parent_kind="recommendation",
        related=("created_by",),
    ),
}


@dataclass
class FieldChange:
    """One field of one change: `before` is None when the record was created."""

    label: str
    before: str | None
    after: str


@dataclass
class HistoryEntry:
    """One create, change, delete or restore of one record, ready to show."""

    kind: str
    kind_label: str
    object_id: int
    label: str
    action: str
    when: object
    who: str
    changes: list = field(default_factory=list)
    history_id: int = 0
    restorable: bool = False
    event_id: int | None = None


@dataclass
class History:
    """Entries newest first, and the deleted records (newest first) that can still be restored."""

    entries: list
    deleted: list

    def __len__(self):
        return len(self.entries)


# Reading the history -----------------------------------------------------------------------------


def council_history(*, council):
    """Every change to `council`, its events (deleted ones included), their judgements,
    recommendations and recommendation updates. Five queries."""
    events = Event.history.filter(council_id=council.pk)
    recommendations = Recommendation.history.filter(event_id__in=events.values("id"))
    return _history(
        {
            "council": Council.history.filter(id=council.pk),
            "event": events,
            "judgement": Judgement.history.filter(event_id__in=events.values("id")),
            "recommendation": recommendations,
            "update": RecommendationUpdate.history.filter(recommendation_id__in=recommendations.values("id")),
        }
    )


def event_history(*, event_id):
    """Every change to one event (even a deleted one), its judgements, recommendations and their
    updates. Four queries. Raises Event.DoesNotExist if the event never existed."""
    recommendations = Recommendation.history.filter(event_id=event_id)
    history = _history(
        {
            "event": Event.history.filter(id=event_id),
            "judgement": Judgement.history.filter(event_id=event_id),
            "recommendation": recommendations,
            "update": RecommendationUpdate.history.filter(recommendation_id__in=recommendations.values("id")),
        }
    )
    if not any(e.kind == "event" for e in history.entries) and not Event.objects.filter(pk=event_id).exists():
        raise Event.DoesNotExist(f"No event {event_id} has ever been recorded.")
    return history


def filter_entries(entries, *, who="", kind=""):
    """Entries made by `who` (a name as shown, e.g. "jo.editor") and of `kind` (a key of KINDS); "" = any."""
    return [e for e in entries if (not who or e.who == who) and (not kind or e.kind == kind)]


def people(entries):
    """Everyone who made a change among `entries`, by name, the automatic import last."""
    names = {e.who for e in entries}
    return sorted(names - {AUTOMATIC}, key=str.casefold) + ([AUTOMATIC] if AUTOMATIC in names else [])


@dataclass
class EntryGroup:
    """The changes to one event (with its judgements, recommendations and updates), or to the council."""

    event_id: int | None
    label: str
    entries: list

    @property
    def latest(self):
        return self.entries[0]


def group_by_event(entries, *, council_label="The council's own record"):
    """[EntryGroup], the group changed most recently first; entries keep their newest-first order."""
    groups = {}
    for entry in entries:
        key = entry.event_id if entry.kind != "council" else None
        if key not in groups:
            groups[key] = EntryGroup(key, council_label if key is None else "", [])
        groups[key].entries.append(entry)
        if key is not None and entry.kind == "event" and not groups[key].label:
            groups[key].label = entry.label
    for group in groups.values():
        if not group.label:  # no change to the event row itself: name it from what belongs to it
            group.label = group.entries[0].label.split(", ", 1)[-1]  # "Grade, <event>" → "<event>"
    return list(groups.values())


def event_label(event_id):
    """How the history pages name an event, live or deleted: (label, council or None). Two queries."""
    record = Event.history.filter(id=event_id).select_related("framework").order_by("-history_date").first()
    if record is None:
        # A live event with no recorded change (e.g. loaded before history was kept) still has a page.
        record = Event.objects.select_related("framework").get(pk=event_id)
    return _event_label(record), Council.objects.filter(pk=record.council_id).first()


def deleted_records():
    """Records deleted and not restored since, of every kind, newest first. Five queries."""
    rows = {}
    for key, kind in KINDS.items():
        live = kind.model.objects.values("pk")
        rows[key] = (
            kind.model.history.filter(history_type=DELETED)
            .exclude(id__in=live)
            .select_related("history_user", *kind.related, *(("council",) if key == "event" else ()))
            .order_by("history_date", "history_id")
        )
    entries = []
    for key, records in rows.items():
        latest = {}
        for record in records:
            latest[record.id] = record
        for record in latest.values():
            entry = _entry(KINDS[key], record, None, {}, {}, restorable=True)
            if key == "event":
                council = record.council
                entry.label = f"{council.name if council else f'council #{record.council_id}'}: {entry.label}"
            entries.append(entry)
    entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return entries


def _history(querysets):
    fetched = {
        key: list(qs.select_related("history_user", *KINDS[key].related).order_by("id", "history_date", "history_id"))
        for key, qs in querysets.items()
    }
    # Latest known name of each event and recommendation, for labelling what belongs to them.
    event_names = {r.id: _event_label(r) for r in fetched.get("event", [])}
    rec_names = {r.id: (_recommendation_label(r), r.event_id) for r in fetched.get("recommendation", [])}

    entries = []
    for key, records in fetched.items():
        kind = KINDS[key]
        previous = None
        for index, record in enumerate(records):
            if previous is not None and previous.id != record.id:
                previous = None
            is_latest = index + 1 == len(records) or records[index + 1].id != record.id
            entry = _entry(
                kind, record, previous, event_names, rec_names, restorable=is_latest and record.history_type == DELETED
            )
            entries.append(entry)
            previous = record
    entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return History(entries=entries, deleted=[e for e in entries if e.restorable])


def _entry(kind, record, previous, event_names, rec_names, *, restorable):
    if record.history_type == CREATED:
        action = "Restored" if record.history_change_reason == RESTORED_REASON else "Created"
        changes = [
            FieldChange(label, None, value)
            for name, label, value in _values(kind, record)
            if value and name != kind.parent_field
        ]
    elif record.history_type == CHANGED:
        action = "Changed"
        if previous is None:
            changes = [FieldChange(label, None, value) for _, label, value in _values(kind, record) if value]
        else:
            before = {name: value for name, _, value in _values(kind, previous)}
            changes = [
                FieldChange(label, before[name] or "not set", value or "not set")
                for name, label, value in _values(kind, record)
                if before[name] != value
            ]
    else:
        action = "Deleted"
        changes = [FieldChange(label, None, value) for _, label, value in _values(kind, record) if value]
    event_id = _event_id(kind.key, record, rec_names)
    return HistoryEntry(
        kind=kind.key,
        kind_label=kind.label.capitalize(),
        object_id=record.id,
        label=_label(kind.key, record, event_names, rec_names),
        action=action,
        when=record.history_date,
        who=_who(record.history_user),
        changes=changes,
        history_id=record.history_id,
        restorable=restorable,
        event_id=event_id,
    )


def _event_id(key, record, rec_names):
    if key == "event":
        return record.id
    if key in ("judgement", "recommendation"):
        return record.event_id
    if key == "update":
        return rec_names.get(record.recommendation_id, (None, None))[1]
    return None


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in NOISE]


def _values(kind, record):
    """(field name, label, display value) for each audited field of a history row."""
    out = []
    for f in _fields(kind.model):
        out.append((f.name, f.verbose_name[:1].upper() + f.verbose_name[1:], _display(kind, record, f)))
    return out


def _display(kind, record, f):
    if f.is_relation:
        raw = getattr(record, f.attname)
        if raw is None:
            return ""
        if f.name in kind.related:
            related = getattr(record, f.name, None)
            return str(related) if related is not None else f"#{raw} (since deleted)"
        return f"#{raw}"
    value = getattr(record, f.attname)
    if value is None or value == "":
        return ""
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(f, models.DateTimeField):
        return dateformat.format(value, "j F Y, H:i")
    if isinstance(f, models.DateField):
        return dateformat.format(value, "j F Y")
    return str(value)


AUTOMATIC = "Automatic import (no person)"


def _who(user):
    if user is None:
        return AUTOMATIC
    return user.get_username()


def _event_label(record):
    """An event's title and date from one of its history rows (its framework already fetched)."""
    event = Event(
        kind=record.kind,
        title=record.title,
        intervention_type=record.intervention_type,
        milestone_type=record.milestone_type,
        start_date=record.start_date,
        published_date=record.published_date,
    )
    if record.framework_id is not None:
        if record.framework is not None:
            event.framework = record.framework
        else:
            event.framework_id = None
    date = event.date
    return f"{event.display_title} ({dateformat.format(date, 'j F Y')})" if date else event.display_title


def _recommendation_label(record):
    prefix = "LSCB recommendation" if record.addressed_to == "lscb" else "Recommendation"
    return f"{prefix} {record.number}"


def _label(key, record, event_names, rec_names):
    if key == "council":
        return record.name
    if key == "event":
        return event_names.get(record.id) or _event_label(record)
    if key == "judgement":
        area = record.area.name if record.area is not None else f"area #{record.area_id}"
        return f"{area}, {event_names.get(record.event_id, f'event #{record.event_id}')}"
    if key == "recommendation":
        return f"{_recommendation_label(record)}, {event_names.get(record.event_id, f'event #{record.event_id}')}"
    name, event_id = rec_names.get(record.recommendation_id, (f"Recommendation #{record.recommendation_id}", None))
    if event_id is None:
        return f"Status update dated {dateformat.format(record.date, 'j F Y')} ({name.lower()})"
    return f"Status update ({name}), {event_names.get(event_id, f'event #{event_id}')}"
