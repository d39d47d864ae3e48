"""Import a third-party inspection history file (ilacs_history.csv format)."""

from inspections.importers import import_history

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Import every row of an ilacs_history.csv-format file as an inspection (all or nothing)."
    noun = "rows"

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, save nothing.")

    def handle(self, *args, **options):
        self.run_import(import_history, path=options["file"], dry_run=options["dry_run"])
