"""GOV.UK forms, one module per concern: `govuk` (the one form path: renderer, bound field, date
input, typed dates, error summary), `events` (what is being entered, its details and grades, the
three bound together as `EventEntry`), `recommendations` (the list, and a status update) and
`history` (a history page's filter). Forms validate input; services decide.

Shared contract (the entry pages, the report check and the editing pages use these):
- `EventTypeForm`: council, kind and (for inspections) framework.
- `EventDetailsForm(kind=..., framework=...)`: dates, people, links and one grade field per area
  the framework judges (`grade_<area key>`); `event_values()` and `judgements()` give `event_save`
  arguments. `flag(name, message)` marks a value the reader was unsure of.
- `recommendation_formset(...)`: the repeatable list; `recommendation_items(formset)`.
- `GovukDateField`: a GOV.UK date input (day, month, year) giving a `datetime.date`.
- `error_summary(*forms)`: (message, anchor) pairs for `includes/govuk_error_summary.html`.
"""

from .events import (
    KIND_NOUNS,
    KIND_WORDING,
    VISIT_KINDS,
    EventDetailsForm,
    EventEntry,
    EventTypeForm,
    framework_areas,
    has_inspection_types,
)
from .govuk import (
    DATE_FORMATS,
    DATE_HINT,
    EARLIEST_YEAR,
    ErrorSummaryMixin,
    GovukDateField,
    GovukForm,
    WebAddressField,
    apply_service_errors,
    error_summary,
    parse_date,
)
from .history import HistoryFilterForm
from .recommendations import (
    RecommendationForm,
    RecommendationUpdateForm,
    recommendation_formset,
    recommendation_initial,
    recommendation_items,
)

__all__ = [
    "DATE_FORMATS",
    "DATE_HINT",
    "EARLIEST_YEAR",
    "KIND_NOUNS",
    "KIND_WORDING",
    "VISIT_KINDS",
    "EventDetailsForm",
    "EventEntry",
    "EventTypeForm",
    "GovukDateField",
    "ErrorSummaryMixin",
    "GovukForm",
    "HistoryFilterForm",
    "RecommendationForm",
    "RecommendationUpdateForm",
    "WebAddressField",
    "apply_service_errors",
    "error_summary",
    "framework_areas",
    "has_inspection_types",
    "parse_date",
    "recommendation_formset",
    "recommendation_initial",
    "recommendation_items",
]
