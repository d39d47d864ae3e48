"""Remove uploaded reports nobody confirmed within INTAKE_PENDING_UPLOAD_HOURS (run daily by the timer)."""

from django.core.management.base import BaseCommand

from intake.services import uploads_clean_up


class Command(BaseCommand):
    help = (
        "Remove uploaded reports that were never confirmed (older than INTAKE_PENDING_UPLOAD_HOURS) and any "
        "stray files left under pending/ by an interrupted save. "
        "Reports fetched from Ofsted's site stay until reviewed."
    )

    def handle(self, *args, **options):
        removed = uploads_clean_up()
        if options["verbosity"]:
            self.stdout.write(f"Removed {removed} abandoned upload(s).")
