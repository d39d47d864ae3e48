"""Check every council's page on Ofsted's site and bring in reports not seen before."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from intake.ofsted import FetchError, LayoutChanged
from intake.sync import AlreadyRunning, site_from_settings, sync_ofsted


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since {text}: give the date as YYYY-MM-DD, for example 2025-04-01.") from None


class Command(BaseCommand):
    help = (
        "Check every council's page on Ofsted's site (or those named) for reports not seen before, and bring "
        "them in: each waits for review, or goes straight in when INTAKE_AUTO_ACCEPT is on and the reader had "
        "no doubt. One sync at a time; a second start says where the first runs and exits 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", help="The site to check (default OFSTED_BASE_URL, Ofsted's own).")
        parser.add_argument(
            "--council", action="append", type=int, metavar="URN", help="Only this council (repeat for more)."
        )
        parser.add_argument("--since", type=_date, metavar="DATE", help="Skip reports published before this date.")
        parser.add_argument("--dry-run", action="store_true", help="List what is new; fetch no reports, save nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object per report found.")

    def handle(self, *args, **options):
        as_json = options["json"]
        verbosity = options["verbosity"]
        site = site_from_settings(options["base_url"])

        def on_record(record):
            if as_json:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
            elif record["status"] == "failed" and verbosity:
                self.stderr.write(
                    f"Failed: URN {record['urn']} {record['label'] or ''} {record['url']}: {record['error']}"
                )

        def on_progress(line):
            if verbosity:
                self.stderr.write(line)

        try:
            summary = sync_ofsted(
                site=site,
                urns=options["council"],
                since=options["since"],
                dry_run=options["dry_run"],
                on_record=on_record,
                on_progress=on_progress,
            )
        except AlreadyRunning as running:
            self.stdout.write(f"The sync is {running}; not starting a second one.")
            return
        except LayoutChanged as error:
            raise CommandError(f"Ofsted's site has changed, so the sync stopped: {error}") from None
        except FetchError as error:
            raise CommandError(f"The sync could not reach Ofsted's site: {error}") from None
        line = ("Dry run, nothing saved. " if options["dry_run"] else "") + summary.describe()
        if verbosity:
            (self.stderr if as_json else self.stdout).write(line)
        if summary.unknown_labels and verbosity:
            for label in summary.unknown_labels:
                self.stderr.write(f"Label not recognised: {label}")
        if summary.failures:
            raise CommandError(
                f"{len(summary.failures)} report(s) or council page(s) could not be brought in; "
                "the next run tries them again."
            )
