"""Load every council (with regions, statistical neighbours and reorganisations) from the lookup."""

from inspections.importers import COUNCILS_FILE, load_councils

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Load all councils from the la_lookup.csv shipped in the repository (or --file)."
    noun = "councils"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(COUNCILS_FILE), help="A file in la_lookup.csv format.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, save nothing.")

    def handle(self, *args, **options):
        self.run_import(load_councils, path=options["file"], dry_run=options["dry_run"])
