"""Load the demo data: all councils, the third-party history and the full Wirral story."""

from inspections.demo import load_stories
from inspections.importers import HISTORY_FILE, import_history, load_councils

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Load councils, the shipped inspection history and the Wirral story (safe to run again)."

    def handle(self, *args, **options):
        self.noun = "councils"
        self.run_import(load_councils)
        self.noun = "rows"
        self.run_import(import_history, path=HISTORY_FILE)
        self.noun = "events"
        self.run_import(load_stories_summary)


def load_stories_summary():
    summaries = load_stories()
    first = summaries[0]
    for other in summaries[1:]:
        first.rows += other.rows
        for key, value in other.counts.items():
            first.counts[key] += value
    return first
