"""The downloads as JSON lists: which rows, which columns and which filters each list has.

Rows, columns and their order are the downloads' own (analysis.selectors and analysis.columns);
this module only adds the filters a script may give and the parameters the API documents.
"""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator

from analysis import selectors
from analysis.columns import RECOMMENDATION_COLUMNS, VISIT_COLUMNS, inspection_columns
from inspections.models import Recommendation

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Parameter:
    """A query parameter as the OpenAPI description shows it."""

    name: str
    schema: dict
    description: str
    example: Any


PARAMETERS = {
    p.name: p
    for p in [
        Parameter(
            "region",
            {"type": "string"},
            "Only councils in this region: its slug (as in the site's addresses) or its name.",
            "north-west",
        ),
        Parameter(
            "framework",
            {"type": "string"},
            "Only inspections under this framework, by its key (sif, ilacs_2018, ilacs_2023, …).",
            "ilacs_2023",
        ),
        Parameter(
            "since",
            {"type": "string", "format": "date"},
            "Only what was published on or after this date (YYYY-MM-DD); for recommendations, the "
            "publication of the inspection or visit that made them.",
            "2024-01-01",
        ),
        Parameter(
            "council",
            {"type": "string"},
            "Only this council: its slug (as in the site's addresses) or its Ofsted URN.",
            "80581",
        ),
        Parameter("page", {"type": "integer", "minimum": 1, "default": 1}, "Which page of results.", 1),
        Parameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            f"Rows a page (at most {MAX_PAGE_SIZE}).",
            DEFAULT_PAGE_SIZE,
        ),
    ]
}


@dataclass(frozen=True)
class Listing:
    """One list: `queryset()` gives every row's object in the download's order; `prepare()` returns
    (the columns, a function turning a page of those objects into the items the columns read).
    `event` is the path from the row's object to its event ("" when the object is the event).
    `counted()`, when given, is the same rows without the annotations a count does not need."""

    download: str
    schema_name: str
    event: str
    parameters: tuple
    queryset: Any
    prepare: Any
    counted: Any = None

    @property
    def title(self):
        return selectors.DOWNLOADS[self.download][0]

    @property
    def description(self):
        return selectors.DOWNLOADS[self.download][1]

    def lookups(self, filters):
        """Queryset filter arguments for the checked filters ({name: Region, Framework, Council or date})."""
        paths = {
            "region": "council__region",
            "framework": "framework",
            "since": "published_date__gte",
            "council": "council",
        }
        return {f"{self.event}{paths[name]}": value for name, value in filters.items() if value is not None}

    def paginator(self, filters, page_size):
        """A Paginator over the rows matching `filters` (as `lookups` takes them); one query to count."""
        lookups = self.lookups(filters)
        paginator = Paginator(self.queryset().filter(**lookups), page_size)
        if self.counted:
            paginator.count = self.counted().filter(**lookups).count()
        return paginator


def _prepare_inspections():
    """Each inspection's previous grades come from its council's earlier inspections, which may lie
    outside the page (or the filters): they are read for the page's councils. Three queries."""
    theme_list = selectors.themes()

    def items_for(events):
        history = selectors.inspection_events().filter(council_id__in={e.council_id for e in events})
        return selectors.inspection_rows(events, history=history, theme_list=theme_list)

    return inspection_columns(theme_list), items_for


def _plain(columns):
    return lambda: (columns, list)


# Visits belong to no framework, so their list takes no `framework`.
EVENT_PARAMETERS = ("region", "framework", "since", "council", "page", "page_size")
VISIT_PARAMETERS = ("region", "since", "council", "page", "page_size")

LISTINGS = {
    "inspections": Listing(
        "inspections",
        "Inspection",
        "",
        EVENT_PARAMETERS,
        selectors.inspection_events,
        _prepare_inspections,
    ),
    "visits": Listing("visits", "Visit", "", VISIT_PARAMETERS, selectors.visit_events, _plain(VISIT_COLUMNS)),
    "recommendations": Listing(
        "recommendations",
        "Recommendation",
        "event__",
        EVENT_PARAMETERS,
        selectors.recommendations_with_status,
        _plain(RECOMMENDATION_COLUMNS),
        # Counting the recommendations themselves, not the status rule's subqueries for each.
        Recommendation.objects.all,
    ),
}
