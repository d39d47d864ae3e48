"""Every write, one module per thing written: `events` (an event with its judgements and
recommendations, and the one locking scheme, `Event.version`), `recommendations` (status
changes), `councils` (the council lookup), `records` (restoring deleted records) and `imports`
(what every loader shares: outcomes, row errors, dry runs).

Services take keyword-only arguments, run in one transaction, call `full_clean()` before saving and
raise `ValidationError` with a sentence a council officer understands. Callers import from here:
`from inspections.services import event_save`.
"""

from .councils import CouncilLookupRow, councils_load
from .events import CONFLICT_MESSAGE, event_lock, event_save, event_version_bump
from .imports import CREATED, UNCHANGED, UPDATED, ImportFailed, ImportSummary, RowError, run_import
from .recommendations import recommendation_status_change
from .records import record_restore

__all__ = [
    "CONFLICT_MESSAGE",
    "CREATED",
    "UNCHANGED",
    "UPDATED",
    "CouncilLookupRow",
    "ImportFailed",
    "ImportSummary",
    "RowError",
    "councils_load",
    "event_lock",
    "event_save",
    "event_version_bump",
    "recommendation_status_change",
    "record_restore",
    "run_import",
]
