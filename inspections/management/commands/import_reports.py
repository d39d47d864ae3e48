"""Read Ofsted report PDFs and save each as an inspection or visit, with its file attached."""

import json
import os
import signal
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from inspections.models import Framework
from inspections.reports import (
    council_index,
    council_index_from_lookup,
    find_duplicate,
    match_council,
    report_event_save,
    report_values,
)
from reportreader import ReportError, read_report

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
WOULD_CREATE, WOULD_UPDATE = "would_create", "would_update"


class _TimedOut(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Read Ofsted report PDFs (files or folders, recursively) and save each as an inspection or visit "
        "with its judgements, recommendations and the file attached. A report we already hold (same council, "
        "kind and start date) is updated, not duplicated. Exit status 1 if any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Report files or folders of reports.")
        parser.add_argument("--dry-run", action="store_true", help="Read and match, save nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object per file on standard output.")
        parser.add_argument(
            "--timeout", type=float, default=60.0, help="Give up on a file after this many seconds (default 60)."
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=settings.REPORT_UPLOAD_MAX_BYTES,
            help="Refuse files larger than this (default REPORT_UPLOAD_MAX_BYTES).",
        )

    def handle(self, *args, **options):
        self.dry_run = options["dry_run"]
        self.as_json = options["json"]
        self.timeout = options["timeout"]
        self.max_bytes = options["max_bytes"]
        self.verbosity = options["verbosity"]
        self.tty = self.stderr.isatty()
        files = collect_files(options["paths"])
        self.load_lookups()
        counts = {"read": 0, "failed": 0, CREATED: 0, UPDATED: 0, UNCHANGED: 0, WOULD_CREATE: 0, WOULD_UPDATE: 0}
        started = time.perf_counter()
        for number, path in enumerate(files, start=1):
            record = self.import_one(path)
            if record["ok"]:
                counts["read"] += 1
                counts[record["status"]] += 1
            else:
                counts["failed"] += 1
            if self.as_json:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
            self.progress(number, len(files), started, path, record)
        if self.tty and files and self.verbosity:
            self.stderr.write("\r\x1b[K", ending="")
        summary = describe(counts, len(files), self.dry_run, time.perf_counter() - started)
        if self.verbosity:
            (self.stderr if self.as_json else self.stdout).write(summary)
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} file(s) could not be imported.")

    def load_lookups(self):
        """Councils and frameworks, read once. A dry run still works from the lookup file without a database."""
        self.db = True
        try:
            self.index = council_index()
            self.frameworks = {f.key: f for f in Framework.objects.all()}
        except DatabaseError:
            if not self.dry_run:
                raise
            self.db = False
            self.index = council_index_from_lookup()
            self.frameworks = None

    def import_one(self, path):
        """Read, match and (unless a dry run) save one file; returns its JSON record."""
        record = blank_record(path)
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                raise ReportError(path.name, f"the file is larger than the {self.max_bytes // (1024 * 1024)} MB limit")
            data = path.read_bytes()
        except FileNotFoundError:
            record["error"] = f"{path}: no such file"
            return record
        except OSError as error:
            record["error"] = f"{path.name}: cannot read the file ({error.strerror})"
            return record
        except ReportError as error:
            record["error"] = str(error)
            return record
        try:
            result = self.read(data, path.name)
        except ReportError as error:
            record["error"] = str(error)
            return record
        except Exception as error:  # noqa: BLE001 — a hostile file must not stop the run
            record["error"] = f"{path.name}: the file could not be read ({type(error).__name__})"
            return record
        record.update(result_fields(result))
        council = match_council(name=result.council_name, urn=result.council_urn, index=self.index)
        if council is None:
            printed = f"URN {result.council_urn}" if result.council_urn else f"“{result.council_name or ''}”"
            record["error"] = f"{path.name}: the council {printed} is not a council we know; nothing was saved."
            return record
        record["council"]["urn"] = council.urn
        try:
            self.save(record, result, council, data, path)
        except ValidationError as error:
            record["error"] = f"{path.name}: " + " ".join(error.messages)
            return record
        except DatabaseError as error:
            record["error"] = (
                f"{path.name}: the database refused the report ({type(error).__name__}); nothing was saved."
            )
            return record
        record["ok"] = True
        return record

    def read(self, data, name):
        """read_report with a time limit (hostile files), where the platform allows one."""
        use_alarm = (
            self.timeout and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )
        if not use_alarm:
            return read_report(data, filename=name)

        def expire(signum, frame):
            raise _TimedOut

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            return read_report(data, filename=name)
        except _TimedOut:
            raise ReportError(
                name, f"reading took longer than {self.timeout:g} seconds; the file was skipped"
            ) from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def save(self, record, result, council, data, path):
        values = report_values(result, frameworks=self.frameworks or {}, source_name=path.name)
        if self.dry_run:
            if not self.db:
                record["status"] = WOULD_CREATE
                return
            match = find_duplicate(
                council=council,
                kind=values.kind,
                start_date=values.values.get("start_date"),
                published_date=values.values.get("published_date"),
            )
            record["status"] = WOULD_UPDATE if match else WOULD_CREATE
            record["event_id"] = match.pk if match else None
            return
        event, status = report_event_save(
            council=council,
            kind=values.kind,
            values=values.values,
            judgements=values.judgements,
            recommendations=values.recommendations,
            data=data,
            filename=path.name,
        )
        record["status"] = status
        record["event_id"] = event.pk

    def progress(self, number, total, started, path, record):
        if not self.verbosity:
            return
        elapsed = time.perf_counter() - started
        rate = number / elapsed if elapsed > 0 else 0.0
        line = f"[{number}/{total}] {rate:.1f} files/s  {path.name}"
        if not record["ok"]:
            self.stderr.write(("\r\x1b[K" if self.tty else "") + f"Failed: {record['error']}")
        if self.tty:
            self.stderr.write(f"\r\x1b[K{line}", ending="")
            self.stderr.flush()
        elif self.verbosity >= 2:
            self.stderr.write(f"{line}  {record['status'] or 'failed'}")


def collect_files(paths):
    """Every file named, and every .pdf under every folder named (recursively, sorted); hidden files skipped.
    A path that does not exist is kept, so it is reported as a failed file."""
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [
                    Path(root) / name for name in names if name.lower().endswith(".pdf") and not name.startswith(".")
                ]
            files += sorted(found)
        else:
            files.append(path)
    return files


def blank_record(path):
    return {
        "file": str(path),
        "ok": False,
        "error": None,
        "kind": None,
        "council": {"name": None, "urn": None},
        "framework": None,
        "inspection_type": None,
        "start_date": None,
        "end_date": None,
        "published_date": None,
        "lead_inspector": None,
        "judgements": {},
        "recommendations": [],
        "focus": None,
        "warnings": [],
        "status": None,
        "event_id": None,
    }


def result_fields(result):
    data = result.to_dict()
    fields = {key: data[key] for key in data if key not in ("council_name", "council_urn")}
    fields["council"] = {"name": data["council_name"], "urn": data["council_urn"]}
    return fields


def describe(counts, total, dry_run, seconds):
    rate = f"{total / seconds:.1f} files/s" if seconds > 0 and total else "0 files/s"
    done = f"{total} file(s): {counts['read']} read, {counts['failed']} failed"
    if dry_run:
        return (
            f"Dry run, nothing saved. {done}; would create {counts[WOULD_CREATE]}, "
            f"would update {counts[WOULD_UPDATE]} ({rate})."
        )
    return f"{done}; {counts[CREATED]} new, {counts[UPDATED]} updated, {counts[UNCHANGED]} unchanged ({rate})."
