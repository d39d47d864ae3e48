"""Build the shipped record (data/reports.jsonl) and its review file from the corpus of Ofsted reports."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.record import DEFAULT_CORPUS, RECORD_FILE, REVIEW_FILE, build_record, write_record


class Command(BaseCommand):
    help = (
        "Read every report PDF of the corpus and write inspections/data/reports.jsonl (one report a line, "
        "each value with its source) and inspections/data/record_review.csv (every disagreement with the "
        "third-party history, every value the reader flagged and every refused file, with how it was settled)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus", default=str(DEFAULT_CORPUS), help=f"Folder of reports (default {DEFAULT_CORPUS})."
        )
        parser.add_argument("--jobs", type=int, default=1, help="Read this many files at once (default 1).")
        parser.add_argument("--record", default=str(RECORD_FILE), help="Where to write the record.")
        parser.add_argument("--review", default=str(REVIEW_FILE), help="Where to write the review file.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        tty = self.stderr.isatty()

        def progress(done, total, file):
            if options["verbosity"] and (tty or done == total or done % 50 == 0):
                rate = done / max(time.perf_counter() - started, 1e-9)
                end = "" if tty and done < total else "\n"
                self.stderr.write(f"\r\x1b[K[{done}/{total}] {rate:.1f} files/s  {Path(file).name}", ending=end)

        try:
            built = build_record(corpus=options["corpus"], jobs=max(1, options["jobs"]), progress=progress)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        write_record(built, record_path=options["record"], review_path=options["review"])
        kinds = {}
        for entry in built.entries:
            kinds[entry["kind"]] = kinds.get(entry["kind"], 0) + 1
        described = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(kinds.items()))
        self.stdout.write(
            f"{len(built.entries)} reports in the record ({described}); {len(built.refused)} refused; "
            f"{len(built.review)} review rows; {time.perf_counter() - started:.1f} s."
        )
        for file, reason in built.refused:
            self.stdout.write(f"Refused: {file}: {reason}")
