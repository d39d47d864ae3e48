"""Which copies of an event's report or letter a reader can open, and the words their links say: one rule for
the timeline, the event page and the briefings (Event.document_links)."""

from datetime import date

from django.urls import reverse

from inspections.models import Event, EventKind

OFSTED_COPY = "https://files.ofsted.gov.uk/v1/file/50096454"
NEWS = "https://www.example.gov.uk/news/ofsted-letter"


def links(**fields):
    return [(link.href, link.words, link.ofsted) for link in Event(pk=7, **fields).document_links]


def test_ofsteds_own_copy_comes_first_then_the_trackers_copy():
    assert links(kind=EventKind.INSPECTION, source_url=OFSTED_COPY, report_file="reports/2019/wirral.pdf") == [
        (OFSTED_COPY, "Ofsted report (PDF)", True),
        (reverse("inspections:event_report_file", args=[7]), "Copy of the report held in the tracker (PDF)", False),
    ]
    assert links(kind=EventKind.FOCUSED_VISIT, source_url=OFSTED_COPY) == [(OFSTED_COPY, "Ofsted letter (PDF)", True)]


def test_another_source_is_linked_unless_ofsted_lists_a_dated_report_it_would_stand_in_for():
    assert links(kind=EventKind.MILESTONE, source_url=NEWS) == [(NEWS, "Source", False)]
    assert links(kind=EventKind.INSPECTION, source_url=NEWS) == [(NEWS, "Source", False)]
    assert links(kind=EventKind.INSPECTION, source_url=NEWS, published_date=date(2019, 7, 29)) == []
    assert links(kind=EventKind.INSPECTION) == []
