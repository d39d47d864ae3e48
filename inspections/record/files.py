"""Where the shipped record and its review file live, and the files they are built from."""

from pathlib import Path

from django.conf import settings

DATA_DIR = Path(settings.BASE_DIR) / "inspections" / "data"
RECORD_FILE = DATA_DIR / "reports.jsonl"
REVIEW_FILE = DATA_DIR / "record_review.csv"
HISTORY_FILE = DATA_DIR / "ilacs_history.csv"
DEFAULT_CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"

REVIEW_COLUMNS = ["file", "urn", "council", "kind", "field", "report", "history", "settled"]
