"""The one way a report comes in, whether uploaded, imported or fetched from Ofsted's site:
file in → read (in a sandboxed child process) → match the council → find the event it would
update → save it, or keep it with what was read for an editor to review.

`intake_file()` runs the pipeline; every write it makes (and deciding a report that waits, and
clearing uploads nobody confirmed) is a service in `intake.services`.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from inspections.models import Council, EventKind
from reportreader import ReportError

from . import services
from .models import IntakeReport, Source
from .reports import council_index, find_duplicate, match_council, report_values
from .sandbox import MB, Limits, result_from_dict, shared_pool

SAVE, QUEUE, AUTO, DRY_RUN = "save", "queue", "auto", "dry_run"
# What became of a file besides the services' CREATED, UPDATED and UNCHANGED.
QUEUED, FAILED, WOULD_CREATE, WOULD_UPDATE = "queued", "failed", "would_create", "would_update"


def reader_limits(**changes):
    """The reader's limits from the settings (READER_WALL_SECONDS, READER_CPU_SECONDS, READER_MEMORY_MB)."""
    values = {
        "wall_seconds": settings.READER_WALL_SECONDS,
        "cpu_seconds": settings.READER_CPU_SECONDS,
        "memory_bytes": settings.READER_MEMORY_MB * MB,
    }
    values.update(changes)
    return Limits(**values)


def read_limited(data, filename, *, limits=None):
    """Read a report in the sandbox: a ReportResult, or ReportError with the reason (also for a
    file over REPORT_UPLOAD_MAX_BYTES, or one that broke the time or memory limits)."""
    limit = settings.REPORT_UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise ReportError(filename, f"the file is larger than the {limit / MB:g} MB limit")
    return shared_pool(size=settings.READER_POOL_SIZE, limits=limits or reader_limits()).read(data, filename)


@dataclass
class Arrival:
    """What became of one file: `status` is created/updated/unchanged (saved), queued, failed, or
    would_create/would_update (a dry run)."""

    filename: str
    status: str = FAILED
    result: object = None
    error: str | None = None
    council: object = None
    duplicate: object = None
    flags: list = field(default_factory=list)
    report: IntakeReport | None = None
    event: object = None


def assess(result, *, index, listed_urn=None, listed_published=None):
    """(council, duplicate event or None, flags) for what the reader found. `listed_*`: what the
    council's page on Ofsted's site said about the file. Flags are sentences saying what to check;
    none means the reader had no doubt."""
    flags = []
    if result.published_date is None and listed_published is not None:
        result.published_date = listed_published  # ILACS reports do not print it; the listing does
    council = match_council(name=result.council_name, urn=result.council_urn, index=index)
    if council is None and listed_urn is not None and not result.council_name and not result.council_urn:
        council = index.by_urn.get(int(listed_urn))
    if council is None:
        flags.append(
            f"The report names “{result.council_name}”, which is not a council we know: choose the council."
            if result.council_name
            else "The report does not say which council it is about: choose the council."
        )
    elif listed_urn is not None and council.urn != int(listed_urn):
        flags.append(f"Listed on the page of URN {listed_urn}, but the report names {council.name}.")
    if result.kind == EventKind.INSPECTION and not result.framework:
        flags.append("The report does not make its framework clear.")
    if result.start_date is None and result.published_date is None:
        flags.append("No dates were found in the report.")
    elif result.start_date is None:
        flags.append("No start date was found in the report.")
    if result.kind == EventKind.INSPECTION and result.framework and not result.judgements:
        flags.append("No judgements were found in the report.")
    flags += [f"Reading the report: {warning}." for warning in result.warnings]
    duplicate = None
    if isinstance(council, Council):  # not a LookupCouncil (a dry run without a database)
        duplicate = find_duplicate(
            council=council, kind=result.kind, start_date=result.start_date, published_date=result.published_date
        )
    return council, duplicate, flags


def intake_file(
    *,
    data,
    filename,
    source,
    mode,
    user=None,
    source_url="",
    label="",
    listed_urn=None,
    listed_published=None,
    index=None,
    frameworks=None,
    limits=None,
):
    """Take one report file through the pipeline. Returns an Arrival; raises nothing for a bad file.

    `mode`: SAVE (save at once: the import command), QUEUE (keep for review: uploads), AUTO (save
    when the reader had no doubt and INTAKE_AUTO_ACCEPT is on, else keep: the sync) or DRY_RUN.
    A file that cannot be read is kept for review only in AUTO mode (Ofsted published it, so an
    editor should see it); otherwise its Arrival carries the error and nothing is stored.
    May raise ValidationError only for storage that is full (nothing is left behind).
    """
    arrival = Arrival(filename=filename)

    def fields():
        """The intake record's fields for this file, with what is known of it so far."""
        return _report_fields(
            arrival,
            data=data,
            source=source,
            user=user,
            source_url=source_url,
            label=label,
            listed_published=listed_published,
        )

    def keep():
        """Keep the file and what was read for an editor to review."""
        return services.intake_report_keep(data=data, fields=fields())

    try:
        result = read_limited(data, filename, limits=limits)
    except ReportError as error:
        arrival.error = error.reason
        if mode == AUTO:
            arrival.flags = [f"The file could not be read: {error.reason}. Enter its results by hand, or reject it."]
            arrival.report = keep()
        return arrival
    arrival.result = result
    index = index if index is not None else council_index()
    arrival.council, arrival.duplicate, arrival.flags = assess(
        result, index=index, listed_urn=listed_urn, listed_published=listed_published
    )
    if mode in (SAVE, DRY_RUN) or (mode == AUTO and settings.INTAKE_AUTO_ACCEPT and not arrival.flags):
        if arrival.council is None:
            printed = f"URN {result.council_urn}" if result.council_urn else f"“{result.council_name or ''}”"
            arrival.error = f"the council {printed} is not a council we know; nothing was saved."
            return arrival
        try:
            values = report_values(result, frameworks=frameworks, source_name=filename)
        except ValidationError as error:
            arrival.error = " ".join(error.messages)
            return arrival
        if mode == DRY_RUN:
            arrival.status = WOULD_UPDATE if arrival.duplicate else WOULD_CREATE
            return arrival
        if source_url:
            values.values["source_url"] = source_url[:500]
        try:
            with transaction.atomic():
                arrival.event, arrival.status = services.report_event_save(
                    council=arrival.council,
                    kind=values.kind,
                    values=values.values,
                    judgements=values.judgements,
                    recommendations=values.recommendations,
                    data=data,
                    filename=filename,
                    event=arrival.duplicate,
                    merge=True,  # found here, not shown in a form: merge into what we hold
                )
                if source != Source.COMMAND:
                    arrival.report = services.intake_report_confirmed(fields=fields(), event=arrival.event)
        except ValidationError as error:
            arrival.status, arrival.error = FAILED, " ".join(error.messages)
        return arrival
    arrival.report = keep()
    arrival.status = QUEUED
    return arrival


def _report_fields(arrival, *, data, source, user, source_url, label, listed_published):
    return {
        "source": source,
        "filename": arrival.filename[:300],
        "sha256": hashlib.sha256(data).hexdigest(),
        "reading": arrival.result.to_dict() if arrival.result is not None else None,
        "error": arrival.error or "",
        "flags": arrival.flags,
        "council": arrival.council if isinstance(arrival.council, Council) else None,
        "duplicate_of": arrival.duplicate,
        "source_url": (source_url or "")[:500],
        "label": (label or "")[:300],
        "listed_published_date": listed_published,
        "uploaded_by": user if source == Source.UPLOAD else None,
    }


# Deciding a report that waits ----------------------------------------------------------------


def reading_of(report):
    """The ReportResult stored with a waiting report (never read again), or None if unreadable."""
    if not report.reading:
        return None
    result = result_from_dict(report.reading)
    if result.published_date is None and report.listed_published_date is not None:
        result.published_date = report.listed_published_date
    return result


def one_click_arguments(report, *, frameworks=None):
    """`services.report_event_save` arguments from what was read, for confirming without changes.
    Raises ValidationError when the report needs checking by hand first (council not known,
    nothing read, values the service refuses)."""
    result = reading_of(report)
    if result is None:
        raise ValidationError("This file could not be read: open it and enter its results by hand, or reject it.")
    if report.council is None:
        raise ValidationError("Choose the council first: open the report to check what was read.")
    values = report_values(result, frameworks=frameworks, source_name=report.filename)
    return {
        "council": report.council,
        "kind": values.kind,
        "values": values.values,
        "judgements": values.judgements,
        "recommendations": values.recommendations,
    }
