"""Read Ofsted report PDFs and save each as an inspection or visit, with its file attached, through
the intake pipeline (each file read in a sandboxed child process with time and memory limits)."""

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from inspections.models import Framework
from inspections.services import CREATED, UNCHANGED, UPDATED
from intake.models import Source
from intake.pipeline import DRY_RUN, SAVE, WOULD_CREATE, WOULD_UPDATE, intake_file, reader_limits
from intake.reports import council_index, council_index_from_lookup


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
            "--timeout",
            type=float,
            default=settings.READER_WALL_SECONDS,
            help="Give up on a file after this many seconds (default READER_WALL_SECONDS).",
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
        """Read, match and (unless a dry run) save one file through the pipeline; returns its JSON record."""
        record = blank_record(path)
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                record["error"] = f"{path.name}: the file is larger than the {self.max_bytes // (1024 * 1024)} MB limit"
                return record
            data = path.read_bytes()
        except FileNotFoundError:
            record["error"] = f"{path}: no such file"
            return record
        except OSError as error:
            record["error"] = f"{path.name}: cannot read the file ({error.strerror})"
            return record
        try:
            arrival = intake_file(
                data=data,
                filename=path.name,
                source=Source.COMMAND,
                mode=DRY_RUN if self.dry_run else SAVE,
                index=self.index,
                frameworks=self.frameworks or {},
                limits=reader_limits(wall_seconds=self.timeout),
            )
        except ValidationError as error:
            record["error"] = f"{path.name}: " + " ".join(error.messages)
            return record
        except DatabaseError as error:
            record["error"] = (
                f"{path.name}: the database refused the report ({type(error).__name__}); nothing was saved."
            )
            return record
        if arrival.result is not None:
            record.update(result_fields(arrival.result))
        if arrival.council is not None:
            record["council"]["urn"] = arrival.council.urn
        if arrival.error:
            record["error"] = f"{path.name}: {arrival.error}"
            return record
        record["status"] = arrival.status
        record["event_id"] = arrival.event.pk if arrival.event else arrival.duplicate.pk if arrival.duplicate else None
        record["ok"] = True
        return record

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
