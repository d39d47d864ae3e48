"""Load the demo data: all councils, the shipped record of reports, the third-party history and the Wirral story."""

from inspections.demo import load_stories
from inspections.importers import HISTORY_FILE, import_history, load_councils
from inspections.record import RECORD_FILE, load_record

from ._base import ImportCommand


class Command(ImportCommand):
    help = (
        "Load councils, the record read from Ofsted's reports, the shipped inspection history and the Wirral "
        "story (safe to run again: a second run changes nothing)."
    )

    def handle(self, *args, **options):
        self.noun = "councils"
        self.run_import(load_councils)
        # The record first: the history then fills in only inspections it does not hold, and the
        # story adds its words to the reports' values without overriding them.
        self.noun = "reports"
        self.run_import(load_record, path=RECORD_FILE)
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
