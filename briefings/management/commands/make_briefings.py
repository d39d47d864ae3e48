"""Write the PDF briefings of a region (or of England) and of each of its councils into one zip, with progress."""

import time

from django.core.management.base import BaseCommand, CommandError

from briefings.bulk import write_briefings_zip
from briefings.document import KINDS, BriefingOptions
from inspections.forms import parse_date
from inspections.models import Region


class Command(BaseCommand):
    help = "Write a zip of briefings: the region's (or England's) and every active council's in it."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--region", help="region slug, e.g. north-west")
        where.add_argument("--all", action="store_true", help="England and all its councils")
        parser.add_argument("--out", required=True, help="the zip file to write")
        parser.add_argument("--from", dest="date_from", default="", help="start of the period (e.g. 2023-04-01)")
        parser.add_argument("--to", dest="date_to", default="", help="end of the period; the as-at date")

    def handle(self, *args, region=None, all=False, out, date_from, date_to, **options):
        from django import forms

        area = None
        if region:
            area = Region.objects.filter(slug=region).first()
            if area is None:
                known = ", ".join(Region.objects.values_list("slug", flat=True))
                raise CommandError(f"No region is called “{region}”. Regions: {known}.")
        try:
            start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
        except forms.ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if start and end and start > end:
            raise CommandError("--to must be on or after --from.")
        kind = "region" if area else "national"
        options = BriefingOptions(sections=tuple(KINDS[kind]), date_from=start, date_to=end)
        began = time.perf_counter()

        def progress(done, total, name, seconds):
            elapsed = time.perf_counter() - began
            rate = done / elapsed if elapsed else 0
            eta = (total - done) / rate if rate else 0
            self.stdout.write(f"{done}/{total}  {name:<40} {seconds:5.2f} s   {rate:4.1f} a second, ETA {eta:4.0f} s")
            self.stdout.flush()

        total = write_briefings_zip(region=area, out=out, options=options, progress=progress)
        elapsed = time.perf_counter() - began
        self.stdout.write(self.style.SUCCESS(f"Wrote {total} briefings to {out} in {elapsed:.1f} s."))
