"""The shipped record: every corpus report read once into `data/reports.jsonl`, reviewed, and loaded.

`build_record()` (the `build_record` command) reads every PDF of the corpus with `reportreader`,
matches its council, settles each value against the third-party history (the report wins unless
it could not be read) and returns one entry per report with every value's source, plus the rows
of the review file: each disagreement with the history, each value the reader flagged, each
refused file, and how it was settled. `write_record()` writes both files sorted, so a rebuild of
the same corpus with the same reader changes no byte.

`load_record()` saves the entries through `services.event_save` (the one write path), all or
nothing for the file; a second load changes nothing. Nothing here reads the corpus at run time:
the record and its links are in the repository.

Modules: `files` (paths), `read` (the reader over the corpus; no database), `settle` (against
the listing and the history), `build` (build_record, write_record), `load` (load_record and what
the rest of the app asks of the record).
"""

from .build import Built, build_record, write_record
from .files import DEFAULT_CORPUS, HISTORY_FILE, RECORD_FILE, REVIEW_FILE
from .load import RecordItem, held_from_record, load_record, parse_record, record_files
from .read import corpus_files, read_one
from .settle import council_page_url

__all__ = [
    "DEFAULT_CORPUS",
    "HISTORY_FILE",
    "RECORD_FILE",
    "REVIEW_FILE",
    "Built",
    "RecordItem",
    "build_record",
    "corpus_files",
    "council_page_url",
    "held_from_record",
    "load_record",
    "parse_record",
    "read_one",
    "record_files",
    "write_record",
]
