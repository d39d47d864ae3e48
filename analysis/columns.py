"""The columns of each download, defined once: name, type, meaning and how a row gives its value.

The CSV and Excel files (selectors' sheet builders), the JSON API (api/views.py) and its OpenAPI
description (api/schema.py) all read these lists, so a column cannot differ between them. A value
is a plain Python value (int, str, date) or None when the record holds nothing; files show None as
an empty cell, the API as null.
"""

from collections.abc import Callable
from dataclasses import dataclass

from inspections.states import GRADE_NOT_RECORDED, NOT_JUDGED

# Column types, as the API's description names them.
INTEGER = "integer"
STRING = "string"
DATE = "date"
URL = "url"


@dataclass(frozen=True)
class Column:
    """One column: `value(item, link_for)` reads it from a row's item (an event, a recommendation or
    an InspectionRow); `link_for(event)` gives the tracker's absolute link to an event."""

    name: str
    type: str
    description: str
    value: Callable
    nullable: bool = True


@dataclass
class InspectionRow:
    """An inspection with, for each theme, its cell (a grade key, or a non-grade state's key) and the
    previous grade in that theme (or None)."""

    event: object
    cells: dict
    previous: dict


def link_for_request(request):
    """`link_for` for rows shown to `request`: the tracker's absolute link to an event."""
    return lambda event: request.build_absolute_uri(event.get_absolute_url())


def values(columns, item, link_for):
    """The row of `item` as a list, in the columns' order."""
    return [column.value(item, link_for) for column in columns]


def _or_none(value):
    return value if value not in ("", None) else None


def _event_columns(get_event):
    """The columns every event row starts with, reading the event through `get_event(item)`."""
    return [
        Column("event_id", INTEGER, "The tracker's id of the event", lambda i, _l: get_event(i).pk, False),
        Column("council_urn", INTEGER, "The council's Ofsted URN", lambda i, _l: get_event(i).council.urn, False),
        Column("council", STRING, "The council's name", lambda i, _l: get_event(i).council.name, False),
        Column("la_code", STRING, "The council's three-digit LA code", lambda i, _l: get_event(i).council.la_code),
        Column("region", STRING, "The council's region", lambda i, _l: get_event(i).council.region.name, False),
    ]


def _dates_and_links(get_event):
    return [
        Column("start_date", DATE, "First day on site (ISO date)", lambda i, _l: get_event(i).start_date),
        Column("end_date", DATE, "Last day on site (ISO date)", lambda i, _l: get_event(i).end_date),
        Column(
            "published_date", DATE, "Date Ofsted published it (ISO date)", lambda i, _l: get_event(i).published_date
        ),
        Column(
            "lead_inspector",
            STRING,
            "His Majesty's Inspector who led it",
            lambda i, _l: _or_none(get_event(i).lead_inspector),
        ),
        Column(
            "ofsted_link",
            URL,
            "The report or letter on Ofsted's website",
            lambda i, _l: _or_none(get_event(i).source_url),
        ),
        Column(
            "tracker_link", URL, "The event's page in the tracker", lambda i, link_for: link_for(get_event(i)), False
        ),
    ]


def _framework_key(event):
    return event.framework.key if event.framework_id else None


def inspection_columns(theme_list):
    """Columns of the inspections download for `theme_list` ([(theme key, label)], selectors.themes())."""
    event = lambda row: row.event  # noqa: E731 (a getter, named for the column builders)
    columns = [
        *_event_columns(event),
        Column("framework", STRING, "The framework's key", lambda r, _l: _framework_key(r.event)),
        Column(
            "framework_name",
            STRING,
            "The framework's short name",
            lambda r, _l: r.event.framework.short_name if r.event.framework_id else None,
        ),
        Column(
            "inspection_type", STRING, "Standard or short inspection", lambda r, _l: _or_none(r.event.inspection_type)
        ),
        *_dates_and_links(event),
    ]
    for key, label in theme_list:
        columns += [
            Column(
                key,
                STRING,
                f"{label}: the grade key, or {NOT_JUDGED.key} (the framework does not judge it) "
                f"or {GRADE_NOT_RECORDED.key} (judged, but the grade is not in the record)",
                lambda r, _l, key=key: r.cells[key],
                False,
            ),
            Column(
                f"{key}_previous",
                STRING,
                f"{label}: the grade at the council's most recent earlier inspection that holds one",
                lambda r, _l, key=key: r.previous.get(key),
            ),
        ]
    return columns


def _same(item):
    return item


VISIT_COLUMNS = [
    *_event_columns(_same),
    Column("kind", STRING, "monitoring_visit, focused_visit or jtai", lambda e, _l: e.kind, False),
    Column("title", STRING, "The visit's title", lambda e, _l: e.display_title, False),
    Column("focus", STRING, "What the visit looked at", lambda e, _l: _or_none(e.focus)),
    *_dates_and_links(_same),
]


RECOMMENDATION_COLUMNS = [
    Column("recommendation_id", INTEGER, "The tracker's id of the recommendation", lambda r, _l: r.pk, False),
    Column("council_urn", INTEGER, "The council's Ofsted URN", lambda r, _l: r.event.council.urn, False),
    Column("council", STRING, "The council's name", lambda r, _l: r.event.council.name, False),
    Column("region", STRING, "The council's region", lambda r, _l: r.event.council.region.name, False),
    Column("event_id", INTEGER, "The inspection or visit that made it", lambda r, _l: r.event_id, False),
    Column(
        "event_kind", STRING, "inspection, monitoring_visit, focused_visit or jtai", lambda r, _l: r.event.kind, False
    ),
    Column("framework", STRING, "The inspection's framework key", lambda r, _l: _framework_key(r.event)),
    Column("event_start_date", DATE, "The event's first day on site (ISO date)", lambda r, _l: r.event.start_date),
    Column(
        "event_published_date", DATE, "When the event was published (ISO date)", lambda r, _l: r.event.published_date
    ),
    Column("addressed_to", STRING, "council or lscb", lambda r, _l: r.addressed_to, False),
    Column("number", INTEGER, "Its number in the report", lambda r, _l: r.number, False),
    Column("text", STRING, "What the report recommends", lambda r, _l: r.text, False),
    Column(
        "status",
        STRING,
        "open, in_progress, met, superseded (by the council's next inspection) or lscb_ended",
        lambda r, _l: r.standing,
        False,
    ),
    Column(
        "status_updated", DATE, "Date of its last recorded status update (ISO date)", lambda r, _l: r.status_updated
    ),
    Column("tracker_link", URL, "The event's page in the tracker", lambda r, link_for: link_for(r.event), False),
]
