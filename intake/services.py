"""Every write of the intake: a report's event saved with its file attached (through
`inspections.services.event_save`), a report kept for review, confirmed or rejected, and uploads
nobody confirmed cleared away. Each runs in a transaction and leaves no file behind when it fails."""

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from inspections.models import Event
from inspections.selectors.matching import event_matching_values
from inspections.services import event_save

from .files import read_bytes, remove, store_bytes
from .models import IntakeReport, Source, Status
from .reports import safe_report_name
from .selectors import upload_cutoff

PENDING_DIR = "pending"


def report_event_save(
    *,
    council,
    kind,
    values,
    judgements=None,
    recommendations=None,
    data=None,
    filename="",
    event=None,
    expected_version=None,
    merge=False,
):
    """Save a report's event with `event_save` and attach the report file, all or nothing.

    `data`: the report's bytes (attached as `report_file` unless the event already holds the same
    file); `filename`: its name, used (made safe) for storage. `event`, `expected_version` and
    `merge` as `event_save`: a checked form gives the event it showed and its version; a loader or a
    one-click confirm merges (into `event`, else the event we already hold, else a new one).
    Raises ValidationError (nothing saved, no file left behind). Returns (event, status).
    """
    values = dict(values)
    held = event if event is not None or not merge else event_matching_values(council=council, kind=kind, values=values)
    stored_name = None
    if data is not None and not (held is not None and _same_file(held.report_file, data)):
        stored_name = store_bytes(
            Event._meta.get_field("report_file").generate_filename(None, safe_report_name(filename)), data
        )
        values["report_file"] = stored_name
    try:
        with transaction.atomic():
            return event_save(
                council=council,
                kind=kind,
                values=values,
                judgements=judgements,
                recommendations=recommendations,
                event=event,
                expected_version=expected_version,
                merge=merge,
            )
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise


def _same_file(stored, data):
    """Whether the stored file holds exactly `data` (a re-import changes nothing)."""
    if not stored:
        return False
    try:
        with stored.open("rb") as handle:
            return hashlib.sha256(handle.read()).digest() == hashlib.sha256(data).digest()
    except (OSError, ValueError):
        return False


def intake_report_keep(*, data, fields):
    """Store the file under pending/ and record it as waiting for review, with `fields` (what was
    read, flags, council, source); all or nothing. Returns the IntakeReport."""
    token = uuid.uuid4()
    name = store_bytes(f"{PENDING_DIR}/{token}.pdf", data)
    try:
        with transaction.atomic():
            return IntakeReport.objects.create(token=token, file=name, **fields)
    except BaseException:
        remove(name)
        raise


def intake_report_confirmed(*, fields, event):
    """Record a report saved at once (by the sync or an upload) as confirmed into `event`."""
    return IntakeReport.objects.create(**fields, status=Status.CONFIRMED, event=event, decided_at=timezone.now())


def intake_save(*, report, user, arguments, event=None, expected_version=None, merge=False):
    """Save a waiting report as an event with its file attached, and mark it confirmed.

    `arguments`: council, kind, values, judgements, recommendations. The checking form gives
    `event` (the event it showed, or None for a new one) and its `expected_version`; a one-click
    confirm gives `merge=True` (update the event we hold, if any). Raises ValidationError (nothing
    saved), also when someone else decided the report first. Returns (event, status)."""
    with transaction.atomic():
        locked = IntakeReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != Status.PENDING:
            raise ValidationError(
                f"This report was already {locked.get_status_display().lower()}; nothing more was saved."
            )
        data = read_bytes(locked.file.name)
        values = dict(arguments["values"])
        if locked.source_url and not values.get("source_url"):
            values["source_url"] = locked.source_url
        saved, status = report_event_save(
            **{**arguments, "values": values},
            data=data,
            filename=locked.filename,
            event=event,
            expected_version=expected_version,
            merge=merge,
        )
        stored = locked.file.name
        locked.status, locked.event, locked.file = Status.CONFIRMED, saved, ""
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
    remove(stored)  # after the commit: a failed save keeps the file for another try
    return saved, status


def intake_reject(*, report, user):
    """Reject a waiting report: it never counts; its file is removed. Raises ValidationError if
    it was already decided."""
    with transaction.atomic():
        locked = IntakeReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != Status.PENDING:
            raise ValidationError(f"This report was already {locked.get_status_display().lower()}.")
        stored = locked.file.name
        locked.status, locked.file = Status.REJECTED, ""
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save()
    remove(stored)
    return locked


def uploads_clean_up(*, now=None):
    """Remove uploads not confirmed within INTAKE_PENDING_UPLOAD_HOURS, and files under pending/
    that no waiting report holds (left by an interrupted save). Returns how many were removed."""
    cutoff = upload_cutoff(now)
    removed = 0
    for report in IntakeReport.objects.filter(source=Source.UPLOAD, status=Status.PENDING, created_at__lt=cutoff):
        remove(report.file.name)
        report.delete()
        removed += 1
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except (FileNotFoundError, OSError):
        return removed
    held = set(IntakeReport.objects.exclude(file="").values_list("file", flat=True))
    for name in files:
        path = f"{PENDING_DIR}/{name}"
        if path in held:
            continue
        try:
            if default_storage.get_modified_time(path) < cutoff:
                remove(path)
                removed += 1
        except (FileNotFoundError, OSError):
            continue
    return removed
